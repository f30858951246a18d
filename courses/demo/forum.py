"""Demo discussions in the current GCU07 session's forum (invented, in the curriculum's themes)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from courses.forum.models import ForumPost, ForumThread
from courses.forum.posting import mark_read
from courses.models import CourseRun, Module
from lms.db import db
from lms.markdown import render

#: (module position or None for the general space, kind, title, [(author index, text)]).
#: Author index: 0.. learners, -1 the first trainer.
THREADS = (
    (
        None,
        "discussion",
        "Présentations : qui êtes-vous, d'où venez-vous ?",
        [
            (
                0,
                "Bonjour à tous ! Chargée de mission numérique dans une commune moyenne.",
            ),
            (
                1,
                "Bonjour ! DGS d'une communauté de communes, intéressé par le module 4.",
            ),
            (-1, "Bienvenue à toutes et à tous. N'hésitez pas à poser vos questions ici."),
        ],
    ),
    (
        2,
        "question",
        "Conseil de quartier : obligatoire à partir de combien d'habitants ?",
        [
            (2, "Dans ma commune de 45 000 habitants, sommes-nous obligés d'en créer un ?"),
            (
                -1,
                "Le conseil de quartier est **obligatoire dans les communes de 80 000 habitants "
                "et plus** ; entre 20 000 et 79 999 habitants, il est facultatif.",
            ),
        ],
    ),
)


def load_forum(run: CourseRun, learners, trainers, now: datetime) -> None:
    """Write the demo threads once (guarded by their titles)."""
    if db.session.scalar(sa.select(ForumThread.id).where(ForumThread.run_id == run.id)):
        return
    modules = {
        m.position: m.id
        for m in db.session.scalars(sa.select(Module).where(Module.course_id == run.course_id))
    }
    start = now - timedelta(days=10)
    for n, (position, kind, title, posts) in enumerate(THREADS):
        when = start + timedelta(days=3 * n)
        authors = [trainers[0] if i < 0 else learners[i] for i, _ in posts]
        thread = ForumThread(
            run_id=run.id,
            module_id=modules.get(position) if position else None,
            author_id=authors[0].id,
            title=title,
            kind=kind,
            created_at=when,
            last_post_at=when + timedelta(hours=len(posts)),
            resolved_at=when + timedelta(days=1) if kind == "question" else None,
        )
        db.session.add(thread)
        db.session.flush()
        for k, ((index, text), author) in enumerate(zip(posts, authors, strict=True)):
            db.session.add(
                ForumPost(
                    thread_id=thread.id,
                    author_id=author.id,
                    body=text,
                    body_html=render(text),
                    by_trainer=index < 0,
                    created_at=when + timedelta(hours=k + 1),
                )
            )
        mark_read(thread, authors[0], when + timedelta(hours=len(posts)))
    db.session.flush()
