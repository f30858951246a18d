"""A trainer grades an essay: score and comment, new attempt total, completion, e-mail."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from courses.models import Progress
from lms.db import db
from lms.mail.models import MailStatus, OutboxMessage
from quizzes.models import Answer, Attempt, AttemptState
from tests.quizzes.builders import choice_settings, cohort, make_attempt, make_instrument


@pytest.fixture
def essay(app, make_user):
    course, run, trainer, enrolments = cohort(make_user, ["Alice"])
    quiz = make_instrument(
        course,
        "validation-m1",
        [
            {"key": "q1", "type": "single_choice", "settings": choice_settings("Oui", "Non")},
            {"key": "projet", "type": "essay", "title": "Votre projet", "max_score": 4},
        ],
        title="Validation du module 1",
        settings={"pass_mark": 60},
    )
    attempt = make_attempt(
        quiz,
        enrolments["Alice"],
        {
            "q1": {"score": 1, "choices": ["a"], "response": {"choice": "a"}},
            "projet": {"response": {"text": "Un portail citoyen <b>ouvert</b>."}},
        },
    )
    answer = next(a for a in attempt.answers if a.score is None)
    return run, trainer, attempt, answer, enrolments["Alice"]


def _form_token(client, attempt_id: int, answer_id: int) -> str:
    html = client.get(f"/formateur/tentatives/{attempt_id}").get_data(as_text=True)
    match = re.search(
        rf'name="a{answer_id}-csrf_token" type="hidden" value="([^"]+)"',
        html,
    )
    assert match, "no grading form"
    return match.group(1)


def _grade(client, attempt, answer, score: str, comment: str = "", token: str | None = None):
    token = token if token is not None else _form_token(client, attempt.id, answer.id)
    return client.post(
        f"/formateur/reponses/{answer.id}/noter",
        data={
            f"a{answer.id}-csrf_token": token,
            f"a{answer.id}-score": score,
            f"a{answer.id}-comment": comment,
        },
    )


def test_attempt_page_shows_the_essay_and_a_grading_form(essay, client, login):
    run, trainer, attempt, answer, _enrolment = essay
    login(trainer)
    html = client.get(f"/formateur/tentatives/{attempt.id}").get_data(as_text=True)
    assert "Un portail citoyen &lt;b&gt;ouvert&lt;/b&gt;." in html  # the learner's text, escaped
    assert "Noter cette réponse" in html and "Sur 4 points" in html
    assert f'action="/formateur/reponses/{answer.id}/noter"' in html
    assert "à corriger" in html


def test_grade_updates_attempt_completes_activity_and_mails_learner(essay, client, login):
    run, trainer, attempt, answer, enrolment = essay
    login(trainer)
    response = _grade(client, attempt, answer, "2,5", "Bien argumenté.\nPensez aux usagers.")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/formateur/tentatives/{attempt.id}#question-{answer.question_id}"
    )
    db.session.expire_all()
    graded = db.session.get(Answer, answer.id)
    assert graded.score == 2.5 and graded.comment == "Bien argumenté.\nPensez aux usagers."
    assert graded.graded_by_id == trainer.id and graded.graded_at is not None
    done = db.session.get(Attempt, attempt.id)
    assert (done.score, done.max_score, done.state, done.passed) == (
        3.5,
        5.0,
        AttemptState.GRADED,
        True,
    )
    progress = db.session.scalar(sa.select(Progress).where(Progress.enrolment_id == enrolment.id))
    assert progress is not None and progress.completed_at is not None
    mail = db.session.scalar(sa.select(OutboxMessage))
    assert mail.key == f"graded:{answer.id}:1"
    assert mail.to_addr == enrolment.user.email and mail.status == MailStatus.SENT
    assert "Validation du module 1" in mail.subject
    assert "2,5 / 4,0" in mail.body_text and "Pensez aux usagers." in mail.body_text
    assert "70" in mail.body_text and "réussie" in mail.body_text
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Note enregistrée" in page and "Modifier la note" in page


def test_second_grading_sends_a_second_mail(essay, client, login):
    run, trainer, attempt, answer, _enrolment = essay
    login(trainer)
    assert _grade(client, attempt, answer, "1").status_code == 303
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).passed is False  # 2 / 5 = 40 %
    assert _grade(client, attempt, answer, "4", "Revu après échange.").status_code == 303
    keys = sorted(db.session.scalars(sa.select(OutboxMessage.key)))
    assert keys == [f"graded:{answer.id}:1", f"graded:{answer.id}:2"]
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).passed is True


@pytest.mark.parametrize(
    ("score", "message"),
    [
        ("5", "La note doit être comprise entre 0 et 4"),
        ("-1", "comprise entre 0 et 4"),
        ("beaucoup", "Indiquez la note en chiffres"),
    ],
)
def test_bad_score_is_refused_and_nothing_changes(essay, client, login, score, message):
    run, trainer, attempt, answer, _enrolment = essay
    login(trainer)
    response = _grade(client, attempt, answer, score, "Commentaire")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).score is None
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_grade_without_csrf_token_is_refused(essay, client, login):
    run, trainer, attempt, answer, _enrolment = essay
    login(trainer)
    assert _grade(client, attempt, answer, "3", token="forged").status_code == 400
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).score is None


def test_automatically_graded_answer_cannot_be_graded_by_hand(essay, client, login):
    run, trainer, attempt, _answer, _enrolment = essay
    login(trainer)
    auto = next(a for a in attempt.answers if a.score is not None)
    token = _form_token(client, attempt.id, next(a for a in attempt.answers if a.score is None).id)
    response = client.post(
        f"/formateur/reponses/{auto.id}/noter",
        data={f"a{auto.id}-csrf_token": token, f"a{auto.id}-score": "0"},
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Answer, auto.id).score == 1


def test_mail_html_escapes_the_comment(essay, client, login):
    run, trainer, attempt, answer, _enrolment = essay
    login(trainer)
    _grade(client, attempt, answer, "3", "<script>alert(1)</script>")
    mail = db.session.scalar(sa.select(OutboxMessage))
    assert "<script>" not in mail.body_html and "&lt;script&gt;" in mail.body_html
