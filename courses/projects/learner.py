"""The learner's page of a project: instructions, rubric, deadline, status, submission, result."""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required

from courses import progress, queries
from courses.access import open_enrolment
from courses.blueprint import bp
from courses.projects import service
from courses.projects.files import AttachmentError
from courses.projects.folder import FILE_TYPES, max_points
from courses.projects.forms import SubmitForm
from courses.projects.models import DefenceSlot, ProjectFile
from lms import storage
from lms.db import begin_write, db, utcnow

PREFIX = "/parcours/sessions/<int:run_id>/projets/<int:activity_id>"


def project_or_404(run, project_id: int):
    """The project activity of ``run``'s course, or 404."""
    activity = queries.live_activity(run, project_id)
    if activity is None or activity.kind != "project":
        abort(404)
    return activity


def _open(run_id: int, project_id: int):
    run = queries.run_with_course(run_id) or abort(404)
    enrolment = open_enrolment(run)
    return run, enrolment, project_or_404(run, project_id)


def file_error(error: Exception, activity) -> str:
    """The message telling why a file was refused."""
    settings = activity.settings
    types = ", ".join(FILE_TYPES[name][0] for name in settings["accepted"])
    return {
        "empty": _("Le fichier est vide."),
        "too_large": _("Un fichier dépasse %(mb)s Mo.", mb=settings["max_size_mb"]),
        "type": _("Type de fichier refusé. Types acceptés : %(types)s.", types=types),
        "too_many": _("%(num)s fichiers au plus.", num=settings.get("max_files") or 3),
    }.get(str(error), str(error))


def _closed_message(reason: str) -> str:
    return {
        "late": _("La date limite de remise est passée."),
        "graded": _("Votre projet est en cours d'évaluation : il ne peut plus être modifié."),
        "nofile": _("Joignez au moins un fichier."),
    }[reason]


def _save(run, enrolment, activity, form) -> bool:
    begin_write()
    db.session.refresh(enrolment, with_for_update=True)
    try:
        _submission, old = service.submit(
            run, activity, enrolment, form.text.data, request.files.getlist(form.files.name)
        )
        progress.start_activity(enrolment, activity)
    except (AttachmentError, service.SubmissionClosed) as error:
        db.session.rollback()
        if isinstance(error, AttachmentError):
            form.files.errors = [file_error(error, activity)]
        else:
            form.files.errors = [_closed_message(str(error))]
        return False
    db.session.commit()
    for key in old:
        storage.delete(key)
    return True


@bp.route(PREFIX, methods=["GET", "POST"])
@login_required
def project_page(run_id: int, activity_id: int):
    """The project: what to do, how it is graded, when it is due; POST submits."""
    run, enrolment, activity = _open(run_id, activity_id)
    form = SubmitForm()
    if form.validate_on_submit() and _save(run, enrolment, activity, form):
        flash(
            _("Votre projet est remis. Vous pouvez le modifier jusqu'à la date limite."), "success"
        )
        return redirect(url_for("courses.project_page", run_id=run.id, activity_id=activity.id))
    submission = service.submission_of(enrolment, activity)
    slot = db.session.scalar(
        sa.select(DefenceSlot).where(
            DefenceSlot.enrolment_id == enrolment.id, DefenceSlot.activity_id == activity.id
        )
    )
    page = render_template(
        "courses/projects/learner.html",
        run=run,
        activity=activity,
        settings=activity.settings,
        types=[FILE_TYPES[name][0] for name in activity.settings["accepted"]],
        top=max_points(activity.settings["rubric"]),
        deadline=service.deadline(run, activity),
        submission=submission,
        closed=service.closed_reason(run, activity, submission),
        slot=slot,
        form=form,
        now=utcnow(),
    )
    return page, 400 if form.errors else 200


def send_project_file(row: ProjectFile):
    """Send a submitted file: always as a download, never sniffed by the browser."""
    response = send_file(
        BytesIO(storage.get(row.storage_key)),
        mimetype=row.content_type,
        as_attachment=True,
        download_name=row.filename,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route(PREFIX + "/fichiers/<int:file_id>")
@login_required
def project_file(run_id: int, activity_id: int, file_id: int):
    """Download a file of one's own submission."""
    _run, enrolment, activity = _open(run_id, activity_id)
    submission = service.submission_of(enrolment, activity)
    row = db.session.get(ProjectFile, file_id)
    if submission is None or row is None or row.submission_id != submission.id:
        abort(404)
    return send_project_file(row)
