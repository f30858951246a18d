"""Error pages (403, 404, 410, 429, 500) in the site's layout."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect

from lms.api.problems import from_exception, is_api_request
from lms.db import db

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Protect every POST with CSRF and render errors in the page shell."""
    csrf.init_app(app)

    def page(code: int):
        def handler(error):
            if code == 500:
                db.session.rollback()
            if is_api_request():
                return from_exception(error)
            return render_template("lms/error.html", code=code, error=error), code

        return handler

    for code in (400, 403, 404, 405, 410, 413, 429, 500):
        app.register_error_handler(code, page(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("lms/error.html", code=400, error=error, csrf=True), 400
