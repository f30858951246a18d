"""Absolute links for e-mails, built from ``LMS_BASE_URL`` (inside or outside a request)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """Absolute URL of ``endpoint`` under ``LMS_BASE_URL``; works in ``flask lms tick`` too."""
    base = urlsplit(current_app.config["LMS_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
