"""Trainer pages of a run: results table, attempts in detail, essay grading, item analysis.

Each page is for the run's trainers and administrators (others get 403, anonymous visitors the
login page), and each table downloads with ``?format=csv`` or ``?format=xlsx``.
Questionnaire reports are in :mod:`quizzes.views.trainer_surveys`.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from lms.auth import trainer_required
from lms.db import db
from lms.mail import send_queued
from lms.models import User
from quizzes.blueprint import bp
from quizzes.models import Answer, Attempt, Instrument, InstrumentKind
from quizzes.results import graphs, paged, reports, stored
from quizzes.results.exports import FORMATS
from quizzes.results.tables import (
    item_tables,
    queue_table,
    results_export_table,
    results_table,
)
from quizzes.taking.grading import GradingError, grade_answer, parse_score
from quizzes.taking.pages import attempt_items
from quizzes.taking.rules import REVIEW_ITEMS
from quizzes.views.trainer_run import respond, run_for_trainer


class GradeForm(FlaskForm):
    """A trainer's grade of one essay: a score (decimal comma accepted) and a comment."""

    score = StringField(_l("Note"), validators=[InputRequired(), Length(max=20)])
    comment = TextAreaField(_l("Commentaire pour l'apprenant"), validators=[Length(max=5000)])


@bp.route("/formateur/sessions/<int:run_id>/resultats")
@trainer_required
def run_results(run_id: int):
    """Learners × quizzes: best score, attempts (each a link) and passed."""
    run = run_for_trainer(run_id)
    quizzes = reports.run_instruments(run, kind=InstrumentKind.QUIZ)
    ids = [q.id for q in quizzes]
    if request.args.get("format") in FORMATS:  # an export lists every learner, in batches
        table = results_export_table(run.id, quizzes, reports.run_learners(run))
        return respond(run, _("resultats"), [table], "")
    page = paged.run_learners_page(run, paged.learners_listing(request.args))  # 50 of them
    user_ids = [learner.user_id for learner in page.items]
    learners = page.items
    table = results_table(
        quizzes,
        learners,
        reports.results_matrix(run.id, ids, user_ids),
        reports.run_attempts(run.id, ids, user_ids),
    )
    return respond(
        run, _("resultats"), [table], "quizzes/trainer/results.html", quizzes=quizzes, page=page
    )


@bp.route("/formateur/sessions/<int:run_id>/a-corriger")
@trainer_required
def grading_queue(run_id: int):
    """Essays of the run's learners waiting for a grade, oldest first."""
    run = run_for_trainer(run_id)
    table = queue_table(reports.grading_queue(run.id), format_datetime)
    return respond(run, _("a-corriger"), [table], "quizzes/trainer/queue.html")


def _attempt_run(attempt: Attempt):
    """The attempt's run if the current user may review it (admins: attempts without a run too)."""
    if attempt.run_id is None:
        if not current_user.is_admin:
            abort(403)
        return None
    return run_for_trainer(attempt.run_id)


def _grade_form(answer: Answer) -> GradeForm:
    """The grading form of an essay, filled with its current grade."""
    form = GradeForm(formdata=None, prefix=f"a{answer.id}")
    form.score.data = "" if answer.score is None else f"{answer.score:g}".replace(".", ",")
    form.comment.data = answer.comment or ""
    return form


def _detail_page(attempt: Attempt, run, failed: tuple[int, GradeForm] | None = None):
    """The attempt page: every question as reviewed, and a grading form under each essay."""
    answers = {a.question_id: a for a in attempt.answers}
    items = attempt_items(attempt, shown=frozenset(REVIEW_ITEMS))
    forms = {}
    for item in items:
        answer = answers.get(item.question.id)
        if answer is None or item.question.type not in reports.MANUAL_TYPES:
            continue
        if failed and failed[0] == answer.id:
            forms[item.question.id] = (answer, failed[1])
        else:
            forms[item.question.id] = (answer, _grade_form(answer))
    for answer, form in forms.values():
        form.score.description = _(
            "Sur %(max)s points ; la virgule décimale est acceptée.",
            max=f"{answer.question.max_score:g}",
        )
    return render_template(
        "quizzes/trainer/attempt.html",
        attempt=attempt,
        run=run,
        learner=db.session.get(User, attempt.user_id),
        instrument=attempt.instrument,
        items=items,
        forms=forms,
    )


@bp.route("/formateur/tentatives/<int:attempt_id>")
@trainer_required
def attempt_detail(attempt_id: int):
    """One attempt in detail: answers, scores, correct answers, essay grading forms."""
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
    run = _attempt_run(attempt)
    return _detail_page(attempt, run)


@bp.route("/formateur/reponses/<int:answer_id>/noter", methods=["POST"])
@trainer_required
def grade(answer_id: int):
    """Record a trainer's grade and comment on an essay, then tell the learner by e-mail."""
    answer = db.session.get(Answer, answer_id) or abort(404)
    attempt = answer.attempt
    run = _attempt_run(attempt)
    form = GradeForm(prefix=f"a{answer.id}")
    if form.validate_on_submit():
        score = parse_score(form.score.data)
        try:
            if score is None:
                raise GradingError(_("Indiquez la note en chiffres, par exemple 7,5."))
            grade_answer(answer, score, form.comment.data, current_user)
        except GradingError as error:
            form.score.errors = [*form.score.errors, error.message]
        else:
            db.session.commit()
            if current_app.config["MAIL_SEND_ON_COMMIT"]:
                send_queued()
            flash(_("Note enregistrée ; l'apprenant est prévenu par e-mail."), "success")
            target = url_for("quizzes.attempt_detail", attempt_id=attempt.id)
            return redirect(f"{target}#question-{answer.question_id}", 303)
    return _detail_page(attempt, run, failed=(answer.id, form)), 400


@bp.route(
    "/formateur/sessions/<int:run_id>/quiz/<int:instrument_id>/analyse", endpoint="item_analysis"
)
@trainer_required
def item_analysis_page(run_id: int, instrument_id: int):
    """Facility, standard deviation, discrimination and choice counts per question."""
    run = run_for_trainer(run_id)
    instrument = db.session.get(Instrument, instrument_id)
    if instrument is None or instrument.course_id != run.course_id:
        abort(404)
    if instrument.kind != InstrumentKind.QUIZ:
        abort(404)
    attempts, stats, scores = stored.analysis(instrument, run.id)
    tables = item_tables(instrument, stats)
    report = _("analyse-%(key)s", key=instrument.key)
    return respond(
        run,
        report,
        tables,
        "quizzes/trainer/item_analysis.html",
        instrument=instrument,
        attempts=attempts,
        stats=stats,
        scores=graphs.score_histogram(instrument, run.id, counted=scores),
        item_map=graphs.item_map(stats),
    )
