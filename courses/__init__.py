"""The courses plugin: what is taught and who follows it.

Packages: :mod:`courses.content` (course folders in and out), :mod:`courses.views` (pages per
audience), :mod:`courses.demo` (demo data). May import: ``lms``. Never ``quizzes``.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from courses import views  # noqa: F401 - routes register on import
from courses.blueprint import bp
from courses.kinds import ACTIVITY_KINDS
from lms.plugins import NavItem, Plugin

HERE = Path(__file__).resolve().parent


def _nav(user):
    """Navigation entries of the courses plugin, per role."""
    items = []
    if user.role == "learner":
        items.append(NavItem(_l("Mon parcours"), "courses.my_courses", 10))
    if user.role in ("trainer", "admin"):
        items.append(NavItem(_l("Mes sessions"), "courses.trainer_runs", 20))
    if user.role == "admin":
        items.append(NavItem(_l("Sessions"), "courses.admin_runs", 30))
        items.append(NavItem(_l("Formations"), "courses.admin_courses", 31))
    return items


def _cli_commands():
    from courses.cli import COMMANDS

    return COMMANDS


def _demo(rng, now):
    from courses.demo.loader import load

    return load(rng, now)


plugin = Plugin(
    name="courses",
    blueprint=bp,
    models="courses.models",
    migrations=str(HERE / "migrations"),
    nav=_nav,
    mail_categories={"invitation": _l("Invitation à une session")},
    activity_kinds=ACTIVITY_KINDS,
    cli_commands=_cli_commands(),
    demo=_demo,
)
