"""Moderation of a session's forum by its trainers: pin, lock, hide with a reason, reports."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from courses.blueprint import bp
from courses.forum import queries as fq
from courses.forum.forms import ReasonForm
from courses.forum.members import post_of, reason_page, staff, thread_of
from courses.forum.models import ForumReport
from courses.forum.notify import tell_author_hidden
from lms.auth import trainer_required
from lms.db import db, utcnow

PREFIX = "/parcours/sessions/<int:run_id>/forum"


def _checked() -> None:
    if not FlaskForm().validate_on_submit():
        abort(400)


@bp.route(PREFIX + "/sujets/<int:thread_id>/moderer", methods=["POST"])
@login_required
def forum_moderate_thread(run_id: int, thread_id: int):
    """Pin or unpin (``pinned=0/1``), lock or unlock (``locked=0/1``) a thread."""
    who = staff(run_id)
    thread = thread_of(who, thread_id)
    _checked()
    if "pinned" in request.form:
        thread.pinned = request.form["pinned"] == "1"
    if "locked" in request.form:
        thread.locked = request.form["locked"] == "1"
    db.session.commit()
    flash(_("Le sujet est mis à jour."), "success")
    return redirect(url_for("courses.forum_thread", run_id=run_id, thread_id=thread.id))


@bp.route(PREFIX + "/messages/<int:post_id>/masquer", methods=["GET", "POST"])
@login_required
def forum_hide(run_id: int, post_id: int):
    """Hide a post with a reason; its author is told by e-mail; open reports on it are closed."""
    who = staff(run_id)
    post, thread = post_of(who, post_id)
    form = ReasonForm()
    if form.validate_on_submit():
        now = utcnow()
        post.hidden_at, post.hidden_reason, post.hidden_by_id = (
            now,
            form.reason.data.strip(),
            who.user.id,
        )
        for report in db.session.scalars(
            sa.select(ForumReport).where(
                ForumReport.post_id == post.id, ForumReport.handled_at.is_(None)
            )
        ):
            report.handled_at = now
        tell_author_hidden(who.run, thread, post)
        db.session.commit()
        flash(_("Le message est masqué ; son auteur est prévenu par e-mail."), "success")
        return redirect(url_for("courses.forum_thread", run_id=run_id, thread_id=thread.id))
    return reason_page(who, thread, post, form, _("Masquer un message"))


@bp.route(PREFIX + "/messages/<int:post_id>/afficher", methods=["POST"])
@login_required
def forum_unhide(run_id: int, post_id: int):
    """Show a hidden post again."""
    who = staff(run_id)
    post, thread = post_of(who, post_id)
    _checked()
    post.hidden_at = post.hidden_reason = post.hidden_by_id = None
    db.session.commit()
    flash(_("Le message est de nouveau visible."), "success")
    return redirect(url_for("courses.forum_thread", run_id=run_id, thread_id=thread.id))


@bp.route("/formateur/sessions/<int:run_id>/forum/signalements")
@trainer_required
def forum_reports(run_id: int):
    """Posts reported by learners and not handled yet."""
    who = staff(run_id)
    return render_template(
        "courses/forum/reports.html", who=who, run=who.run, reports=fq.open_reports(who.run)
    )


@bp.route("/formateur/sessions/<int:run_id>/forum/signalements/<int:report_id>", methods=["POST"])
@trainer_required
def forum_report_done(run_id: int, report_id: int):
    """Close a report without hiding the post (nothing wrong with it)."""
    who = staff(run_id)
    report = db.session.get(ForumReport, report_id)
    if report is None:
        abort(404)
    post_of(who, report.post_id)  # 404 unless the post is in this run's forum
    _checked()
    report.handled_at = utcnow()
    db.session.commit()
    flash(_("Le signalement est classé."), "success")
    return redirect(url_for("courses.forum_reports", run_id=run_id))
