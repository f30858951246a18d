"""Opening support requests, exchanging messages, routing to staff, and the e-mails.

Routing: categories listed in ``LMS_SUPPORT_TRAINER_CATEGORIES`` (« contenu » by default) go to
the session's trainers; the others to the administrators. Administrators see every request.
Helpers flush; the views commit.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from courses.models import CourseRun, run_trainers
from courses.support.clock import due_at
from courses.support.files import checked
from courses.support.models import SupportAttachment, SupportMessage, SupportRequest
from lms import storage
from lms.db import db, utcnow
from lms.mail import queue_mail, render_mail
from lms.markdown import render
from lms.models import Role, User
from lms.urls import external_url


def trainer_categories() -> set[str]:
    """Categories the session's trainers handle (the rest goes to administrators)."""
    raw = current_app.config.get("LMS_SUPPORT_TRAINER_CATEGORIES") or ""
    return {name.strip() for name in raw.split(",") if name.strip()}


def visible_to(user):
    """SQL condition: the requests ``user`` (staff) handles."""
    if user.is_admin:
        return sa.true()
    mine = sa.select(run_trainers.c.run_id).where(run_trainers.c.user_id == user.id)
    return sa.and_(
        SupportRequest.run_id.in_(mine), SupportRequest.category.in_(trainer_categories())
    )


def handles(user, request: SupportRequest) -> bool:
    """Whether ``user`` (trainer or administrator) handles ``request``."""
    return bool(
        db.session.scalar(
            sa.select(sa.func.count(SupportRequest.id)).where(
                SupportRequest.id == request.id, visible_to(user)
            )
        )
    )


def handlers(request: SupportRequest) -> list[User]:
    """The people told of a learner's message: the run's trainers or the administrators."""
    if request.category in trainer_categories():
        query = sa.select(User).join(run_trainers, run_trainers.c.user_id == User.id)
        query = query.where(run_trainers.c.run_id == request.run_id)
    else:
        query = sa.select(User).where(User.role == Role.ADMIN)
    return list(db.session.scalars(query.order_by(User.id)))


def _message(request, author, body: str, by_staff: bool, upload) -> SupportMessage:
    message = SupportMessage(
        request_id=request.id,
        author_id=author.id,
        by_staff=by_staff,
        body=body.strip(),
        body_html=render(body.strip()),
        created_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    if upload is not None and upload.filename:
        try:
            name, content_type, data = checked(upload.filename, upload.stream)
        finally:
            upload.close()  # a large upload is spooled to a temporary file
        db.session.add(
            SupportAttachment(
                message_id=message.id,
                filename=name,
                content_type=content_type,
                size=len(data),
                storage_key=storage.put("support", data, content_type),
            )
        )
    return message


def open_request(run: CourseRun, learner, category: str, subject: str, body: str, upload):
    """Open a request with its first message; the handlers are told. Flushes.

    Raises :class:`~courses.support.files.AttachmentError` for a bad file (nothing is kept).
    """
    now = utcnow()
    request = SupportRequest(
        run_id=run.id,
        requester_id=learner.id,
        category=category,
        subject=subject.strip(),
        created_at=now,
        due_at=due_at(now),
    )
    db.session.add(request)
    db.session.flush()
    message = _message(request, learner, body, False, upload)
    _tell(request, message, handlers(request), "courses/support/mail/to_staff")
    return request


def add_message(request: SupportRequest, author, body: str, by_staff: bool, upload):
    """Add a message; a staff answer records the first response and tells the learner."""
    message = _message(request, author, body, by_staff, upload)
    if by_staff:
        if request.first_response_at is None:
            request.first_response_at = message.created_at
        _tell(request, message, [request.requester], "courses/support/mail/to_learner")
    else:
        _tell(request, message, handlers(request), "courses/support/mail/to_staff")
    db.session.flush()
    return message


def close(request: SupportRequest) -> None:
    """Close the request. Flushes."""
    request.status, request.closed_at = "closed", utcnow()
    db.session.flush()


def _tell(request, message, people, template: str) -> None:
    to_staff = template.endswith("to_staff")
    endpoint = "courses.support_staff_request" if to_staff else "courses.support_request"
    values = {"request_id": request.id}
    if not to_staff:
        values["run_id"] = request.run_id
    link = external_url(endpoint, **values)
    for person in people:
        if person.id == message.author_id:
            continue
        subject, text, html = render_mail(
            template, person.locale, user=person, request=request, message=message, link=link
        )
        queue_mail(
            f"support:{message.id}:{person.id}",
            person.email,
            subject,
            text,
            html,
            to_name=person.name,
            user_id=person.id,
            category="support",
        )
