"""HTTP security headers: a strict CSP (no inline script or style), and friends."""

from __future__ import annotations

from flask import Flask, current_app, make_response


def _csp() -> str:
    video_hosts = " ".join(
        f"https://{h.strip()}"
        for h in current_app.config["LMS_VIDEO_HOSTS"].split(",")
        if h.strip()
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
        csp = headers.setdefault("Content-Security-Policy", _csp())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        if "frame-ancestors *" not in csp:
            headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
