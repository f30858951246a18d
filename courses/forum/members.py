"""Who may read and write a run's forum: its open learners, its trainers, administrators."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template
from flask_login import current_user

from courses import queries
from courses.access import open_enrolment
from courses.forum.models import ForumPost, ForumThread
from courses.models import CourseRun, Enrolment
from courses.progress import is_run_trainer
from lms.db import db


@dataclass
class Member:
    """The current user in a run's forum."""

    run: CourseRun
    user: object
    enrolment: Enrolment | None
    staff: bool  # trainer of the run or administrator: may moderate


def member(run_id: int) -> Member:
    """The current user as a member of run ``run_id``'s forum; 404/403 for anyone else."""
    run = queries.run_with_course(run_id)
    if run is None:
        abort(404)
    if is_run_trainer(current_user, run):
        return Member(run, current_user, None, True)
    return Member(run, current_user, open_enrolment(run), False)


def staff(run_id: int) -> Member:
    """As :func:`member`, but only trainers of the run and administrators (403 otherwise)."""
    run = queries.run_with_course(run_id)
    if run is None:
        abort(404)
    if not is_run_trainer(current_user, run):
        abort(403)
    return Member(run, current_user, None, True)


def thread_of(who: Member, thread_id: int) -> ForumThread:
    """A thread of this run's forum (404 otherwise)."""
    thread = db.session.get(ForumThread, thread_id)
    if thread is None or thread.run_id != who.run.id:
        abort(404)
    return thread


def post_of(who: Member, post_id: int) -> tuple[ForumPost, ForumThread]:
    """A post of this run's forum with its thread (404 otherwise)."""
    post = db.session.get(ForumPost, post_id)
    if post is None:
        abort(404)
    return post, thread_of(who, post.thread_id)


def reason_page(who: Member, thread: ForumThread, post: ForumPost, form, heading: str):
    """The page asking why a post is reported or hidden (400 when the form has errors)."""
    page = render_template(
        "courses/forum/reason.html",
        who=who,
        run=who.run,
        thread=thread,
        post=post,
        form=form,
        heading=heading,
    )
    return page, 400 if form.errors else 200
