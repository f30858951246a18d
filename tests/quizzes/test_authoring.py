"""Quizzes and questionnaires in a course folder: import, re-import, export, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from courses.content.errors import ContentError
from courses.models import Activity, Course
from lms.db import db
from quizzes.authoring.kinds import dump_quiz, dump_survey, load_quiz, load_survey, quiz_activity
from quizzes.models import Answer, Attempt, Instrument, Question
from tests.factories import enrol, make_run

COURSE_YML = """key: gcu-test
title: Formation de test
objectives:
  - key: relation-usagers
    text: Utiliser les outils numériques dans la relation aux habitants
  - key: donnees
    text: Protéger les données
modules:
  - 01-module
"""
MODULE_YML = """key: module-1
title: Premier module
activities:
  - 01-lecon.md
  - quiz.gift
  - auto-evaluation.survey
  - bilan-formateur.survey
"""
LESSON = """---
key: lecon-1
kind: lesson
title: Première leçon
---
Contenu.
"""
QUIZ = """// ---
// key: quiz-module-1
// title: Quiz de validation — module 1
// purpose: validation
// pass_mark: 70
// attempts: 3
// time_limit: 20
// shuffle_answers: true
// review_after_attempt: score, correctness
// ---

$CATEGORY: module-1

// [id:capitale]
::Capitale:: Quelle est la capitale de la France ? {
    =Paris#Oui.
    ~Lyon
}

::Plateforme:: Les budgets participatifs sont des outils numériques. {T}

Citez une loi sur les données. {
    =RGPD
    =%50%Loi informatique et libertés
}
"""
SURVEY = """---
key: auto-evaluation-entree
title: Auto-évaluation avant la formation
purpose: pre
---
Situez-vous.

## Compétences

? scale relation competency=relation-usagers required
Je sais utiliser les outils numériques avec les habitants.
- 1 Pas du tout
- 2 Un peu
- 3 Bien

? text attentes lines=4
Vos attentes.
"""
TRAINER = """---
key: bilan-formateur
title: Bilan de la session
purpose: trainer_review
---
? score ambiance
Ambiance du groupe ?
"""


def write_course(root: Path, quiz: str = QUIZ, survey: str = SURVEY) -> Path:
    """A course folder with a lesson, a quiz and two questionnaires."""
    folder = root / "gcu-test"
    module = folder / "01-module"
    module.mkdir(parents=True, exist_ok=True)
    (folder / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    (module / "module.yml").write_text(MODULE_YML, encoding="utf-8")
    (module / "01-lecon.md").write_text(LESSON, encoding="utf-8")
    (module / "quiz.gift").write_text(quiz, encoding="utf-8")
    (module / "auto-evaluation.survey").write_text(survey, encoding="utf-8")
    (module / "bilan-formateur.survey").write_text(TRAINER, encoding="utf-8")
    return folder


def run_cli(app, *args):
    return app.test_cli_runner().invoke(args=["lms", *args])


def instrument(key: str) -> Instrument:
    return db.session.scalar(sa.select(Instrument).where(Instrument.key == key))


def live_questions(found: Instrument) -> list[Question]:
    return [q for q in found.questions if not q.archived]


def test_import_creates_instruments_and_their_questions(app, tmp_path):
    result = run_cli(app, "import", str(write_course(tmp_path)))
    assert result.exit_code == 0, result.output
    quiz = instrument("quiz-module-1")
    assert (quiz.kind, quiz.purpose, quiz.title) == (
        "quiz",
        "validation",
        "Quiz de validation — module 1",
    )
    assert quiz.settings["pass_mark"] == 70 and quiz.settings["attempts"] == 3
    assert quiz.settings["time_limit"] == 20 and quiz.settings["shuffle_answers"] is True
    assert quiz.settings["review_after_attempt"] == ["score", "correctness"]
    questions = live_questions(quiz)
    assert [(q.key, q.type, q.position) for q in questions] == [
        ("capitale", "single_choice", 1),
        ("Plateforme", "true_false", 2),
        ("q3", "short_answer", 3),
    ]
    assert questions[0].stem_html == "<p>Quelle est la capitale de la France ?</p>"
    assert questions[0].section is None and questions[0].max_score == 1.0

    survey = instrument("auto-evaluation-entree")
    assert (survey.kind, survey.purpose, survey.intro_html) == (
        "self_assessment",
        "pre",
        "<p>Situez-vous.</p>",
    )
    relation, attentes = live_questions(survey)
    assert (relation.type, relation.competency, relation.required) == (
        "scale",
        "relation-usagers",
        True,
    )
    assert (relation.section, attentes.settings["lines"]) == ("Compétences", 4)

    trainer = instrument("bilan-formateur")
    activity = db.session.get(Activity, trainer.activity_id)
    assert (trainer.settings["respondent"], activity.hidden) == ("trainer", True)
    assert db.session.get(Activity, survey.activity_id).hidden is False


def _answer(question: Question, user, run, response: dict) -> Answer:
    attempt = Attempt(instrument_id=question.instrument_id, user_id=user.id, run_id=run.id)
    answer = Answer(question_id=question.id, response=response, score=1.0)
    attempt.answers.append(answer)
    db.session.add(attempt)
    db.session.commit()
    return answer


def test_reimport_keeps_question_ids_and_answers(app, tmp_path, make_user):
    folder = write_course(tmp_path)
    assert run_cli(app, "import", str(folder)).exit_code == 0
    quiz = instrument("quiz-module-1")
    before = {q.key: q.id for q in quiz.questions}
    course = db.session.scalar(sa.select(Course))
    learner = make_user("learner")
    run = make_run(course)
    enrol(run, learner)
    answer = _answer(quiz.questions[0], learner, run, {"choice": "x"})

    edited = QUIZ.replace("Quelle est la capitale", "Quelle est donc la capitale")
    edited = edited.replace(
        "::Plateforme:: Les budgets participatifs sont des outils numériques. {T}\n\n", ""
    )
    edited += "\n::Nouvelle:: 2 + 2 ? {#4}\n"
    write_course(tmp_path, quiz=edited)
    result = run_cli(app, "import", str(folder))
    assert result.exit_code == 0, result.output

    db.session.expire_all()
    quiz = instrument("quiz-module-1")
    rows = {q.key: q for q in quiz.questions}
    assert rows["capitale"].id == before["capitale"]
    # untitled questions are keyed by position: the short answer is now "q2", a new question
    assert rows["q3"].archived and rows["q2"].id not in before.values()
    assert rows["capitale"].stem_html == "<p>Quelle est donc la capitale de la France ?</p>"
    assert rows["Plateforme"].id == before["Plateforme"] and rows["Plateforme"].archived
    assert [(q.key, q.position) for q in live_questions(quiz)] == [
        ("capitale", 1),
        ("q2", 2),
        ("Nouvelle", 3),
    ]
    assert db.session.get(Answer, answer.id).question_id == before["capitale"]

    write_course(tmp_path)  # the removed question comes back with its id
    assert run_cli(app, "import", str(folder)).exit_code == 0
    db.session.expire_all()
    restored = {q.key: q for q in instrument("quiz-module-1").questions}["Plateforme"]
    assert (restored.id, restored.archived, restored.position) == (before["Plateforme"], False, 2)


def _without_lines(data: dict) -> dict:
    settings = dict(data["settings"])
    settings["questions"] = [
        {k: v for k, v in q.items() if k != "line"} for q in settings["questions"]
    ]
    return {**data, "settings": settings}


def test_export_writes_files_that_read_back_the_same(app, tmp_path):
    folder = write_course(tmp_path)
    assert run_cli(app, "import", str(folder)).exit_code == 0
    result = run_cli(app, "export", "gcu-test", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    exported = next((tmp_path / "out").rglob("quiz.gift"))
    original = folder / "01-module" / "quiz.gift"
    assert _without_lines(load_quiz(exported, exported.read_text())) == _without_lines(
        load_quiz(original, original.read_text())
    )
    for name in ("auto-evaluation.survey", "bilan-formateur.survey"):
        again = next((tmp_path / "out").rglob(name))
        first = folder / "01-module" / name
        assert _without_lines(load_survey(again, again.read_text())) == _without_lines(
            load_survey(first, first.read_text())
        )


def test_dumpers_rebuild_the_files_from_the_questions_alone(app, tmp_path):
    assert run_cli(app, "import", str(write_course(tmp_path))).exit_code == 0
    for key, dump, load in (
        ("quiz-module-1", dump_quiz, load_quiz),
        ("auto-evaluation-entree", dump_survey, load_survey),
    ):
        activity = db.session.scalar(sa.select(Activity).where(Activity.key == key))
        first = load(activity.filename, dump(activity)[1])
        activity.settings = {k: v for k, v in activity.settings.items() if k != "source"}
        name, text = dump(activity)
        assert name == activity.filename
        second = load(name, text)
        for data in (first, second):
            data["settings"].pop("source")
        assert _without_lines(second) == _without_lines(first)


@pytest.mark.parametrize(
    ("file", "text", "line", "message"),
    [
        ("quiz.gift", QUIZ.replace("~Lyon", "~Lyon {"), 17, "'{' inside an answer block"),
        ("quiz.gift", QUIZ.replace("// pass_mark: 70", "// pass_mark: 170"), 5, "pass_mark"),
        ("quiz.gift", QUIZ.replace("// attempts: 3", "// tentatives: 3"), 6, "unknown field"),
        ("quiz.gift", "// ---\n// key: x\n\nQ {T}\n", 1, "not closed"),
        ("quiz.gift", "// [id:a]\nA {T}\n\n// [id:a]\nB {F}\n", 5, "used twice"),
        ("quiz.gift", "Juste un texte.\n", 1, "no question"),
        (
            "auto-evaluation.survey",
            SURVEY.replace("competency=relation-usagers", "competency=inconnue"),
            10,
            "not an objective",
        ),
        (
            "auto-evaluation.survey",
            SURVEY.replace("- 2 Un peu", "- deux Un peu"),
            13,
            "whole numbers",
        ),
    ],
)
def test_errors_name_file_and_line_and_nothing_is_imported(
    app, tmp_path, file, text, line, message
):
    folder = write_course(tmp_path)
    (folder / "01-module" / file).write_text(text, encoding="utf-8")
    result = run_cli(app, "import", str(folder))
    assert result.exit_code == 1
    assert f"01-module/{file}:{line}:" in result.output
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count(Instrument.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Course.id))) == 0


def test_loader_error_keeps_the_gift_line_and_column():
    with pytest.raises(ContentError) as caught:
        load_quiz(Path("/x/quiz.gift"), "Q1 {T}\n\nQ2 {=a ~b\n")
    assert caught.value.line == 3
    assert "column 4" in caught.value.message


def test_quiz_without_header_takes_defaults_from_the_file_name():
    data = quiz_activity("::Un:: Oui ? {T}\n", "02-quiz-final.gift")
    assert (data["key"], data["title"]) == ("02-quiz-final", "Quiz final")
    settings = data["settings"]
    assert (settings["purpose"], settings["pass_mark"], settings["attempts"]) == ("practice", 50, 0)
    assert settings["review_after_close"] == ["score", "correctness", "feedback", "correct_answers"]
    assert [q["key"] for q in settings["questions"]] == ["Un"]
