"""Builders of test data through the real models (the database is the real one)."""

from __future__ import annotations

from datetime import date, timedelta

from courses.models import Activity, Course, CourseRun, Enrolment, EnrolmentStatus, Module
from lms.db import db, utcnow
from lms.markdown import render


def make_course(
    key: str = "demo", modules: int = 2, activities: int = 3, kind: str = "lesson"
) -> Course:
    """A course with ``modules`` modules of ``activities`` lessons each."""
    course = Course(
        key=key,
        title=f"Formation {key}",
        description="Une formation.",
        description_html=render("Une formation."),
    )
    db.session.add(course)
    db.session.flush()
    for m in range(1, modules + 1):
        module = Module(course=course, key=f"m{m}", position=m, title=f"Module {m}")
        db.session.add(module)
        for a in range(1, activities + 1):
            body = f"Contenu de la leçon {m}.{a}."
            db.session.add(
                Activity(
                    module=module,
                    course_id=course.id,
                    key=f"m{m}-a{a}",
                    kind=kind,
                    position=a,
                    title=f"Leçon {m}.{a}",
                    body=body,
                    body_html=render(body),
                )
            )
    db.session.commit()
    return course


def make_run(
    course: Course,
    trainers=(),
    title: str = "Session test",
    access_days: int | None = 90,
    starts_on: date | None = None,
    days: int = 30,
) -> CourseRun:
    """A run of ``course`` starting ``starts_on`` (default: a week ago)."""
    start = starts_on or (date.today() - timedelta(days=7))
    run = CourseRun(
        course=course,
        title=title,
        starts_on=start,
        ends_on=start + timedelta(days=days),
        place="Paris",
        capacity=12,
        access_days=access_days,
    )
    run.trainers.extend(trainers)
    db.session.add(run)
    db.session.commit()
    return run


def enrol(
    run: CourseRun, user, status: str = EnrolmentStatus.ACTIVE, access_days: int | None = None
) -> Enrolment:
    """Enrol ``user`` with an open access period (unless ``status`` says otherwise)."""
    now = utcnow()
    days = access_days if access_days is not None else (run.access_days or 90)
    enrolment = Enrolment(run=run, user=user, status=status, invited_at=now)
    if status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED):
        enrolment.access_starts_at = now
        enrolment.access_ends_at = now + timedelta(days=days)
    db.session.add(enrolment)
    db.session.commit()
    return enrolment
