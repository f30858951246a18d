"""Demo help requests in the current GCU07 session: one answered in time, one waiting."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from courses.models import CourseRun
from courses.support.models import SupportMessage, SupportRequest
from lms.db import db
from lms.markdown import render

#: (learner index, category, subject, question, answer or None, hours before the answer)
REQUESTS = (
    (
        1,
        "contenu",
        "Différence entre concertation et consultation",
        "Dans le module 2, je confonds concertation et consultation : pouvez-vous préciser ?",
        "La **consultation** recueille des avis ; la **concertation** associe les habitants à "
        "l'élaboration du projet, sur plusieurs étapes. Voir la fiche mémo du module 2.",
        5,
    ),
    (
        3,
        "contenu",
        "Quiz du module 3 : une réponse me semble discutable",
        "La question 4 du quiz du module 3 accepte une seule réponse ; il y en a deux, non ?",
        None,
        0,
    ),
)


def load_support(run: CourseRun, learners, trainers, now: datetime) -> None:
    """Write the demo requests once (guarded by the run having requests)."""
    if db.session.scalar(sa.select(SupportRequest.id).where(SupportRequest.run_id == run.id)):
        return
    for n, (who, category, subject, question, answer, hours) in enumerate(REQUESTS):
        opened = now - timedelta(days=3 - 2 * n, hours=2)
        request = SupportRequest(
            run_id=run.id,
            requester_id=learners[who].id,
            category=category,
            subject=subject,
            created_at=opened,
            due_at=opened + timedelta(hours=48),
        )
        db.session.add(request)
        db.session.flush()
        db.session.add(_message(request, learners[who], question, opened, False))
        if answer:
            answered = opened + timedelta(hours=hours)
            db.session.add(_message(request, trainers[0], answer, answered, True))
            request.first_response_at = answered
    db.session.flush()


def _message(request, author, text: str, when: datetime, staff: bool) -> SupportMessage:
    return SupportMessage(
        request_id=request.id,
        author_id=author.id,
        by_staff=staff,
        body=text,
        body_html=render(text),
        created_at=when,
    )
