"""Authentication: Flask-Login sessions, role checks and login rate limiting.

May import: ``lms``. Never a plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import sqlalchemy as sa
from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user

from lms.db import db

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Veuillez vous connecter pour accéder à cette page.")
login_manager.login_message_category = "info"

limiter = Limiter(key_func=get_remote_address, default_limits=[])


@login_manager.user_loader
def _load_user(user_id: str):
    from lms.models import User

    if not user_id.isdigit():
        return None
    return db.session.scalar(sa.select(User).where(User.id == int(user_id)))


def init_app(app: Flask) -> None:
    """Install Flask-Login and the rate limiter."""
    login_manager.init_app(app)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)


def role_required(*roles: str) -> Callable:
    """Restrict a view to signed-in users holding one of ``roles`` (403 otherwise)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from flask import current_app

                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def admin_required(view: Callable) -> Callable:
    """Restrict a view to administrators."""
    return role_required("admin")(view)


def trainer_required(view: Callable) -> Callable:
    """Restrict a view to trainers and administrators."""
    return role_required("trainer", "admin")(view)
