"""HTTP security headers: a strict CSP (no inline script or style), and friends."""

from __future__ import annotations

from functools import lru_cache

from flask import Flask, current_app, make_response


def _csp() -> str:
    return _csp_for(current_app.config["LMS_VIDEO_HOSTS"])


@lru_cache(maxsize=8)
def _csp_for(video_hosts_setting: str) -> str:
    """The policy for this ``LMS_VIDEO_HOSTS`` setting (built once, not per response)."""
    video_hosts = " ".join(
        f"https://{h.strip()}" for h in video_hosts_setting.split(",") if h.strip()
    )
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            f"frame-src 'self' {video_hosts}".strip(),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def embeddable(response):
    """Let any site show ``response`` in a frame (for public pages meant to be embedded): its
    CSP allows every frame ancestor, and it gets no ``X-Frame-Options``."""
    response.headers["Content-Security-Policy"] = _csp().replace(
        "frame-ancestors 'self'", "frame-ancestors *"
    )
    return response


def allow_form_action(body, origin: str):
    """A response for ``body`` whose forms may post to ``origin`` (``https://host``) as well as
    to this site: the page that hands a signed answer back to an LTI platform."""
    response = make_response(body)
    response.headers["Content-Security-Policy"] = _csp().replace(
        "form-action 'self'", f"form-action 'self' {origin}"
    )
    return response


def init_app(app: Flask) -> None:
    """Add the security headers to every response that does not set its own."""

    @app.after_request
    def set_headers(response):
        headers = response.headers
        # The names already set, read once: each lookup of a missing header (setdefault) raised
        # and caught a KeyError, five times per response.
        present = {name.lower() for name in headers.keys()}  # noqa: SIM118 - iter gives pairs
        own = "content-security-policy" in present
        csp = headers["Content-Security-Policy"] if own else _csp()
        defaults = [
            ("Content-Security-Policy", csp),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ]
        if "frame-ancestors *" not in csp:
            defaults.append(("X-Frame-Options", "SAMEORIGIN"))
        if app.config.get("SESSION_COOKIE_SECURE"):
            defaults.append(("Strict-Transport-Security", "max-age=31536000"))
        headers.extend([(name, value) for name, value in defaults if name.lower() not in present])
        return response
