"""Flask-Migrate wiring: one Alembic history, version folders contributed by plugins."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from flask_migrate import Migrate

from lms.db import db

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

migrate = Migrate(compare_type=True, render_as_batch=True)


@migrate.configure
def _add_plugin_locations(config):
    """Let Alembic see the host's version folder and every loaded plugin's one."""
    from flask import current_app

    from lms.plugins import get_registry

    locations = [str(MIGRATIONS_DIR / "versions")]
    locations += get_registry(current_app).migration_locations()
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(locations))
    return config


def _default_upgrade_to_heads() -> None:
    """Make ``flask db upgrade`` (no argument) go to every branch head.

    Each plugin keeps its own Alembic branch, so there is one head per plugin; "heads" is what an
    administrator means by "bring the schema up to date".
    """
    from flask_migrate.cli import db as db_group

    for name in ("upgrade",):
        command = db_group.commands.get(name)
        for param in command.params if command else ():
            if param.name == "revision":
                param.default = "heads"


def init_app(app: Flask) -> None:
    """Attach Flask-Migrate to the app with the shared migrations directory."""
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    _default_upgrade_to_heads()
