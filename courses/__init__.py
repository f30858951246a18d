"""The courses plugin: what is taught and who follows it.

Packages: :mod:`courses.content` (course folders in and out), :mod:`courses.views` (pages per
audience), :mod:`courses.live` (live sessions scheduled per run, attendance),
:mod:`courses.forum` (a forum per session), :mod:`courses.support` (support requests),
:mod:`courses.projects` (projects graded by a jury),
:mod:`courses.demo` (demo data).
May import: ``lms``. Never ``quizzes``.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from courses import (  # noqa: F401 - routes register on import
    forum,
    live,
    lti,
    projects,
    support,
    views,
)
from courses.api import bp as api_bp
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
        items.append(NavItem(_l("Assistance"), "courses.support_queue", 25))
    if user.role == "jury":
        items.append(NavItem(_l("Jury des projets"), "courses.jury_home", 10))
    if user.role == "admin":
        items.append(NavItem(_l("Sessions"), "courses.admin_runs", 30))
        items.append(NavItem(_l("Formations"), "courses.admin_courses", 31))
        items.append(NavItem(_l("Plateformes LTI"), "courses.lti_platforms", 36))
    return items


def _run_links(user, run, audience):
    """The session's pages link to its forum (with new posts for learners) and live sessions."""
    from flask import url_for
    from flask_babel import ngettext

    from courses.forum.queries import new_posts

    link = url_for("courses.forum_index", run_id=run.id)
    if audience != "trainer":
        fresh = new_posts(run, user.id)
        label = _l("Forum de la session")
        if fresh:
            label = ngettext(
                "Forum de la session (%(num)d nouveau message)",
                "Forum de la session (%(num)d nouveaux messages)",
                fresh,
            )
        support = url_for("courses.support_list", run_id=run.id)
        return [RunLink(label, link, 5), RunLink(_l("Demander de l'aide"), support, 6)]
    return [
        RunLink(_l("Forum de la session"), link, 5),
        RunLink(
            _l("Classes virtuelles et présences"),
            url_for("courses.trainer_live", run_id=run.id),
            15,
        ),
        RunLink(_l("Projets et jury"), url_for("courses.jury_home"), 16),
        RunLink(_l("Membres du jury"), url_for("courses.jury_members", run_id=run.id), 17),
    ]


def _tick(now):
    """Scheduled work of the courses plugin: the forum's daily digest."""
    from courses.forum.digest import queue_digests
    from lms.db import db

    queue_digests(now)
    db.session.commit()
    _lti_tick(now)


def _lti_tick(now):
    """LTI: post the queued scores to the platforms, forget nonces expired for a day."""
    from courses.lti.config import prune_nonces
    from courses.lti.sender import send_due
    from lms.db import db

    send_due(now)
    prune_nonces(now)
    db.session.commit()


def _cli_commands():
    from courses.cli import COMMANDS

    return COMMANDS


def _demo(rng, now):
    from courses.demo.loader import load

    return load(rng, now)


def _personal_data(user) -> dict:
    from courses.personal_data import personal_data

    return personal_data(user)


def _erase_personal_data(user) -> None:
    from courses.personal_data import erase_personal_data

    erase_personal_data(user)


def _dashboard(user):
    from courses.dashboard import dashboard

    return dashboard(user)


def _setup(app):
    from courses.outline import outline_list
    from courses.rows import enrolment_row, enrolment_rows, grid_row, row_words, status_badge
    from courses.xapi import setup

    setup(app)
    app.add_template_global(outline_list, "outline_list")
    app.add_template_filter(grid_row, "grid_row")
    app.add_template_global(row_words, "row_words")
    app.add_template_global(status_badge, "status_badge")
    app.add_template_filter(enrolment_row, "enrolment_row")
    app.add_template_global(enrolment_rows, "enrolment_rows")


plugin = Plugin(
    name="courses",
    blueprint=bp,
    models="courses.models",
    migrations=str(HERE / "migrations"),
    nav=_nav,
    run_links=_run_links,
    dashboard=_dashboard,
    tick=_tick,
    mail_categories={
        "invitation": _l("Invitation à une session"),
        "jury": _l("Invitation à un jury"),
        "project": _l("Résultat d'un projet"),
    },
    activity_kinds=ACTIVITY_KINDS,
    api_blueprints=(api_bp,),
    cli_commands=_cli_commands(),
    demo=_demo,
    personal_data=_personal_data,
    erase_personal_data=_erase_personal_data,
    setup=_setup,
)
