"""Authentication: Flask-Login sessions, role checks and login rate limiting.

May import: ``lms``. Never a plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps

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


@cache
def _user_by_id() -> sa.Select:
    """The loader's statement, built once (building it cost more than running it)."""
    from lms.models import User

    return sa.select(User).where(User.id == sa.bindparam("user_id"), User.active.is_(True))


@login_manager.user_loader
def _load_user(user_id: str):
    """The signed-in user, read on every request: a deactivated account is signed out."""
    if not user_id.isdigit():
        return None
    return db.session.scalar(_user_by_id(), {"user_id": int(user_id)})


#: Settings that give Flask-Limiter limits on every request (checked before each request).
_LIMITS_EVERYWHERE = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")


def init_app(app: Flask) -> None:
    """Install Flask-Login and the rate limiter."""
    login_manager.init_app(app)
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    limiter.init_app(app)
    _limit_checks_where_limited(app)


def _limit_checks_where_limited(app: Flask) -> None:
    """Run Flask-Limiter's check before a request only where a limit can apply.

    Its hook runs before every request (~250 Python calls, a fifth of an empty page) to find
    the limits of the endpoint, while Parcours limits only the sign-in views (their decorator
    checks when the view is called) and the API blueprints (``lms_rate_limited``, checked by
    the hook). Unless the configuration sets limits for every request (``RATELIMIT_DEFAULT``,
    ``RATELIMIT_APPLICATION``, ``RATELIMIT_META``), the hook now runs for those blueprints
    only.
    """
    if any(app.config.get(key) for key in _LIMITS_EVERYWHERE):
        return
    with app.app_context():  # limits given to the limiter itself (or by an earlier app)
        manager = limiter.limit_manager
        if manager.default_limits or manager.application_limits:
            return
    hooks = app.before_request_funcs.setdefault(None, [])
    for index, hook in enumerate(hooks):
        if getattr(hook, "__self__", None) is limiter:
            hooks[index] = _only_where_limited(hook)


def _only_where_limited(check: Callable) -> Callable:
    @wraps(check)
    def check_limited_blueprints():
        from flask import current_app, request

        blueprints = current_app.blueprints
        for name in request.blueprints:
            if getattr(blueprints.get(name), "lms_rate_limited", False):
                return check()
        return None

    return check_limited_blueprints


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
