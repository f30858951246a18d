"""Trainer pages of a run's other questionnaires and self-assessments: those without a report
of their own (purpose ``survey``: positioning grids, group evaluations, practical exercises).

Same access as every trainer page (the run's trainers and administrators; others get 403,
anonymous visitors the login page), same exports (``?format=csv|xlsx``).
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from lms.auth import trainer_required
from lms.db import db
from quizzes.blueprint import bp
from quizzes.models import Instrument
from quizzes.results import free_texts, reports
from quizzes.results.exports import FORMATS
from quizzes.results.questionnaires import (
    instrument_results,
    is_other_questionnaire,
    names_authors,
    other_questionnaires,
    survey_tables,
)
from quizzes.results.tables import questionnaires_table
from quizzes.views.trainer_run import respond, run_for_trainer


@bp.route("/formateur/sessions/<int:run_id>/questionnaires")
@trainer_required
def questionnaires(run_id: int):
    """The run's other questionnaires, each with its number of respondents and a link."""
    run = run_for_trainer(run_id)
    found = other_questionnaires(run)
    counts = reports.respondents([i.id for i in found], run.id)
    enrolled = reports.count_learners(run)
    table = questionnaires_table(run.id, found, counts, enrolled)
    return respond(
        run, _("questionnaires"), [table], "quizzes/trainer/questionnaires.html", found=found
    )


@bp.route("/formateur/sessions/<int:run_id>/questionnaires/<int:instrument_id>")
@trainer_required
def questionnaire_results(run_id: int, instrument_id: int):
    """One questionnaire's answers: distributions, means, and free texts with who wrote them."""
    run = run_for_trainer(run_id)
    instrument = db.session.get(Instrument, instrument_id)
    if instrument is None or instrument.course_id != run.course_id:
        abort(404)
    if not is_other_questionnaire(instrument):
        abort(404)
    named = names_authors(instrument)
    if request.args.get("format") in FORMATS:
        result = instrument_results(instrument, run.id, named)
        tables = survey_tables(result, named)
        return respond(run, _("questionnaire-%(key)s", key=instrument.key), tables, "")
    result = instrument_results(instrument, run.id, named, with_texts=False)
    return render_template(
        "quizzes/trainer/questionnaire.html",
        run=run,
        instrument=instrument,
        result=result,
        named=named,
        enrolled=reports.count_learners(run),
        tv=free_texts.texts_view(request.args, [result], run.id, named),
    )
