"""Test data for taking instruments: a course with a quiz written in GIFT and surveys.

Questions are built the way the importer stores them: each GIFT item's ``to_settings()``
passed through its type's ``prepare`` handler, the stem rendered to HTML.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import sqlalchemy as sa

from courses.models import Activity, Course, Module
from lms.db import db
from lms.markdown import render
from lms.plugins import get_registry
from quizzes.authoring.gift import Category, parse
from quizzes.models import Instrument, Question
from tests.factories import enrol, make_course, make_run

#: A quiz whose right answers and feedback must never reach the browser before submission.
QUIZ_GIFT = """
::capitale:: Quelle est la capitale de la France ? {
  =Paris#Bravo-feedback-Paris
  ~Lyon#Rate-feedback-Lyon
  ~Marseille
}

::ciel:: Le ciel est bleu par temps clair. {TRUE#Feedback-faux-vrai#Feedback-juste-vrai}

::langages:: Cochez les langages de programmation. {
  ~%50%Python
  ~%50%Rust
  ~%-100%HTML#Feedback-HTML-pas-un-langage
}

::mot:: Le mot de passe du coffre ? {=Sesame-secret-accepte =%50%sesame-approx}

::calcul:: Combien font 4000 + 217 ? {#4217}

::explication:: Expliquez votre démarche. {}
"""
#: Texts that only the feedback contains.
FEEDBACK_TEXTS = (
    "Bravo-feedback-Paris",
    "Rate-feedback-Lyon",
    "Feedback-faux-vrai",
    "Feedback-juste-vrai",
    "Feedback-HTML-pas-un-langage",
)
#: Texts that only the right answers and feedback contain.
SECRET_TEXTS = (*FEEDBACK_TEXTS, "Sesame-secret-accepte", "sesame-approx", "4217")

SCALE = [
    {"key": "1", "label": "Pas du tout"},
    {"key": "2", "label": "Un peu"},
    {"key": "3", "label": "Moyennement"},
    {"key": "4", "label": "Bien"},
    {"key": "5", "label": "Tout à fait"},
]


def gift_questions(text: str) -> list[Question]:
    """Question rows (not added) for the GIFT ``text``, as the importer shapes them."""
    types = get_registry().question_types
    found = []
    items = [item for item in parse(text) if not isinstance(item, Category)]
    for position, item in enumerate(items, start=1):
        prepare = types[item.type].handlers.get("prepare")
        settings = item.to_settings()
        settings = prepare(settings) if prepare else settings
        found.append(
            Question(
                key=item.title or f"q{position}",
                position=position,
                type=item.type,
                title=item.title,
                stem_html=render(item.stem.text),
                settings=settings,
                max_score=0.0 if item.type == "description" else 1.0,
            )
        )
    return found


def survey_question(key: str, qtype: str, text: str, position: int, **kw) -> Question:
    """A survey question shaped as the survey parser gives it."""
    settings = {"text": text, "options": kw.pop("options", [])}
    settings.update(kw.pop("settings", {}))
    return Question(
        key=key,
        position=position,
        type=qtype,
        stem_html=render(text),
        settings=settings,
        max_score=0.0,
        **kw,
    )


def add_instrument(
    course: Course,
    key: str,
    questions: list[Question],
    kind: str = "quiz",
    purpose: str = "validation",
    settings: dict | None = None,
    hidden: bool = False,
) -> Instrument:
    """An activity of the course's first module and its instrument with ``questions``."""
    module = db.session.scalar(
        sa.select(Module).where(Module.course_id == course.id).order_by(Module.position)
    )
    count = db.session.scalar(
        sa.select(sa.func.count(Activity.id)).where(Activity.module_id == module.id)
    )
    activity = Activity(
        module=module,
        course_id=course.id,
        key=key,
        kind="quiz" if kind == "quiz" else "survey",
        position=count + 1,
        title=f"Activité {key}",
        hidden=hidden,
    )
    db.session.add(activity)
    db.session.flush()
    instrument = Instrument(
        course_id=course.id,
        activity_id=activity.id,
        key=key,
        kind=kind,
        purpose=purpose,
        title=f"Évaluation {key}",
        intro="Lisez bien chaque question.",
        intro_html=render("Lisez bien chaque question."),
        settings=settings or {},
        questions=questions,
    )
    db.session.add(instrument)
    db.session.commit()
    return instrument


def add_quiz(course: Course, key: str = "quiz-m1", **settings) -> Instrument:
    """The GIFT quiz above, with ``settings`` (pass_mark, attempts, time_limit...)."""
    purpose = settings.pop("purpose", "validation")
    base = {"pass_mark": 50, "attempts": 0}
    return add_instrument(course, key, gift_questions(QUIZ_GIFT), "quiz", purpose, base | settings)


def add_self_assessment(course: Course, purpose: str, key: str | None = None) -> Instrument:
    """A self-assessment on the course's two objectives (two scale questions on the first)."""
    questions = [
        survey_question(
            "o1-a",
            "scale",
            "Je sais ouvrir un portail.",
            1,
            options=SCALE,
            competency="portail",
            required=True,
        ),
        survey_question(
            "o1-b", "scale", "Je sais le promouvoir.", 2, options=SCALE, competency="portail"
        ),
        survey_question(
            "o2", "scale", "Je sais publier des données.", 3, options=SCALE, competency="open-data"
        ),
        survey_question("libre", "text", "Un commentaire ?", 4),
    ]
    kind_key = key or f"auto-{purpose}"
    return add_instrument(course, kind_key, questions, "self_assessment", purpose)


def setup_course(make_user, *, run_start: date | None = None, days: int = 30):
    """A course with objectives, a run, a learner enrolled and a trainer: returns a namespace."""
    course = make_course("gcu-test", modules=1, activities=1)
    course.objectives = [
        {"key": "portail", "text": "Concevoir un portail de e-services"},
        {"key": "open-data", "text": "Ouvrir les données publiques"},
    ]
    db.session.commit()
    trainer = make_user("trainer")
    run = make_run(course, trainers=[trainer], starts_on=run_start, days=days)
    learner = make_user("learner", name="Léa Apprenante")
    enrolment = enrol(run, learner)

    return SimpleNamespace(
        course=course, run=run, learner=learner, enrolment=enrolment, trainer=trainer
    )
