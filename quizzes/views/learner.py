"""Learner pages: an instrument's page, taking an attempt (save, autosave, submit), the review
of an attempt, and « Ma progression » (pre vs post self-assessment per competency).

A learner reaches them with an open enrolment in the run (same rules as lessons) and only ever
sees their own attempts: another person's attempt id gives 404.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required

from courses import progress, queries
from courses.access import open_run
from lms.db import commit_keeping_loaded, db, locks_itself, utcnow
from quizzes.blueprint import bp
from quizzes.models import Attempt, AttemptState
from quizzes.results.chart import chart_height, chart_rows
from quizzes.results.competencies import learner_competencies, scale_top
from quizzes.taking import attempts as service
from quizzes.taking.layout import layout_questions
from quizzes.taking.opening import opening
from quizzes.taking.pages import (
    answer_counts,
    attempt_items,
    learner_instrument,
    learner_instrument_counted,
)
from quizzes.taking.review import after_submission, review_items
from quizzes.taking.rules import Rules


def _own_attempt(attempt_id: int):
    """The current user's attempt with its run and open enrolment; 404 for anyone else's."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id or attempt.run_id is None:
        abort(404)
    run, enrolment = open_run(attempt.run_id)
    return attempt, run, enrolment


@bp.route("/parcours/sessions/<int:run_id>/evaluations/<int:activity_id>")
@login_required
def activity(run_id: int, activity_id: int):
    """An instrument's page: intro, rules in plain words, past attempts, start or continue."""
    run, enrolment = open_run(run_id)
    current = queries.live_activity(run, activity_id)
    if current is None:
        abort(404)
    instrument, question_count = learner_instrument_counted(current.id)
    if progress.record_visit(enrolment, current):
        db.session.commit()
    rules = Rules.of(instrument)
    summary, mine, in_progress = _own_attempts(instrument, run)
    if in_progress is not None and service.expire_if_due(in_progress):
        db.session.commit()  # its grade and state change the summary: read again
        summary, mine, in_progress = _own_attempts(instrument, run)
    return render_template(
        "quizzes/learner/activity.html",
        run=run,
        activity=current,
        instrument=instrument,
        rules=rules,
        attempts=mine,
        summary=summary,
        shown=after_submission(rules, run),
        in_progress=in_progress,
        left=service.attempts_left(rules, summary.count),
        opening=opening(instrument, run, enrolment),
        percent=service.percent,
        question_count=question_count,
    )


def _own_attempts(instrument, run):
    """The summary of the learner's attempts, the page of them asked for (``?page=``, newest
    first) and the one in progress (the newest: read with the first page)."""
    number = min(max(1, request.args.get("page", 1, type=int)), 10**6)
    summary, mine = service.own_attempts_page(instrument, current_user.id, run.id, number)
    in_progress = None
    if summary.in_progress_id is not None:
        in_progress = db.session.get(Attempt, summary.in_progress_id)
    return summary, mine, in_progress


@bp.route(
    "/parcours/sessions/<int:run_id>/evaluations/<int:activity_id>/commencer", methods=["POST"]
)
@login_required
@locks_itself
def start(run_id: int, activity_id: int):
    """Start a new attempt (or continue the one in progress) and go to its page."""
    run, enrolment = open_run(run_id)
    current = queries.live_activity(run, activity_id)
    if current is None:
        abort(404)
    instrument = learner_instrument(current.id)
    back = url_for("quizzes.activity", run_id=run.id, activity_id=current.id)
    is_open = opening(instrument, run, enrolment)
    if not is_open.is_open:
        flash(is_open.message, "error")
        return redirect(back, 303)
    try:
        attempt = service.start(instrument, current_user, run.id, enrolment)
    except service.AttemptRefused as refused:
        db.session.commit()
        flash(refused.message, "error")
        return redirect(back, 303)
    target = url_for("quizzes.attempt", attempt_id=attempt.id)  # the commit expires it
    db.session.commit()
    return redirect(target, 303)


def _render_attempt(attempt, run, missing=None, status=200):
    items = attempt_items(attempt, missing={q.id for q in missing or ()})
    remaining = None
    if attempt.deadline_at is not None:
        remaining = max(0, int((attempt.deadline_at - utcnow()).total_seconds()))
    page = render_template(
        "quizzes/learner/attempt.html",
        attempt=attempt,
        run=run,
        instrument=attempt.instrument,
        items=items,
        missing=[i for i in items if i.missing],
        remaining=remaining,
    )
    return page, status


@bp.route("/parcours/tentatives/<int:attempt_id>", methods=["GET", "POST"])
@login_required
@locks_itself
def attempt(attempt_id: int):
    """The attempt's form. POST saves (``action=save``), asks for confirmation
    (``action=submit``), sends (``action=confirm``) or closes a timed attempt (``action=timeout``).
    """
    current, run, _enrolment = _own_attempt(attempt_id)
    review_url = url_for("quizzes.review", attempt_id=current.id)
    if request.method == "GET":
        if service.expire_if_due(current):
            db.session.commit()
            flash(_("Le temps imparti est écoulé : la tentative a été envoyée."), "warning")
        if current.state != AttemptState.IN_PROGRESS:
            return redirect(review_url)
        return _render_attempt(current, run)
    action = request.form.get("action", "save")
    if action == "confirm":
        return _confirm(current, run, review_url)
    try:
        service.save_answers(current, request.form)
    except service.AttemptRefused as refused:
        db.session.commit()
        flash(refused.message, "error")
        return redirect(review_url, 303)
    return _after_save(current, run, action, review_url)


def _after_save(current, run, action: str, review_url: str):
    """Continue a POST once the answers are saved, according to the button pressed."""
    if action == "timeout" and current.deadline_at and utcnow() >= current.deadline_at:
        service.submit(current)
        db.session.commit()
        flash(_("Le temps imparti est écoulé : la tentative a été envoyée."), "warning")
        return redirect(review_url, 303)
    if action == "submit":
        # The page is made after the commit (outside the write lock) from the objects as they
        # are: the answers just saved, the attempt read under the lock, its questions before.
        commit_keeping_loaded()
        missing = service.missing_required(current)
        if missing:
            return _render_attempt(current, run, missing=missing, status=422)
        return _confirmation(current, run)
    # The message and address are made before the commit, which expires the objects.
    message, target = (
        _("Vos réponses sont enregistrées."),
        url_for("quizzes.attempt", attempt_id=current.id),
    )
    db.session.commit()
    flash(message, "success")
    return redirect(target, 303)


def _confirmation(current, run) -> str:
    """The page asking to confirm sending the attempt: how many questions are answered."""
    answered, total = answer_counts(current)
    return render_template(
        "quizzes/learner/confirm.html",
        attempt=current,
        run=run,
        instrument=current.instrument,
        answered=answered,
        total=total,
    )


def _confirm(current, run, review_url: str):
    """Send the attempt (the confirmation page's button); a second send changes nothing."""
    if current.state != AttemptState.IN_PROGRESS:
        flash(
            _("Cette tentative a déjà été envoyée : vos réponses ne peuvent plus être modifiées."),
            "warning",
        )
        return redirect(review_url, 303)
    if service.expire_if_due(current):
        db.session.commit()
        flash(_("Le temps imparti est écoulé : la tentative a été envoyée."), "warning")
        return redirect(review_url, 303)
    questions = layout_questions(current)
    missing = service.missing_required(current, questions)
    if missing:
        return _render_attempt(current, run, missing=missing, status=422)
    sent, message = (
        service.submit(current, questions=questions),
        _("Vos réponses ont été envoyées."),
    )
    db.session.commit()
    if sent:
        flash(message, "success")
    return redirect(review_url, 303)


@bp.route("/parcours/tentatives/<int:attempt_id>/enregistrer", methods=["POST"])
@login_required
@locks_itself
def autosave(attempt_id: int):
    """Save the answers sent by attempt.js (the whole form); JSON answer."""
    current, _run_, _enrolment = _own_attempt(attempt_id)
    try:
        service.save_answers(current, request.form)
    except service.AttemptRefused as refused:
        db.session.commit()
        review_url = url_for("quizzes.review", attempt_id=current.id)
        return jsonify(saved=False, error=refused.message, redirect=review_url), 409
    db.session.commit()
    now = utcnow()
    return jsonify(saved=True, saved_at=now.isoformat() + "Z", saved_at_text=format_time(now))


@bp.route("/parcours/tentatives/<int:attempt_id>/resultat")
@login_required
def review(attempt_id: int):
    """The review of a submitted attempt, as far as the review options allow."""
    current, run, _enrolment = _own_attempt(attempt_id)
    if service.expire_if_due(current):
        db.session.commit()
    if current.state == AttemptState.IN_PROGRESS:
        return redirect(url_for("quizzes.attempt", attempt_id=current.id))
    instrument = current.instrument
    rules = Rules.of(instrument)
    items = review_items(current, rules, run)
    return render_template(
        "quizzes/learner/review.html",
        attempt=current,
        run=run,
        instrument=instrument,
        rules=rules,
        allowed=items,
        items=attempt_items(current, shown=items),
        percent=service.percent(current),
    )


@bp.route("/parcours/sessions/<int:run_id>/progression")
@login_required
def my_progress(run_id: int):
    """Pre vs post self-assessment per competency: an SVG chart and the same figures as a table."""
    run, _enrolment = open_run(run_id)
    rows = learner_competencies(run, current_user.id)
    top = scale_top(run)
    return render_template(
        "quizzes/learner/my_progress.html",
        run=run,
        rows=rows,
        top=top,
        chart=chart_rows(rows, top),
        height=chart_height(rows),
        answered=any(r.pre is not None or r.post is not None for r in rows),
    )
