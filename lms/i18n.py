"""Languages: French by default, English on request; the choice is remembered."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_babel import Babel
from flask_login import current_user

babel = Babel()


def select_locale() -> str:
    """Pick the user's saved language, then the visitor's session choice, then the default."""
    languages = current_app.config["LANGUAGES"]
    if (
        request
        and getattr(current_user, "is_authenticated", False)
        and current_user.locale in languages
    ):
        return current_user.locale
    if request and session.get("lang") in languages:
        return session["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    """Install Flask-Babel with the host's catalog folder."""
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories="translations"
    )
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")
