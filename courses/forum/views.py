"""Forum pages of a session's members: spaces, threads, posting, editing, « résolu », reports."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm

from courses.blueprint import bp
from courses.forum import posting
from courses.forum import queries as fq
from courses.forum.forms import PostForm, ReasonForm, ThreadForm
from courses.forum.members import Member, member, post_of, reason_page, thread_of
from courses.forum.models import ForumDigestOptOut
from courses.models import Module
from lms.db import begin_write, db

PREFIX = "/parcours/sessions/<int:run_id>/forum"


def _module(who: Member, module_id: int) -> Module | None:
    """The module of the space (None for the general space, 0 in URLs); 404 if foreign."""
    if module_id == 0:
        return None
    module = db.session.get(Module, module_id)
    if module is None or module.course_id != who.run.course_id or module.archived:
        abort(404)
    return module


def _digest_off(who: Member) -> bool:
    return bool(
        db.session.scalar(
            sa.select(ForumDigestOptOut.id).where(
                ForumDigestOptOut.run_id == who.run.id, ForumDigestOptOut.user_id == who.user.id
            )
        )
    )


@bp.route(PREFIX)
@login_required
def forum_index(run_id: int):
    """The forum's spaces (general, then one per module) with threads, posts and unread."""
    who = member(run_id)
    return render_template(
        "courses/forum/index.html",
        who=who,
        run=who.run,
        spaces=fq.spaces(who.run, who.user.id),
        digest_off=_digest_off(who),
    )


@bp.route(PREFIX + "/espaces/<int:module_id>")
@login_required
def forum_space(run_id: int, module_id: int):
    """A space's threads: pinned first, then by latest post; unread ones marked."""
    who = member(run_id)
    module = _module(who, module_id)
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total = fq.thread_page(who.run, module.id if module else None, who.user.id, page)
    return render_template(
        "courses/forum/space.html",
        who=who,
        run=who.run,
        module=module,
        module_key=module_id,
        rows=rows,
        page=page,
        pages=max(1, -(-total // fq.THREADS_PER_PAGE)),
    )


@bp.route(PREFIX + "/espaces/<int:module_id>/nouveau", methods=["GET", "POST"])
@login_required
def forum_new(run_id: int, module_id: int):
    """Open a thread in a space."""
    who = member(run_id)
    module = _module(who, module_id)
    form = ThreadForm()
    if form.validate_on_submit():
        thread = posting.start_thread(
            who.run,
            module.id if module else None,
            who.user,
            form.title.data,
            form.kind.data,
            form.body.data,
            who.staff,
        )
        db.session.commit()
        flash(_("Votre sujet est publié."), "success")
        return redirect(url_for("courses.forum_thread", run_id=run_id, thread_id=thread.id))
    status = 400 if form.errors else 200
    page = render_template(
        "courses/forum/new.html",
        who=who,
        run=who.run,
        module=module,
        module_key=module_id,
        form=form,
    )
    return page, status


def _thread_page(who: Member, thread, form: PostForm, status: int = 200):
    posts = fq.thread_posts(thread)
    page = render_template(
        "courses/forum/thread.html",
        who=who,
        run=who.run,
        thread=thread,
        module=db.session.get(Module, thread.module_id) if thread.module_id else None,
        posts=posts,
        form=form,
        can_edit=lambda post: posting.can_edit(post, who.user),
    )
    return page, status


@bp.route(PREFIX + "/sujets/<int:thread_id>")
@login_required
def forum_thread(run_id: int, thread_id: int):
    """A thread with its posts and the reply form; marks it read (a write only when unread)."""
    who = member(run_id)
    thread = thread_of(who, thread_id)
    state = fq.read_state(thread, who.user.id)
    if state is None or state.read_at < thread.last_post_at:
        begin_write()
        posting.mark_read(thread, who.user)
        db.session.commit()
    form = PostForm()
    quoted = request.args.get("citer", type=int)
    if quoted:
        post, _thread = post_of(who, quoted)
        if post.thread_id == thread.id and post.hidden_at is None:
            form.body.data = posting.quote(post)
    return _thread_page(who, thread, form)


@bp.route(PREFIX + "/sujets/<int:thread_id>/repondre", methods=["POST"])
@login_required
def forum_reply(run_id: int, thread_id: int):
    """Reply to a thread (not when it is locked)."""
    who = member(run_id)
    thread = thread_of(who, thread_id)
    if thread.locked:
        flash(_("Ce sujet est verrouillé : on ne peut plus y répondre."), "warning")
        return redirect(url_for("courses.forum_thread", run_id=run_id, thread_id=thread.id))
    form = PostForm()
    if not form.validate_on_submit():
        return _thread_page(who, thread, form, 400)
    post = posting.reply(thread, who.user, form.body.data, who.staff)
    db.session.commit()
    flash(_("Votre réponse est publiée."), "success")
    target = url_for("courses.forum_thread", run_id=run_id, thread_id=thread.id)
    return redirect(f"{target}#message-{post.id}")


@bp.route(PREFIX + "/messages/<int:post_id>/modifier", methods=["GET", "POST"])
@login_required
def forum_edit(run_id: int, post_id: int):
    """The author edits their post within 15 minutes."""
    who = member(run_id)
    post, thread = post_of(who, post_id)
    back = url_for("courses.forum_thread", run_id=run_id, thread_id=thread.id)
    if not posting.can_edit(post, who.user):
        flash(
            _("Un message ne peut être modifié que par son auteur, dans les 15 minutes."), "warning"
        )
        return redirect(back)
    form = PostForm(body=post.body)
    if form.validate_on_submit():
        posting.edit(post, form.body.data)
        db.session.commit()
        flash(_("Votre message est modifié."), "success")
        return redirect(f"{back}#message-{post.id}")
    status = 400 if form.errors else 200
    page = render_template(
        "courses/forum/edit.html", who=who, run=who.run, thread=thread, post=post, form=form
    )
    return page, status


@bp.route(PREFIX + "/sujets/<int:thread_id>/resolu", methods=["POST"])
@login_required
def forum_resolve(run_id: int, thread_id: int):
    """The question's author or a trainer marks it « résolu » (``resolved=1``) or not."""
    who = member(run_id)
    thread = thread_of(who, thread_id)
    if thread.kind != "question" or not (who.staff or thread.author_id == who.user.id):
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    posting.set_resolved(thread, request.form.get("resolved", "1") == "1")
    db.session.commit()
    return redirect(url_for("courses.forum_thread", run_id=run_id, thread_id=thread.id))


@bp.route(PREFIX + "/messages/<int:post_id>/signaler", methods=["GET", "POST"])
@login_required
def forum_report(run_id: int, post_id: int):
    """Report a post to the session's trainers, with a reason."""
    who = member(run_id)
    post, thread = post_of(who, post_id)
    form = ReasonForm()
    if form.validate_on_submit():
        if posting.report(post, who.user, form.reason.data):
            flash(_("Merci : le message est signalé aux formateurs."), "success")
        else:
            flash(_("Vous avez déjà signalé ce message."), "info")
        db.session.commit()
        return redirect(url_for("courses.forum_thread", run_id=run_id, thread_id=thread.id))
    return reason_page(who, thread, post, form, _("Signaler un message"))


@bp.route(PREFIX + "/resume-quotidien", methods=["POST"])
@login_required
def forum_digest(run_id: int):
    """Turn the daily digest e-mail on (``digest=1``) or off (``digest=0``)."""
    who = member(run_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    begin_write()
    row = db.session.scalar(
        sa.select(ForumDigestOptOut).where(
            ForumDigestOptOut.run_id == who.run.id, ForumDigestOptOut.user_id == who.user.id
        )
    )
    wanted = request.form.get("digest") == "1"
    if wanted and row is not None:
        db.session.delete(row)
    elif not wanted and row is None:
        db.session.add(ForumDigestOptOut(run_id=who.run.id, user_id=who.user.id))
    db.session.commit()
    if wanted:
        flash(_("Vous recevrez le résumé quotidien du forum."), "success")
    else:
        flash(_("Vous ne recevrez plus le résumé quotidien du forum."), "success")
    return redirect(url_for("courses.forum_index", run_id=run_id))
