"""Builders of quiz data for the trainer-side tests: rows inserted through the real models.

They do not go through the attempt service: each test states the scores and choices it needs,
so the reports are checked against figures computed by hand.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import sqlalchemy as sa

from courses.models import Activity, Course, CourseRun, Enrolment, Module
from lms.db import db, utcnow
from lms.models import User
from quizzes.models import Answer, AnswerChoice, Attempt, AttemptState, Instrument, Question
from tests.factories import enrol, make_course, make_run

SURVEY_KINDS = ("self_assessment", "questionnaire")
_SEQ = itertools.count(1)


def make_instrument(
    course: Course,
    key: str,
    questions: list[dict],
    kind: str = "quiz",
    purpose: str = "validation",
    title: str | None = None,
    settings: dict | None = None,
) -> Instrument:
    """An instrument with its activity (in the course's first module) and its questions.

    Each question is a dict with ``key`` and ``type`` and optionally ``max_score``,
    ``settings``, ``competency``, ``title``, ``stem``.
    """
    module = db.session.scalar(
        sa.select(Module).where(Module.course_id == course.id).order_by(Module.position)
    )
    position = 100 + len(db.session.scalars(sa.select(Instrument.id)).all())
    activity = Activity(
        module_id=module.id,
        course_id=course.id,
        key=key,
        kind="survey" if kind in SURVEY_KINDS else "quiz",
        position=position,
        title=title or key,
        hidden=purpose in ("trainer_review", "followup_6m", "followup_12m"),
    )
    db.session.add(activity)
    db.session.flush()
    instrument = Instrument(
        course_id=course.id,
        activity_id=activity.id,
        key=key,
        kind=kind,
        purpose=purpose,
        title=title or key,
        settings=settings if settings is not None else {"pass_mark": 50},
    )
    db.session.add(instrument)
    for position, spec in enumerate(questions, start=1):
        instrument.questions.append(
            Question(
                key=spec["key"],
                position=position,
                type=spec["type"],
                title=spec.get("title", spec["key"]),
                stem_html=spec.get("stem", f"<p>Énoncé {spec['key']}</p>"),
                settings=spec.get("settings", {}),
                max_score=spec.get("max_score", 1.0),
                competency=spec.get("competency"),
                required=spec.get("required", False),
            )
        )
    db.session.commit()
    return instrument


def make_attempt(
    instrument: Instrument,
    enrolment: Enrolment | None,
    answers: dict[str, dict],
    *,
    user=None,
    run: CourseRun | None = None,
    number: int = 1,
    state: str = AttemptState.SUBMITTED,
    minutes_ago: int = 10,
) -> Attempt:
    """An attempt with its answers; ``answers`` maps a question key to a dict with any of
    ``score``, ``choices`` (list of keys), ``value``, ``response``.

    The attempt's score is the sum of its answer scores, out of the questions' maximum, and
    ``passed`` follows the instrument's pass mark (None while an answer still has no score).
    """
    questions = {q.key: q for q in instrument.questions}
    started = utcnow() - timedelta(minutes=minutes_ago)
    attempt = Attempt(
        instrument_id=instrument.id,
        user_id=user.id if user is not None else enrolment.user_id,
        run_id=run.id if run is not None else enrolment.run_id,
        enrolment_id=enrolment.id if enrolment is not None else None,
        number=number,
        state=state,
        started_at=started,
        submitted_at=None if state == AttemptState.IN_PROGRESS else started + timedelta(minutes=5),
    )
    attempt.layout = {"questions": [q.id for q in instrument.questions], "options": {}}
    db.session.add(attempt)
    db.session.flush()
    for key, spec in answers.items():
        question = questions[key]
        answer = Answer(
            attempt_id=attempt.id,
            question_id=question.id,
            response=spec.get("response", {}),
            score=spec.get("score"),
            value=spec.get("value"),
        )
        db.session.add(answer)
        db.session.flush()
        for choice in spec.get("choices", ()):
            db.session.add(
                AnswerChoice(answer_id=answer.id, choice_key=choice, question_id=question.id)
            )
    _score(attempt, instrument, answers, questions)
    db.session.commit()
    return attempt


def _score(attempt: Attempt, instrument: Instrument, answers: dict, questions: dict) -> None:
    if instrument.kind != "quiz" or attempt.state == AttemptState.IN_PROGRESS:
        return
    attempt.max_score = sum(q.max_score for q in questions.values())
    attempt.score = sum(spec.get("score") or 0 for spec in answers.values())
    pending = any(spec.get("score") is None for spec in answers.values())
    if pending:
        attempt.state = AttemptState.NEEDS_GRADING
        return
    pass_mark = (instrument.settings or {}).get("pass_mark", 50)
    attempt.passed = attempt.score * 100 >= pass_mark * attempt.max_score


def choice_settings(*labels: str, correct: int = 0, keys: str = "abcdefgh") -> dict:
    """GIFT settings of a choice question (as stored after import): ``labels`` keyed a, b, c…,
    the ``correct``-th one right."""
    return {
        "choices": [
            {
                "key": keys[i],
                "text": {"text": label, "format": "moodle"},
                "html": label,
                "correct": i == correct,
                "weight": None,
                "fraction": 1.0 if i == correct else 0.0,
            }
            for i, label in enumerate(labels)
        ]
    }


def option_settings(*pairs: tuple[str, str]) -> dict:
    """Survey settings of a scale/single/multiple question: ``(key, label)`` options."""
    return {"options": [{"key": key, "label": label} for key, label in pairs]}


def analysis_quiz(course: Course, key: str = "quiz-m1") -> Instrument:
    """A validation quiz of three questions (max 1, 1 and 2 points), pass mark 60 %."""
    return make_instrument(
        course,
        key,
        [
            {
                "key": "q1",
                "type": "single_choice",
                "title": "Portail",
                "settings": choice_settings("Guichet unique", "Site vitrine", "Intranet"),
            },
            {
                "key": "q2",
                "type": "true_false",
                "title": "Open data",
                "settings": {
                    "correct_answer": True,
                    "stem": {"text": "Vrai ?", "format": "moodle"},
                },
            },
            {
                "key": "q3",
                "type": "multiple_choice",
                "title": "Leviers",
                "max_score": 2.0,
                "settings": choice_settings("Efficience", "Transparence", "Publicité"),
            },
        ],
        title="Quiz de validation — module 1",
        settings={"pass_mark": 60},
    )


#: First attempts of the hand-computed data set: learner -> question -> (score, choices).
FIRST_ATTEMPTS = {
    "Alice": {"q1": (1, ["a"]), "q2": (1, ["true"]), "q3": (2, ["a", "b"])},
    "Bruno": {"q1": (1, ["a"]), "q2": (0, ["false"]), "q3": (1, ["a", "c"])},
    "Chloé": {"q1": (0, ["b"]), "q2": (1, ["true"]), "q3": (0, ["c"])},
    "David": {"q1": (0, ["c"]), "q2": (0, ["false"])},
}


def analysis_attempts(quiz: Instrument, enrolments: dict[str, Enrolment]) -> dict[str, Attempt]:
    """The data set of :data:`FIRST_ATTEMPTS`, plus Chloé's perfect second attempt."""
    made = {}
    for name, answers in FIRST_ATTEMPTS.items():
        made[name] = make_attempt(
            quiz,
            enrolments[name],
            {k: {"score": s, "choices": c} for k, (s, c) in answers.items()},
            minutes_ago=60,
        )
    made["Chloé 2"] = make_attempt(
        quiz,
        enrolments["Chloé"],
        {
            "q1": {"score": 1, "choices": ["a"]},
            "q2": {"score": 1, "choices": ["true"]},
            "q3": {"score": 2, "choices": ["a", "b"]},
        },
        number=2,
    )
    return made


def cohort(make_user, names, key: str = "gcu"):
    """A one-module course, its run with one trainer, and an enrolment per learner name.

    Returns (course, run, trainer, {name: enrolment}).
    """
    course = make_course(key, modules=1, activities=1)
    trainer = make_user("trainer", name=f"Formatrice {key}")
    run = make_run(course, trainers=[trainer], title=f"Session {key}")
    enrolments = {name: enrol(run, learner(name)) for name in names}
    return course, run, trainer, enrolments


def learner(name: str) -> User:
    """A learner without a password (quicker than ``make_user`` when nobody signs in)."""
    slug = "".join(c for c in name.lower() if c.isalnum()) or "x"
    user = User(email=f"{slug}.{next(_SEQ)}@example.org", name=name, role="learner")
    db.session.add(user)
    db.session.commit()
    return user


def sign_out(client) -> None:
    """Sign the test client out (the ``login`` fixture can then sign someone else in)."""
    from tests.conftest import csrf_token

    client.post(
        "/compte/deconnexion", data={"csrf_token": csrf_token(client, "/formateur/sessions")}
    )
