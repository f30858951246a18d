"""Administrators' campaign pages: what is due when (overall and per run), the follow-up plan of
a course, and the preview of the e-mails."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from courses.models import Course
from lms.admin.mail_log import HTML_BODY_CSP
from lms.auth import admin_required
from lms.db import db
from quizzes.blueprint import bp
from quizzes.campaigns import mailing, plans
from quizzes.campaigns.figures import schedule
from quizzes.campaigns.forms import ActionForm, PlanForm, WaveForm
from quizzes.campaigns.models import FollowUpPlan, FollowUpWave
from quizzes.campaigns.views.common import run_and_wave, run_or_404, sketch_campaign, today


@bp.route("/admin/suivi")
@admin_required
def campaign_overview():
    """Every follow-up wave of every run by due date, with its figures; the courses' plans."""
    courses = db.session.execute(
        sa.select(Course, FollowUpPlan)
        .outerjoin(FollowUpPlan, FollowUpPlan.course_id == Course.id)
        .order_by(Course.title)
    ).all()
    return render_template(
        "quizzes/campaigns/admin/overview.html",
        rows=schedule(today()),
        courses=courses,
        today=today(),
    )


@bp.route("/admin/suivi/sessions/<int:run_id>")
@admin_required
def campaign_run(run_id: int):
    """One run's waves: due dates, figures, and the actions of each campaign."""
    run = run_or_404(run_id)
    return render_template(
        "quizzes/campaigns/admin/run.html",
        run=run,
        rows=schedule(today(), [run.id]),
        plan=plans.plan_of(run.course_id),
        form=ActionForm(),
        today=today(),
    )


def _wave_form(course_id: int, wave: FollowUpWave | None = None, **kw) -> WaveForm:
    form = WaveForm(obj=wave, prefix=f"w{wave.id}" if wave else "new", **kw)
    form.instrument_id.choices = [(0, _("— aucun (vague inactive) —"))] + [
        (i.id, i.title) for i in plans.questionnaires(course_id)
    ]
    if wave is not None and request.method == "GET":
        form.instrument_id.data = wave.instrument_id or 0
    return form


@bp.route("/admin/suivi/formations/<int:course_id>", methods=["GET", "POST"])
@admin_required
def campaign_plan(course_id: int):
    """A course's follow-up plan: its settings and its waves (questionnaire, timing, reminders)."""
    course = db.session.get(Course, course_id) or abort(404)
    plan = plans.plan_of(course.id)
    form = PlanForm(obj=plan)
    if plan is not None and form.validate_on_submit():
        plan.active, plan.satisfaction_days = form.active.data, form.satisfaction_days.data
        db.session.commit()
        flash(_("Le plan de suivi est enregistré."), "success")
        return redirect(url_for("quizzes.campaign_plan", course_id=course.id), 303)
    waves = plan.waves if plan else []
    return render_template(
        "quizzes/campaigns/admin/plan.html",
        course=course,
        plan=plan,
        form=form,
        waves=[(w, _wave_form(course.id, w), plans.wave_in_use(w.id)) for w in waves],
        new_wave=_wave_form(course.id),
        action=ActionForm(),
    )


@bp.route("/admin/suivi/formations/<int:course_id>/plan", methods=["POST"])
@admin_required
def campaign_plan_create(course_id: int):
    """Create the course's plan with the default waves (6 and 12 months)."""
    course = db.session.get(Course, course_id) or abort(404)
    if ActionForm().validate_on_submit():
        plans.default_plan(course)
        db.session.commit()
        flash(_("Plan de suivi créé : vagues à 6 et 12 mois."), "success")
    return redirect(url_for("quizzes.campaign_plan", course_id=course.id), 303)


def _save_wave(wave: FollowUpWave, form: WaveForm) -> None:
    wave.instrument_id = form.instrument_id.data or None
    for name in (
        "offset_months",
        "first_reminder_days",
        "reminder_interval_days",
        "max_reminders",
        "expiry_days",
    ):
        setattr(wave, name, getattr(form, name).data)


@bp.route("/admin/suivi/formations/<int:course_id>/vagues", methods=["POST"])
@admin_required
def campaign_wave_new(course_id: int):
    """Add a wave to the course's plan."""
    plan = plans.plan_of(course_id) or abort(404)
    form = _wave_form(course_id)
    if form.validate_on_submit():
        wave = FollowUpWave(plan_id=plan.id)
        _save_wave(wave, form)
        db.session.add(wave)
        db.session.commit()
        flash(_("Vague ajoutée."), "success")
    else:
        flash(_("Vague non ajoutée : vérifiez les valeurs saisies."), "error")
    return redirect(url_for("quizzes.campaign_plan", course_id=course_id), 303)


@bp.route("/admin/suivi/vagues/<int:wave_id>", methods=["POST"])
@admin_required
def campaign_wave_edit(wave_id: int):
    """Change a wave (or delete it with ``action=delete`` if it sent nothing yet)."""
    wave = db.session.get(FollowUpWave, wave_id) or abort(404)
    course_id = wave.plan.course_id
    form = _wave_form(course_id, wave)
    if request.form.get("action") == "delete":  # CSRF: checked for every POST by CSRFProtect
        if not plans.wave_in_use(wave.id):
            db.session.delete(wave)
            db.session.commit()
            flash(_("Vague supprimée."), "success")
        else:
            flash(
                _("Cette vague a déjà envoyé des invitations : elle ne peut pas être supprimée."),
                "error",
            )
    elif form.validate_on_submit():
        _save_wave(wave, form)
        db.session.commit()
        flash(_("Vague enregistrée."), "success")
    else:
        flash(_("Vague non enregistrée : vérifiez les valeurs saisies."), "error")
    return redirect(url_for("quizzes.campaign_plan", course_id=course_id), 303)


def _preview_kind() -> int:
    return 1 if request.args.get("relance") == "1" else 0


@bp.route("/admin/suivi/sessions/<int:run_id>/vagues/<int:wave_id>/apercu")
@admin_required
def campaign_preview(run_id: int, wave_id: int):
    """The invitation (or reminder) e-mail as a learner of the run would receive it."""
    run, wave = run_and_wave(run_id, wave_id)
    reminder = _preview_kind()
    subject, text, _html = mailing.preview(sketch_campaign(run, wave), reminder)
    return render_template(
        "quizzes/campaigns/admin/preview.html",
        run=run,
        wave=wave,
        reminder=reminder,
        subject=subject,
        text=text,
        person=mailing.sample_person(sketch_campaign(run, wave)),
    )


@bp.route("/admin/suivi/sessions/<int:run_id>/vagues/<int:wave_id>/apercu/html")
@admin_required
def campaign_preview_html(run_id: int, wave_id: int):
    """The HTML body of the preview alone, under a sandbox policy (shown in a frame)."""
    run, wave = run_and_wave(run_id, wave_id)
    _subject, _text, html = mailing.preview(sketch_campaign(run, wave), _preview_kind())
    response = make_response(html)
    response.headers["Content-Security-Policy"] = HTML_BODY_CSP
    response.headers["Cache-Control"] = "no-store"
    return response
