"""The quizzes plugin: what is measured (quizzes, self-assessments, questionnaires).

Packages, one question each: :mod:`quizzes.authoring` (where instruments come from),
:mod:`quizzes.taking` (taking, scoring and grading an attempt), :mod:`quizzes.results` (what
trainers read, and exports), :mod:`quizzes.qtypes` (question types), :mod:`quizzes.campaigns`
(6/12-month follow-ups), :mod:`quizzes.surveys` (survey campaigns to people
who are not enrolled), :mod:`quizzes.views` (the pages), :mod:`quizzes.demo` (demo data).
May import: ``lms`` and ``courses``.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from lms.plugins import Plugin
from quizzes import views  # noqa: F401 - routes register on import
from quizzes.api import bp as api_bp
from quizzes.blueprint import bp
from quizzes.campaigns import setup as campaign_setup
from quizzes.campaigns import tick as campaign_tick
from quizzes.registration import ACTIVITY_KINDS, QUESTION_TYPES, nav, run_links

HERE = Path(__file__).resolve().parent


def _cli():
    from quizzes.cli import quiz_cli

    return quiz_cli


def _followups_cli():
    from quizzes.campaigns.cli import followups_cli

    return followups_cli


def _personal_data(user) -> dict:
    from quizzes.evidence.personal_data import personal_data

    return personal_data(user)


def _tick(now) -> None:
    from quizzes.evidence.retention import anonymise_inactive
    from quizzes.surveys import tick as survey_tick

    campaign_tick(now)
    survey_tick(now)
    anonymise_inactive(now)


def _erase_personal_data(user) -> None:
    from quizzes.evidence.personal_data import erase_personal_data

    erase_personal_data(user)


def _demo(rng, now):
    from quizzes.demo.loader import load

    return load(rng, now)


def _dashboard(user):
    from quizzes.dashboard import dashboard

    return dashboard(user)


def _setup(app):
    from lms.signals import mail_failed
    from quizzes import lti, xapi
    from quizzes.results.cells import cell_html, row_html
    from quizzes.surveys.mailing import on_mail_failed

    campaign_setup(app)
    mail_failed.connect(on_mail_failed)
    xapi.setup(app)
    lti.setup(app)
    app.add_template_filter(cell_html, "report_cell")
    app.add_template_filter(row_html, "report_row")


plugin = Plugin(
    name="quizzes",
    requires=("courses",),
    blueprint=bp,
    models="quizzes.models",
    migrations=str(HERE / "migrations"),
    cli=_cli(),
    nav=nav,
    mail_categories={
        "grading": _l("Correction d'une copie"),
        "followup": _l("Suivi à froid"),
        "survey": _l("Enquête"),
    },
    run_links=run_links,
    dashboard=_dashboard,
    activity_kinds=ACTIVITY_KINDS,
    question_types=QUESTION_TYPES,
    api_blueprints=(api_bp,),
    setup=_setup,
    tick=_tick,
    cli_commands=(_followups_cli(),),
    demo=_demo,
    personal_data=_personal_data,
    erase_personal_data=_erase_personal_data,
)
