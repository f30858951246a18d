"""The jury's pages: their sessions, a project's table of submissions, grading one submission,
its files, and accepting an invitation to a jury."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm

from courses import queries as course_queries
from courses.blueprint import bp
from courses.models import Activity, CourseRun, Module, run_trainers
from courses.projects import jury, queries, service
from courses.projects.folder import max_points
from courses.projects.forms import MarkingForm, grade_form
from courses.projects.learner import project_or_404, send_project_file
from courses.projects.models import JuryMember, ProjectFile, ProjectGrade, ProjectSubmission
from lms.auth.forms import SetPasswordForm
from lms.auth.views import link_used
from lms.db import begin_write, db
from lms.models import UserToken

PREFIX = "/jury/sessions/<int:run_id>/projets/<int:project_id>"


def juror_project(run_id: int, project_id: int):
    """``(run, project)`` if the current user sits on the run's jury; 404 otherwise."""
    run = course_queries.run_with_course(run_id)
    if run is None or not jury.is_juror(current_user, run):
        abort(404)
    return run, project_or_404(run, project_id)


def _submission(run, activity, submission_id: int) -> ProjectSubmission:
    row = db.session.get(ProjectSubmission, submission_id)
    if row is None or row.run_id != run.id or row.activity_id != activity.id:
        abort(404)
    return row


def _my_runs():
    """(run, project) pairs the current person grades: every run for an administrator."""
    query = (
        sa.select(CourseRun, Activity)
        .join(Activity, Activity.course_id == CourseRun.course_id)
        .join(Module, Module.id == Activity.module_id)
        .where(
            Activity.kind == "project",
            Activity.archived.is_(False),
            Module.archived.is_(False),
        )
        .order_by(CourseRun.starts_on.desc(), Activity.id)
    )
    if not current_user.is_admin:
        mine = sa.select(JuryMember.run_id).where(JuryMember.user_id == current_user.id)
        trains = sa.select(run_trainers.c.run_id).where(run_trainers.c.user_id == current_user.id)
        query = query.where(sa.or_(CourseRun.id.in_(mine), CourseRun.id.in_(trains)))
    return db.session.execute(query.limit(500)).all()


@bp.route("/jury")
@login_required
def jury_home():
    """The projects the current person grades: one line per session and project."""
    if current_user.role not in ("jury", "trainer", "admin"):
        abort(403)
    return render_template("courses/projects/jury_home.html", rows=_my_runs())


@bp.route(PREFIX)
@login_required
def jury_project(run_id: int, project_id: int):
    """The run's learners with their submission, grades, final mark and slot (paginated)."""
    run, activity = juror_project(run_id, project_id)
    page = queries.jury_table(run, activity, current_user.id, request.args)
    staff = jury.is_staff(current_user, run)
    setting = service.settings_of(run, activity)
    marking = None
    if staff:
        marking = MarkingForm(
            formdata=None, final_mode=setting.final_mode, president=setting.president_id
        )
        marking.president.choices = _president_choices(run)
    return render_template(
        "courses/projects/jury_project.html",
        run=run,
        activity=activity,
        page=page,
        listing=page.listing,
        top=max_points(activity.settings["rubric"]),
        counts=queries.counts(run, activity),
        staff=staff,
        setting=setting,
        marking=marking,
        release_form=FlaskForm(),
    )


def _president_choices(run) -> list[tuple[int, str]]:
    people = list(run.trainers) + jury.members(run)
    return [(0, "—")] + [(person.id, person.name) for person in people]


def _grade_page(run, activity, submission, form, status=200):
    grades = list(
        db.session.scalars(
            sa.select(ProjectGrade)
            .where(ProjectGrade.submission_id == submission.id)
            .order_by(ProjectGrade.graded_at)
        )
    )
    page = render_template(
        "courses/projects/grade.html",
        run=run,
        activity=activity,
        submission=submission,
        grades=grades,
        form=form,
        criteria=[getattr(form, f"c{n}") for n in range(len(activity.settings["rubric"]))],
        top=max_points(activity.settings["rubric"]),
        settings=activity.settings,
    )
    return page, status


@bp.route(PREFIX + "/copies/<int:submission_id>", methods=["GET", "POST"])
@login_required
def jury_grade(run_id: int, project_id: int, submission_id: int):
    """A submission's files and text, the grades given, and the current juror's grade form."""
    run, activity = juror_project(run_id, project_id)
    submission = _submission(run, activity, submission_id)
    rubric = activity.settings["rubric"]
    mine = db.session.scalar(
        sa.select(ProjectGrade).where(
            ProjectGrade.submission_id == submission.id,
            ProjectGrade.juror_id == current_user.id,
        )
    )
    data = None
    if mine is not None:
        data = {f"c{n}": str(mine.levels.get(c["key"], "")) for n, c in enumerate(rubric)}
        data["comment"] = mine.comment
    form = grade_form(rubric, data=data if request.method == "GET" else None)
    if submission.released_at is None and form.validate_on_submit():
        begin_write()
        submission = _submission(run, activity, submission_id)
        db.session.refresh(submission, with_for_update=True)  # one grade per juror, in turn
        if submission.released_at is not None:  # released meanwhile
            db.session.rollback()
            return redirect(request.url)
        levels = {c["key"]: int(getattr(form, f"c{n}").data) for n, c in enumerate(rubric)}
        service.grade(submission, current_user, activity, levels, form.comment.data)
        db.session.commit()
        flash(_("Votre évaluation est enregistrée."), "success")
        return redirect(url_for("courses.jury_project", run_id=run.id, project_id=activity.id))
    if submission.released_at is not None and request.method == "POST":
        flash(_("Le résultat est publié : l'évaluation ne peut plus être modifiée."), "error")
    return _grade_page(run, activity, submission, form, 400 if form.errors else 200)


@bp.route(PREFIX + "/copies/<int:submission_id>/fichiers/<int:file_id>")
@login_required
def jury_file(run_id: int, project_id: int, submission_id: int, file_id: int):
    """Download a file of a submission (jurors of the run only)."""
    run, activity = juror_project(run_id, project_id)
    submission = _submission(run, activity, submission_id)
    row = db.session.get(ProjectFile, file_id)
    if row is None or row.submission_id != submission.id:
        abort(404)
    return send_project_file(row)


@bp.route("/jury/invitation/<token>", methods=["GET", "POST"])
def jury_accept(token: str):
    """Use an invitation to a jury: choose a password, then open the jury's page."""
    record = UserToken.find(token, jury.TOKEN_PURPOSE)
    if record is not None and record.used_at is not None and request.method == "POST":
        return link_used()
    if record is None or not record.is_usable():
        return render_template("lms/auth/link_invalid.html"), 410 if record else 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        begin_write()
        record = UserToken.find(token, jury.TOKEN_PURPOSE)
        if record is None or not record.consume():
            db.session.rollback()
            return link_used()
        record.user.set_password(form.password.data)
        user = record.user
        db.session.commit()
        login_user(user)
        flash(_("Bienvenue ! Vous pouvez évaluer les projets de la session."), "success")
        return redirect(url_for("courses.jury_home"))
    return render_template("courses/projects/jury_accept.html", form=form, user=record.user)
