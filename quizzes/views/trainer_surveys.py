"""Trainer pages of a run's questionnaires: needs, pre/post self-assessments, satisfaction, and
the trainer's own evaluation of the session (filled in through the attempt service)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth import trainer_required
from lms.db import db
from quizzes.blueprint import bp
from quizzes.models import AttemptState, Purpose
from quizzes.results import free_texts, graphs, reports
from quizzes.results.competencies import scale_top
from quizzes.results.exports import FORMATS
from quizzes.results.questionnaires import instrument_results, self_assessment_table, survey_tables
from quizzes.taking import attempts as service
from quizzes.taking.pages import attempt_items
from quizzes.views.trainer_run import respond, run_for_trainer


def _survey_page(run_id: int, purpose: str, named: bool, report: str, title: str):
    run = run_for_trainer(run_id)
    instruments = reports.run_instruments(run, purposes=(purpose,))
    if request.args.get("format") in FORMATS:  # a file holds every free text
        results = [instrument_results(i, run.id, named) for i in instruments]
        tables = [table for result in results for table in survey_tables(result, named)]
        return respond(run, report, tables, "")
    results = [instrument_results(i, run.id, named, with_texts=False) for i in instruments]
    return render_template(
        "quizzes/trainer/survey.html",
        run=run,
        results=results,
        named=named,
        title=title,
        enrolled=reports.count_learners(run),
        tv=free_texts.texts_view(request.args, results, run.id, named),
    )


@bp.route("/formateur/sessions/<int:run_id>/besoins")
@trainer_required
def needs(run_id: int):
    """The needs questionnaire's answers: distributions, and free texts with who wrote them."""
    return _survey_page(run_id, Purpose.NEEDS, True, _("besoins"), _("Besoins des apprenants"))


@bp.route("/formateur/sessions/<int:run_id>/satisfaction")
@trainer_required
def satisfaction(run_id: int):
    """Satisfaction results: distributions, means, NPS, anonymous comments."""
    return _survey_page(
        run_id, Purpose.SATISFACTION, False, _("satisfaction"), _("Satisfaction des apprenants")
    )


@bp.route("/formateur/sessions/<int:run_id>/auto-evaluations")
@trainer_required
def self_assessment_report(run_id: int):
    """Pre and post self-assessment means per competency, each learner's gain, cohort means."""
    run = run_for_trainer(run_id)
    table = self_assessment_table(run, reports.run_learners(run))
    return respond(
        run,
        _("auto-evaluations"),
        [table],
        "quizzes/trainer/self_assessment.html",
        top=scale_top(run),
        pre_post=graphs.pre_post_chart(table, scale_top(run)),
        gains=graphs.gain_histogram(table, scale_top(run)),
    )


def _is_assigned(run) -> bool:
    return any(trainer.id == current_user.id for trainer in run.trainers)


def _review_instrument(run):
    found = reports.run_instruments(run, purposes=(Purpose.TRAINER_REVIEW,))
    return found[0] if found else None


@bp.route("/formateur/sessions/<int:run_id>/evaluation-formateur", methods=["GET", "POST"])
@trainer_required
def trainer_review(run_id: int):
    """The trainer's evaluation of the session: start, save, send; admins read everyone's."""
    run = run_for_trainer(run_id)
    instrument = _review_instrument(run)
    assigned = _is_assigned(run)
    mine = service.own_attempts(instrument, current_user.id, run.id) if instrument else []
    current = mine[-1] if mine else None
    if request.method == "POST":
        if instrument is None or not assigned:
            abort(403)
        return _review_post(run, instrument, current)
    others = []
    if instrument is not None and current_user.is_admin:
        others = [
            (user, attempt_items(attempt, shown=frozenset()))
            for attempt, user in reports.attempts_by(instrument.id, run.id)
            if user.id != current_user.id
        ]
    return _review_page(run, instrument, current, assigned, others)


def _review_page(run, instrument, current, assigned, others, missing=(), status=200):
    editing = current is not None and current.state == AttemptState.IN_PROGRESS
    items = []
    if editing:
        items = attempt_items(current, missing={q.id for q in missing})
    elif current is not None:
        items = attempt_items(current, shown=frozenset())
    page = render_template(
        "quizzes/trainer/trainer_review.html",
        run=run,
        instrument=instrument,
        attempt=current,
        assigned=assigned,
        items=items,
        missing=[item for item in items if item.missing],
        others=others,
        editing=editing,
    )
    return page, status


def _review_post(run, instrument, current):
    """Start the evaluation, or save / send its answers."""
    back = url_for("quizzes.trainer_review", run_id=run.id)
    action = request.form.get("action", "save")
    try:
        if action == "start" or current is None:
            service.start(instrument, current_user, run.id)
            db.session.commit()
            return redirect(back, 303)
        service.save_answers(current, request.form)
        if action == "submit":
            missing = service.missing_required(current)
            if missing:
                db.session.commit()
                return _review_page(run, instrument, current, True, [], missing, 400)
            service.submit(current)
            flash(_("Merci : votre évaluation de la session est envoyée."), "success")
        else:
            flash(_("Réponses enregistrées."), "success")
    except service.AttemptRefused as refused:
        flash(refused.message, "error")
    db.session.commit()
    return redirect(back, 303)
