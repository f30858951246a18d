"""The attempt service: start (limit, layout, deadline), save, submit, grading and completion."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from courses.models import Progress
from lms.db import db, utcnow
from lms.signals import attempt_submitted
from quizzes.models import Answer, AnswerChoice, Attempt, AttemptState
from quizzes.taking import attempts
from tests.quizzes.taking_data import add_instrument, add_quiz, setup_course, survey_question


@pytest.fixture
def data(app, make_user):
    return setup_course(make_user)


def by_key(instrument):
    return {q.key: q for q in instrument.questions}


def choice_key(question, label):
    return next(c["key"] for c in question.settings["choices"] if c["text"]["text"] == label)


def right_answers(quiz) -> MultiDict:
    """A form answering every question of the quiz right (the essay with some text)."""
    q = by_key(quiz)
    return MultiDict(
        [
            (f"q{q['capitale'].id}", choice_key(q["capitale"], "Paris")),
            (f"q{q['ciel'].id}", "true"),
            (f"q{q['langages'].id}", choice_key(q["langages"], "Python")),
            (f"q{q['langages'].id}", choice_key(q["langages"], "Rust")),
            (f"q{q['mot'].id}", "  sesame-SECRET-accepte "),
            (f"q{q['calcul'].id}", "4217"),
            (f"q{q['explication'].id}", "J'ai additionné."),
        ]
    )


def without_essay(course, **settings):
    quiz = add_quiz(course, **settings)
    essay = by_key(quiz)["explication"]
    essay.archived = True
    db.session.commit()
    return quiz


def completed(enrolment, instrument) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Progress.completed_at).where(
                Progress.enrolment_id == enrolment.id,
                Progress.activity_id == instrument.activity_id,
            )
        )
    )


def test_start_lays_out_every_live_question_and_resumes_the_same_attempt(data):
    quiz = without_essay(data.course)
    first = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    db.session.commit()
    live = [q.id for q in quiz.questions if not q.archived]
    assert first.layout["questions"] == live
    assert first.number == 1 and first.state == AttemptState.IN_PROGRESS
    assert first.deadline_at is None
    again = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    assert again.id == first.id
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1


def test_after_many_attempts_the_next_is_numbered_on_and_the_open_one_resumed(data):
    quiz = without_essay(data.course)  # no limit on attempts
    for number in range(1, 5):
        attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
        assert attempt.number == number
        attempts.submit(attempt)
        db.session.commit()
    open_one = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    db.session.commit()
    assert open_one.number == 5
    assert attempts.start(quiz, data.learner, data.run.id, data.enrolment).id == open_one.id
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 5


def test_shuffled_layout_is_drawn_once_and_kept(data):
    quiz = add_quiz(data.course, shuffle_questions=True, shuffle_answers=True)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment, rng=random.Random(3))
    db.session.commit()
    natural = [q.id for q in quiz.questions]
    assert sorted(attempt.layout["questions"]) == sorted(natural)
    assert attempt.layout["questions"] != natural
    capitale = by_key(quiz)["capitale"]
    keys = [c["key"] for c in capitale.settings["choices"]]
    assert sorted(attempt.layout["options"][str(capitale.id)]) == sorted(keys)
    assert attempt.layout["options"][str(by_key(quiz)["ciel"].id)] == ["true", "false"]
    stored = dict(attempt.layout)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).layout == stored


def test_time_limit_sets_the_deadline(data):
    quiz = add_quiz(data.course, time_limit=20)
    now = utcnow()
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment, now=now)
    assert attempt.deadline_at == now + timedelta(minutes=20)


def test_attempt_limit_refuses_a_new_attempt_with_a_clear_message(data):
    quiz = without_essay(data.course, attempts=2)
    for _ in range(2):
        attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
        attempts.submit(attempt)
        db.session.commit()
    with pytest.raises(attempts.AttemptRefused) as refused:
        attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    assert "2 tentatives" in refused.value.message
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 2


def test_save_upserts_answers_and_keeps_the_last_response(data):
    quiz = without_essay(data.course)
    q = by_key(quiz)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    attempts.save_answers(attempt, MultiDict({f"q{q['calcul'].id}": "12"}))
    db.session.commit()
    attempts.save_answers(attempt, MultiDict({f"q{q['calcul'].id}": "4217"}))
    db.session.commit()
    rows = db.session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt.id)).all()
    assert [(r.question_id, r.response) for r in rows] == [(q["calcul"].id, {"text": "4217"})]
    assert rows[0].score is None  # graded only on submission


def test_submit_grades_through_the_question_types(data):
    quiz = without_essay(data.course, pass_mark=60)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    form = right_answers(quiz)
    q = by_key(quiz)
    form.setlist(f"q{q['langages'].id}", [choice_key(q["langages"], "Python")])  # half marks
    form[f"q{q['ciel'].id}"] = "false"  # wrong
    attempts.save_answers(attempt, form)
    assert attempts.submit(attempt) is True
    db.session.commit()
    assert attempt.state == AttemptState.SUBMITTED
    assert (attempt.score, attempt.max_score) == (3.5, 5.0)
    assert attempt.passed is True  # 70 % >= 60 %
    scores = {a.question_id: a.score for a in attempt.answers}
    assert scores[q["ciel"].id] == 0.0 and scores[q["langages"].id] == 0.5
    chosen = db.session.execute(
        sa.select(AnswerChoice.question_id, AnswerChoice.choice_key).order_by(
            AnswerChoice.question_id
        )
    ).all()
    assert (q["ciel"].id, "false") in chosen
    assert (q["capitale"].id, choice_key(q["capitale"], "Paris")) in chosen


def test_unanswered_questions_score_zero_and_are_recorded(data):
    quiz = without_essay(data.course)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    attempts.submit(attempt)
    db.session.commit()
    assert (attempt.score, attempt.max_score, attempt.passed) == (0.0, 5.0, False)
    assert len(attempt.answers) == 5
    assert all(a.score == 0.0 for a in attempt.answers)


def test_unanswered_questions_are_inserted_together_with_their_grades(data, count_queries):
    """A quiz sent half answered: the answered questions graded in place, the others
    recorded empty with their zero in one INSERT (not one a question), picks of the answered
    ones kept for the item analysis."""
    quiz = without_essay(data.course)
    q = by_key(quiz)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    attempts.save_answers(
        attempt,
        MultiDict({f"q{q['ciel'].id}": "true", f"q{q['capitale'].id}": "zzz-unknown"}),
    )
    db.session.commit()
    with count_queries() as counter:
        attempts.submit(attempt)
        db.session.commit()
    inserts = [s for s in counter.statements if s.lstrip().startswith("INSERT INTO answers")]
    assert len(inserts) == 1
    db.session.expire_all()
    by_question = {a.question_id: a for a in attempt.answers}
    assert len(by_question) == 5
    assert by_question[q["ciel"].id].score == 1.0
    assert by_question[q["capitale"].id].score == 0.0
    empty = [
        a for a in by_question.values() if a.question_id not in (q["ciel"].id, q["capitale"].id)
    ]
    assert [(a.response, a.score) for a in empty] == [({}, 0.0)] * 3
    assert (attempt.score, attempt.max_score, attempt.state) == (1.0, 5.0, AttemptState.SUBMITTED)
    chosen = db.session.execute(sa.select(AnswerChoice.question_id, AnswerChoice.choice_key)).all()
    assert chosen == [(q["ciel"].id, "true")]


def test_a_save_inserts_the_new_answers_together_and_updates_the_changed_ones(data, count_queries):
    """The first save of a page inserts its answers in one INSERT; a later save changes only
    the answers that changed, adds the new ones and keeps the others as they were."""
    quiz = without_essay(data.course)
    q = by_key(quiz)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    db.session.commit()
    first = MultiDict(
        {f"q{q['ciel'].id}": "true", f"q{q['capitale'].id}": choice_key(q["capitale"], "Paris")}
    )
    with count_queries() as counter:
        attempts.save_answers(attempt, first)
        db.session.commit()
    inserts = [s for s in counter.statements if s.lstrip().startswith("INSERT INTO answers")]
    assert len(inserts) == 1
    db.session.expire_all()
    saved = {a.question_id: a.response for a in attempt.answers}
    assert set(saved) == {q["ciel"].id, q["capitale"].id}
    first_ids = {a.question_id: a.id for a in attempt.answers}
    second = right_answers(quiz)  # every question answered now, « ciel » changed
    second.setlist(f"q{q['ciel'].id}", ["false"])
    attempts.save_answers(attempt, second)
    db.session.commit()
    db.session.expire_all()
    answers = {a.question_id: a for a in attempt.answers}
    assert len(answers) == 5
    assert answers[q["ciel"].id].id == first_ids[q["ciel"].id]  # the same row, updated
    assert answers[q["ciel"].id].response != saved[q["ciel"].id]


def test_submitting_twice_records_one_attempt(data):
    quiz = without_essay(data.course)
    sent = []

    def listener(sender, attempt):
        sent.append(attempt.id)

    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    attempts.save_answers(attempt, right_answers(quiz))
    with attempt_submitted.connected_to(listener):
        assert attempts.submit(attempt) is True
        db.session.commit()
        assert attempts.submit(attempt) is False
        db.session.commit()
    assert sent == [attempt.id]
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnswerChoice)) == 6


def test_answers_cannot_change_after_submission(data):
    quiz = without_essay(data.course)
    q = by_key(quiz)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    attempts.save_answers(attempt, right_answers(quiz))
    attempts.submit(attempt)
    db.session.commit()
    with pytest.raises(attempts.AttemptRefused) as refused:
        attempts.save_answers(attempt, MultiDict({f"q{q['calcul'].id}": "1"}))
    assert "ne peuvent plus être modifiées" in refused.value.message
    db.session.rollback()
    answer = db.session.scalar(sa.select(Answer).where(Answer.question_id == q["calcul"].id))
    assert answer.response == {"text": "4217"}


def test_overdue_attempt_is_submitted_with_what_was_saved(data):
    quiz = without_essay(data.course, time_limit=10)
    q = by_key(quiz)
    start = utcnow() - timedelta(minutes=30)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment, now=start)
    attempts.save_answers(attempt, right_answers(quiz), now=start + timedelta(minutes=5))
    db.session.commit()
    late = MultiDict({f"q{q['calcul'].id}": "1"})
    with pytest.raises(attempts.AttemptRefused) as refused:
        attempts.save_answers(attempt, late)
    assert "temps imparti est écoulé" in refused.value.message
    db.session.commit()
    assert attempt.state == AttemptState.SUBMITTED
    assert attempt.submitted_at == start + timedelta(minutes=10)
    assert attempt.score == 5.0  # the saved answers, not the late one


def test_overdue_attempt_is_closed_when_next_touched(data):
    quiz = without_essay(data.course, time_limit=10, attempts=2)
    start = utcnow() - timedelta(minutes=11)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment, now=start)
    db.session.commit()
    fresh = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    db.session.commit()
    assert attempt.state == AttemptState.SUBMITTED
    assert fresh.number == 2 and fresh.id != attempt.id


def test_essay_waits_for_grading_then_counts(data):
    quiz = add_quiz(data.course, pass_mark=100)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    attempts.save_answers(attempt, right_answers(quiz))
    attempts.submit(attempt)
    db.session.commit()
    assert attempt.state == AttemptState.NEEDS_GRADING
    assert attempt.passed is None
    assert not completed(data.enrolment, quiz)
    essay = next(a for a in attempt.answers if a.score is None)
    essay.score = 1.0
    attempts.recompute(attempt)
    db.session.commit()
    assert attempt.state == AttemptState.GRADED
    assert (attempt.score, attempt.passed) == (6.0, True)
    assert completed(data.enrolment, quiz)


def test_validation_quiz_completes_the_activity_only_once_passed(data):
    quiz = without_essay(data.course, pass_mark=80, attempts=2)
    failed = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    attempts.submit(failed)
    db.session.commit()
    assert failed.passed is False and not completed(data.enrolment, quiz)
    passed = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    attempts.save_answers(passed, right_answers(quiz))
    attempts.submit(passed)
    db.session.commit()
    assert passed.passed is True and completed(data.enrolment, quiz)


def test_other_quizzes_complete_on_submission_even_failed(data):
    quiz = without_essay(data.course, purpose="exam", pass_mark=80)
    attempt = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    attempts.submit(attempt)
    db.session.commit()
    assert attempt.passed is False
    assert completed(data.enrolment, quiz)


def test_survey_submission_records_values_and_completes(data):
    survey = add_instrument(
        data.course,
        "satisfaction",
        [
            survey_question("reco", "score", "Recommanderiez-vous ?", 1, required=True),
            survey_question("applique", "yesno", "Appliquez-vous ?", 2),
        ],
        kind="questionnaire",
        purpose="needs",
    )
    reco, applique = survey.questions
    attempt = attempts.start(survey, data.learner, data.run.id, data.enrolment)
    attempts.save_answers(attempt, MultiDict({f"q{reco.id}": "9", f"q{applique.id}": "yes"}))
    attempts.submit(attempt)
    db.session.commit()
    values = {a.question_id: a.value for a in attempt.answers}
    assert values == {reco.id: 9.0, applique.id: 1.0}
    assert attempt.passed is None and attempt.max_score == 0.0
    assert completed(data.enrolment, survey)
    with pytest.raises(attempts.AttemptRefused):  # a questionnaire is answered once
        attempts.start(survey, data.learner, data.run.id, data.enrolment)


def test_required_questions_left_unanswered_are_listed(data):
    survey = add_instrument(
        data.course,
        "besoins",
        [
            survey_question("attentes", "text", "Vos attentes ?", 1, required=True),
            survey_question("libre", "text", "Autre chose ?", 2),
        ],
        kind="questionnaire",
        purpose="needs",
    )
    attempt = attempts.start(survey, data.learner, data.run.id, data.enrolment)
    attempts.save_answers(attempt, MultiDict({f"q{survey.questions[1].id}": "Rien"}))
    assert [q.key for q in attempts.missing_required(attempt)] == ["attentes"]


def test_attempts_outside_a_run_are_counted_apart_from_the_runs(data):
    quiz = without_essay(data.course, attempts=2)
    alone = attempts.start(quiz, data.learner, None)
    attempts.submit(alone)
    db.session.commit()
    again = attempts.start(quiz, data.learner, None)
    in_run = attempts.start(quiz, data.learner, data.run.id, data.enrolment)
    db.session.commit()
    assert (alone.number, again.number, in_run.number) == (1, 2, 1)
    assert [a.id for a in attempts.own_attempts(quiz, data.learner.id, None)] == [
        alone.id,
        again.id,
    ]
    summary = attempts.attempt_summary(quiz, data.learner.id, None)
    assert (summary.count, summary.last, summary.in_progress_id) == (2, 2, again.id)
    with pytest.raises(attempts.AttemptRefused):
        attempts.submit(again)
        db.session.commit()
        attempts.start(quiz, data.learner, None)
