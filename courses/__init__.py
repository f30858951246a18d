"""The courses plugin: what is taught and who follows it.

Packages: :mod:`courses.content` (course folders in and out), :mod:`courses.views` (pages per
audience), :mod:`courses.live` (live sessions scheduled per run, attendance), :mod:`courses.demo`
(demo data). May import: ``lms``. Never ``quizzes``.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from courses import live, views  # noqa: F401 - routes register on import
from courses.blueprint import bp
from courses.kinds import ACTIVITY_KINDS
from lms.plugins import NavItem, Plugin, RunLink

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


def _run_links(user, run, audience):
    """The trainer's session page links to the live sessions and their attendance."""
    from flask import url_for

    if audience != "trainer":
        return []
    return [
        RunLink(
            _l("Classes virtuelles et présences"),
            url_for("courses.trainer_live", run_id=run.id),
            15,
        )
    ]


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
    run_links=_run_links,
    activity_kinds=ACTIVITY_KINDS,
    cli_commands=_cli_commands(),
    demo=_demo,
)
