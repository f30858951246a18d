"""Administrator pages: courses (read-only, they come from ``flask lms import``) and runs."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from courses.blueprint import bp
from courses.enrolments import enrolled_count
from courses.forms import RunForm
from courses.live.schedule import create_defaults
from courses.models import Activity, Course, CourseRun, Enrolment, EnrolmentStatus, Module
from lms.auth import admin_required
from lms.db import db
from lms.models import User
from lms.plugins import get_registry

RUNS_PER_PAGE = 30


def _counts(course_id, counted, *where, join=None) -> sa.Subquery:
    """``(course_id, n)`` rows counting ``counted`` per course."""
    query = sa.select(course_id.label("course_id"), sa.func.count(counted).label("n"))
    if join is not None:
        query = query.join(*join)
    return query.where(*where).group_by(course_id).subquery()


@bp.route("/admin/formations")
@admin_required
def admin_courses():
    """All courses with their numbers of modules, activities and runs (one query)."""
    modules = _counts(Module.course_id, Module.id, Module.archived.is_(False))
    activities = _counts(
        Activity.course_id,
        Activity.id,
        Activity.archived.is_(False),
        Module.archived.is_(False),
        join=(Module, Module.id == Activity.module_id),
    )
    runs = _counts(CourseRun.course_id, CourseRun.id)
    rows = db.session.execute(
        sa.select(
            Course,
            sa.func.coalesce(modules.c.n, 0),
            sa.func.coalesce(activities.c.n, 0),
            sa.func.coalesce(runs.c.n, 0),
        )
        .outerjoin(modules, modules.c.course_id == Course.id)
        .outerjoin(activities, activities.c.course_id == Course.id)
        .outerjoin(runs, runs.c.course_id == Course.id)
        .order_by(Course.title)
    ).all()
    return render_template("courses/admin/courses.html", rows=rows)


def enrolled_by_run(run_ids: list[int]) -> dict[int, int]:
    """Learners holding a place (not withdrawn) in each run, in one query."""
    if not run_ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Enrolment.run_id, sa.func.count(Enrolment.id))
            .where(Enrolment.run_id.in_(run_ids), Enrolment.status != EnrolmentStatus.WITHDRAWN)
            .group_by(Enrolment.run_id)
        ).all()
    )


def _runs_query():
    return sa.select(CourseRun).options(
        joinedload(CourseRun.course), selectinload(CourseRun.trainers)
    )


@bp.route("/admin/formations/<int:course_id>")
@admin_required
def admin_course(course_id: int):
    """A course: its modules and activities (with their kind), and its runs."""
    course = db.get_or_404(Course, course_id)
    modules = db.session.scalars(
        sa.select(Module)
        .where(Module.course_id == course.id, Module.archived.is_(False))
        .order_by(Module.position)
        .options(selectinload(Module.activities))
    ).all()
    runs = db.session.scalars(
        _runs_query().where(CourseRun.course_id == course.id).order_by(CourseRun.starts_on.desc())
    ).all()
    return render_template(
        "courses/admin/course.html",
        course=course,
        modules=modules,
        kinds=get_registry().activity_kinds,
        runs=runs,
        enrolled=enrolled_by_run([r.id for r in runs]),
    )


@bp.route("/admin/sessions")
@admin_required
def admin_runs():
    """Every run, newest first, paginated."""
    page = db.paginate(
        _runs_query().order_by(CourseRun.starts_on.desc(), CourseRun.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=RUNS_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "courses/admin/runs.html",
        page=page,
        enrolled=enrolled_by_run([r.id for r in page.items]),
    )


def _save_run(form: RunForm, run: CourseRun) -> None:
    """Copy the form into ``run`` (trainers included)."""
    run.course_id = form.course_id.data
    run.title = form.title.data.strip()
    run.starts_on, run.ends_on = form.starts_on.data, form.ends_on.data
    run.place = (form.place.data or "").strip() or None
    run.capacity = form.capacity.data
    run.access_days = form.access_days.data
    ids = form.trainers.data or []
    run.trainers = list(db.session.scalars(sa.select(User).where(User.id.in_(ids)))) if ids else []


@bp.route("/admin/sessions/nouvelle", methods=["GET", "POST"])
@admin_required
def admin_run_new():
    """Create a run; ``?course=<id>`` preselects its course."""
    form = RunForm()
    if request.method == "GET" and request.args.get("course", type=int):
        form.course_id.data = request.args.get("course", type=int)
    if form.validate_on_submit():
        run = CourseRun()
        _save_run(form, run)
        db.session.add(run)
        db.session.flush()
        create_defaults(run)
        db.session.commit()
        flash(_("La session « %(title)s » est créée.", title=run.title), "success")
        return redirect(url_for("courses.admin_run", run_id=run.id))
    status = 400 if form.errors else 200
    return render_template("courses/admin/run_form.html", form=form, run=None), status


@bp.route("/admin/sessions/<int:run_id>/modifier", methods=["GET", "POST"])
@admin_required
def admin_run_edit(run_id: int):
    """Edit a run: dates, place, capacity, access period, trainers."""
    run = db.session.get(CourseRun, run_id) or abort(404)
    enrolled = enrolled_count(run)
    has_learners = bool(
        db.session.scalar(sa.select(sa.func.count(Enrolment.id)).where(Enrolment.run_id == run.id))
    )
    form = RunForm(
        obj=run, enrolled=enrolled, locked_course=run.course_id if has_learners else None
    )
    if request.method == "GET":
        form.trainers.data = [t.id for t in run.trainers]
    if form.validate_on_submit():
        _save_run(form, run)
        db.session.commit()
        flash(_("La session est enregistrée."), "success")
        return redirect(url_for("courses.admin_run", run_id=run.id))
    status = 400 if form.errors else 200
    return render_template("courses/admin/run_form.html", form=form, run=run), status
