"""E-mails of the forum: a hidden post's author is told why."""

from __future__ import annotations

from courses.forum.models import ForumPost, ForumThread
from courses.models import CourseRun
from lms.db import db
from lms.mail import queue_mail, render_mail
from lms.models import User
from lms.urls import external_url


def tell_author_hidden(run: CourseRun, thread: ForumThread, post: ForumPost) -> None:
    """Queue the e-mail telling the author that a trainer hid their post, and why."""
    author = db.session.get(User, post.author_id) if post.author_id else None
    if author is None:
        return
    link = external_url("courses.forum_thread", run_id=run.id, thread_id=thread.id)
    subject, text, html = render_mail(
        "courses/mail/forum_hidden",
        author.locale,
        user=author,
        run=run,
        thread=thread,
        post=post,
        link=link,
    )
    queue_mail(
        f"forum-hidden:{post.id}:{post.hidden_at.isoformat()}",
        author.email,
        subject,
        text,
        html,
        to_name=author.name,
        user_id=author.id,
        category="forum",
    )
