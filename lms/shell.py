"""What every page template gets: navigation, languages, site name."""

from __future__ import annotations

from flask import Flask, current_app
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf import FlaskForm

from lms.markdown import render_safe
from lms.plugins import get_registry


def _run_links(run, audience: str):
    """Links the plugins add to a session's page, for the current user."""
    return get_registry().run_links(current_user, run, audience)


def init_app(app: Flask) -> None:
    """Register the template context processor and filters."""

    @app.context_processor
    def shell_context():
        signed_in = getattr(current_user, "is_authenticated", False)  # False outside requests
        nav = get_registry().nav_items(current_user) if signed_in else []
        return {
            "site_name": current_app.config["LMS_SITE_NAME"],
            "nav_items": nav,
            "current_locale": str(get_locale()),
            "languages": current_app.config["LANGUAGES"],
            "post_form": FlaskForm,
            "run_links": _run_links,
        }

    app.add_template_filter(render_safe, "markdown")
    from lms import formatting

    formatting.init_app(app)
