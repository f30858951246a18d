"""Parcours host application: the factory and its configuration steps.

May import: Flask and its extensions; never a plugin (``courses``, ``quizzes``): plugins
reach the host through :mod:`lms.plugins` and :mod:`lms.signals`.
"""

from __future__ import annotations

import logging
import os

from flask import Flask

from lms import config as lms_config


def create_app(config: dict | None = None) -> Flask:
    """Create the Parcours application.

    ``config`` overrides the settings read from the environment (tests pass their own);
    ``INSTANCE_PATH`` in it, or the ``LMS_INSTANCE_PATH`` variable, moves the instance folder.
    """
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("LMS_INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(lms_config.from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = lms_config.ensure_secret_key(app.instance_path)
    _configure_logging(app)
    _configure_extensions(app)
    _configure_plugins(app)
    _configure_web(app)
    _configure_cli(app)
    return app


def _configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )
        logging.getLogger("alembic").setLevel(logging.WARNING)


def _configure_extensions(app: Flask) -> None:
    from lms import auth, db, i18n, migrate, security

    db.init_app(app)
    migrate.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)
    security.init_app(app)


def _configure_plugins(app: Flask) -> None:
    from lms import models  # noqa: F401 - host models must be known before plugins' ones
    from lms.admin.dashboard import failed_mail_panel
    from lms.api import models as api_models  # noqa: F401
    from lms.mail import models as mail_models  # noqa: F401
    from lms.plugins import load_plugins
    from lms.storage import models as storage_models  # noqa: F401
    from lms.views import host_nav
    from lms.xapi import models as xapi_models  # noqa: F401

    registry = load_plugins(app)
    registry.host_nav = host_nav
    registry.host_dashboard = failed_mail_panel


def _configure_web(app: Flask) -> None:
    from lms import api, errors, personal_data, shell, views  # noqa: F401 - routes on views.bp
    from lms.admin import bp as admin_bp
    from lms.auth.views import bp as auth_bp

    app.register_blueprint(views.bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(auth_bp)
    errors.init_app(app)
    shell.init_app(app)
    api.init_app(app)


def _configure_cli(app: Flask) -> None:
    from lms.cli import init_app

    init_app(app)
