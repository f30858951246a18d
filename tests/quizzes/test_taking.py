"""Taking a quiz in the browser (without JavaScript): activity page, attempt form, save,
submit with confirmation, review, and who may see what."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from courses.models import EnrolmentStatus
from lms.db import db, utcnow
from quizzes.models import Answer, Attempt, AttemptState
from tests.conftest import csrf_token
from tests.factories import enrol
from tests.quizzes.taking_data import (
    FEEDBACK_TEXTS,
    SECRET_TEXTS,
    add_instrument,
    add_quiz,
    setup_course,
    survey_question,
)
from tests.quizzes.test_attempts import by_key, choice_key, right_answers


@pytest.fixture
def data(app, make_user, login):
    data = setup_course(make_user)
    login(data.learner)
    return data


def activity_url(data, quiz):
    return f"/parcours/sessions/{data.run.id}/evaluations/{quiz.activity_id}"


def start(client, data, quiz):
    """Press « Commencer » on the activity page; return the response (a redirect)."""
    token = csrf_token(client, activity_url(data, quiz))
    return client.post(activity_url(data, quiz) + "/commencer", data={"csrf_token": token})


def started(client, data, quiz) -> Attempt:
    response = start(client, data, quiz)
    assert response.status_code == 303, response.get_data(as_text=True)
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return db.session.get(Attempt, attempt_id)


def post_attempt(client, attempt, fields, action="save"):
    token = csrf_token(client, f"/parcours/tentatives/{attempt.id}")
    data = {"csrf_token": token, "action": action}
    data.update(fields)
    return client.post(f"/parcours/tentatives/{attempt.id}", data=data)


def answer_and_send(client, attempt, quiz):
    """Save the right answers with « Enregistrer », then send from the confirmation page."""
    post_attempt(client, attempt, form_fields(quiz))
    return post_attempt(client, attempt, {}, action="confirm")


SCORE_83 = re.compile(r"83\W{0,2}%")


def switch_to(client, login, user):
    """Sign the current user out, then sign ``user`` in."""
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/parcours")})
    login(user)


def form_fields(quiz) -> dict:
    """The right answers as a dict for the test client (lists for multi-valued fields)."""
    form = right_answers(quiz)
    return {name: form.getlist(name) for name in form}


@pytest.mark.parametrize(
    ("count", "attempts", "minutes"),
    [
        (3, "3 autorisées, 3 restantes", "20 minutes à partir"),
        (1, "1 autorisée, 1 restante", "1 minute à partir"),
    ],
)
def test_activity_page_states_the_rules_in_plain_words(client, data, count, attempts, minutes):
    quiz = add_quiz(data.course, pass_mark=70, attempts=count, time_limit=20 if count > 1 else 1)
    html = client.get(activity_url(data, quiz)).get_data(as_text=True)
    assert "Évaluation quiz-m1" in html and "Lisez bien chaque question." in html
    assert "obtenir au moins 70 % des points" in html
    assert attempts in html
    assert "Durée limite" in html and minutes in html
    assert "Commencer" in html


def test_courses_activity_redirects_to_the_quiz_page(client, data):
    quiz = add_quiz(data.course)
    response = client.get(f"/parcours/sessions/{data.run.id}/activites/{quiz.activity_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(activity_url(data, quiz))


def test_attempt_page_numbers_questions_and_hides_answers_and_feedback(client, data):
    quiz = add_quiz(data.course)
    attempt = started(client, data, quiz)
    html = client.get(f"/parcours/tentatives/{attempt.id}").get_data(as_text=True)
    for number in range(1, 7):
        assert f"Question {number}" in html
    assert "Quelle est la capitale de la France ?" in html
    assert "Paris" in html and "Lyon" in html  # the choices themselves are shown
    for secret in SECRET_TEXTS:
        assert secret not in html, secret
    assert "fraction" not in html and "weight" not in html
    assert "« Enregistrer »" in html or "Enregistrer" in html
    assert 'value="submit"' in html


def test_reload_in_the_middle_loses_nothing(client, data):
    quiz = add_quiz(data.course)
    q = by_key(quiz)
    attempt = started(client, data, quiz)
    paris = choice_key(q["capitale"], "Paris")
    response = post_attempt(
        client, attempt, {f"q{q['capitale'].id}": paris, f"q{q['mot'].id}": "Ma réponse"}
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vos réponses sont enregistrées." in page
    assert re.search(rf'value="{paris}"[^>]*checked|checked[^>]*value="{paris}"', page)
    assert 'value="Ma réponse"' in page
    # leaving and coming back through the activity page resumes the same attempt
    again = started(client, data, quiz)
    assert again.id == attempt.id


def test_submit_asks_for_confirmation_then_shows_the_result(client, data):
    quiz = add_quiz(data.course, review_after_attempt="score,correctness,feedback")
    attempt = started(client, data, quiz)
    response = post_attempt(client, attempt, form_fields(quiz), action="submit")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Envoyer vos réponses ?" in html
    assert "6 questions sur 6" in html
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.IN_PROGRESS
    response = post_attempt(client, attempt, {}, action="confirm")
    assert response.status_code == 303
    review = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vos réponses ont été envoyées." in review
    assert "5,00 / 6,00" in review  # the essay waits for the trainer
    assert "Bravo-feedback-Paris" in review
    assert "Sesame-secret-accepte" not in review  # correct answers are not in the options


def test_sending_twice_records_one_attempt(client, data):
    quiz = add_quiz(data.course)
    attempt = started(client, data, quiz)
    post_attempt(client, attempt, form_fields(quiz), action="save")
    token = csrf_token(client, f"/parcours/tentatives/{attempt.id}")
    url = f"/parcours/tentatives/{attempt.id}"
    first = client.post(url, data={"csrf_token": token, "action": "confirm"})
    second = client.post(url, data={"csrf_token": token, "action": "confirm"})
    assert first.status_code == second.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "déjà été envoyée" in page


def test_answers_cannot_be_changed_after_submission(client, data):
    quiz = add_quiz(data.course)
    q = by_key(quiz)
    attempt = started(client, data, quiz)
    post_attempt(client, attempt, form_fields(quiz))
    token = csrf_token(client, f"/parcours/tentatives/{attempt.id}")
    client.post(
        f"/parcours/tentatives/{attempt.id}", data={"csrf_token": token, "action": "confirm"}
    )
    response = client.post(
        f"/parcours/tentatives/{attempt.id}",
        data={"csrf_token": token, "action": "save", f"q{q['calcul'].id}": "1"},
        follow_redirects=True,
    )
    assert "vos réponses ne peuvent plus être modifiées" in response.get_data(as_text=True)
    answer = db.session.scalar(sa.select(Answer).where(Answer.question_id == q["calcul"].id))
    assert answer.response == {"text": "4217"}
    autosave = client.post(
        f"/parcours/tentatives/{attempt.id}/enregistrer",
        data={"csrf_token": token, f"q{q['calcul'].id}": "2"},
    )
    assert autosave.status_code == 409
    assert "ne peuvent plus être modifiées" in autosave.get_json()["error"]


def test_autosave_saves_the_form_as_json(client, data):
    quiz = add_quiz(data.course)
    q = by_key(quiz)
    attempt = started(client, data, quiz)
    token = csrf_token(client, f"/parcours/tentatives/{attempt.id}")
    response = client.post(
        f"/parcours/tentatives/{attempt.id}/enregistrer",
        data={f"q{q['calcul'].id}": "42"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200 and response.get_json()["saved"] is True
    answer = db.session.scalar(sa.select(Answer).where(Answer.attempt_id == attempt.id))
    assert answer.response == {"text": "42"}
    refused = client.post(
        f"/parcours/tentatives/{attempt.id}/enregistrer", data={f"q{q['calcul'].id}": "1"}
    )
    assert refused.status_code == 400  # no CSRF token


def test_attempts_beyond_the_limit_are_refused(client, data):
    quiz = add_quiz(data.course, attempts=1)
    attempt = started(client, data, quiz)
    answer_and_send(client, attempt, quiz)
    response = start(client, data, quiz)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vous avez déjà utilisé votre tentative" in page
    assert "Vous avez utilisé toutes les tentatives autorisées." in page
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1


def test_review_shows_only_what_the_options_allow(client, data):
    quiz = add_quiz(data.course, review_after_attempt="score", review_after_close="")
    attempt = started(client, data, quiz)
    answer_and_send(client, attempt, quiz)
    review = client.get(f"/parcours/tentatives/{attempt.id}/resultat").get_data(as_text=True)
    assert "5,00 / 6,00" in review
    for secret in (*FEEDBACK_TEXTS, "Sesame-secret-accepte"):
        assert secret not in review, secret
    activity = client.get(activity_url(data, quiz)).get_data(as_text=True)
    assert SCORE_83.search(activity)  # 5/6 in the list of attempts


def test_review_after_close_shows_correct_answers(client, data):
    quiz = add_quiz(
        data.course, review_after_attempt="", review_after_close="score,correct_answers"
    )
    attempt = started(client, data, quiz)
    answer_and_send(client, attempt, quiz)
    before = client.get(f"/parcours/tentatives/{attempt.id}/resultat").get_data(as_text=True)
    assert "Sesame-secret-accepte" not in before and "5,00 / 6,00" not in before
    activity = client.get(activity_url(data, quiz)).get_data(as_text=True)
    assert not SCORE_83.search(activity)
    data.run.ends_on = utcnow().date() - timedelta(days=1)
    db.session.commit()
    after = client.get(f"/parcours/tentatives/{attempt.id}/resultat").get_data(as_text=True)
    assert "Sesame-secret-accepte" in after and "5,00 / 6,00" in after


def test_time_limit_is_enforced_by_the_server(client, data):
    quiz = add_quiz(data.course, time_limit=5)
    q = by_key(quiz)
    attempt = started(client, data, quiz)
    page = client.get(f"/parcours/tentatives/{attempt.id}").get_data(as_text=True)
    assert 'id="countdown"' in page and 'data-remaining="' in page
    post_attempt(client, attempt, {f"q{q['calcul'].id}": "4217"})
    attempt.deadline_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(f"/parcours/tentatives/{attempt.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/resultat")
    db.session.expire_all()
    closed = db.session.get(Attempt, attempt.id)
    assert closed.state == AttemptState.NEEDS_GRADING  # the essay
    assert closed.score == 1.0


def test_a_learner_only_sees_their_own_attempts(client, data, make_user, login):
    quiz = add_quiz(data.course)
    attempt = started(client, data, quiz)
    other = make_user("learner")
    enrol(data.run, other)
    switch_to(client, login, other)
    token = csrf_token(client, "/parcours")
    assert client.get(f"/parcours/tentatives/{attempt.id}").status_code == 404
    assert client.get(f"/parcours/tentatives/{attempt.id}/resultat").status_code == 404
    assert (
        client.post(f"/parcours/tentatives/{attempt.id}", data={"csrf_token": token}).status_code
        == 404
    )
    assert (
        client.post(
            f"/parcours/tentatives/{attempt.id}/enregistrer", data={"csrf_token": token}
        ).status_code
        == 404
    )


def test_withdrawn_or_unenrolled_learners_are_refused(client, data, make_user, login):
    quiz = add_quiz(data.course)
    data.enrolment.status = EnrolmentStatus.WITHDRAWN
    db.session.commit()
    assert client.get(activity_url(data, quiz)).status_code == 403
    switch_to(client, login, make_user("learner"))
    assert client.get(activity_url(data, quiz)).status_code == 404


def test_trainer_evaluation_is_not_a_learner_page(client, data):
    quiz = add_quiz(data.course, purpose="trainer_review")
    assert client.get(activity_url(data, quiz)).status_code == 404


def test_pages_need_a_signed_in_user(client, data):
    quiz = add_quiz(data.course)
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/parcours")})
    response = client.get(activity_url(data, quiz))
    assert response.status_code == 302 and "/compte/connexion" in response.headers["Location"]


def needs_questionnaire(course):
    return add_instrument(
        course,
        "besoins",
        [
            survey_question("attentes", "text", "Quelles sont vos attentes ?", 1, required=True),
            survey_question("contexte", "text", "Votre contexte de travail ?", 2),
        ],
        kind="questionnaire",
        purpose="needs",
    )


def test_unanswered_required_questions_are_listed_and_nothing_is_lost(client, data):
    survey = needs_questionnaire(data.course)
    attentes, contexte = survey.questions
    attempt = started(client, data, survey)
    response = post_attempt(
        client, attempt, {f"q{contexte.id}": "Une mairie de 5 000 habitants"}, action="submit"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert "Il manque des réponses obligatoires" in summary
    assert f'href="#question-{attentes.id}"' in summary and "Question 1" in summary
    assert "Question 2" not in summary
    assert "Une mairie de 5 000 habitants" in html
    assert db.session.get(Attempt, attempt.id).state == AttemptState.IN_PROGRESS
    page = client.get(f"/parcours/tentatives/{attempt.id}").get_data(as_text=True)
    assert "Une mairie de 5 000 habitants" in page


def test_the_confirmation_page_counts_what_is_answered_as_the_attempt_page_does(client, data):
    """« Envoyer » asks to confirm with the number of questions answered: an unknown choice or
    blank text is not an answer, a text-only block is not a question."""
    quiz = add_quiz(data.course)
    q = by_key(quiz)
    quiz.questions.append(survey_question("info", "description", "À lire avant.", 7))
    db.session.commit()
    attempt = started(client, data, quiz)
    fields = {
        f"q{q['ciel'].id}": "true",
        f"q{q['calcul'].id}": "4217",
        f"q{q['mot'].id}": "   ",
        f"q{q['capitale'].id}": "pas-une-option",
    }
    html = post_attempt(client, attempt, fields, action="submit").get_data(as_text=True)
    assert "Vous avez répondu à 2 questions sur 6." in html
    page = client.get(f"/parcours/tentatives/{attempt.id}").get_data(as_text=True)
    assert "À lire avant." in page and "Question 7" not in page  # the block, not numbered
    assert db.session.get(Attempt, attempt.id).state == AttemptState.IN_PROGRESS


def test_survey_review_thanks_and_shows_the_answers(client, data):
    survey = needs_questionnaire(data.course)
    attentes, _contexte = survey.questions
    attempt = started(client, data, survey)
    post_attempt(client, attempt, {f"q{attentes.id}": "Savoir ouvrir nos données"})
    response = post_attempt(client, attempt, {}, action="confirm")
    review = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Merci pour vos réponses" in review
    assert "Savoir ouvrir nos données" in review
    again = client.get(activity_url(data, survey)).get_data(as_text=True)
    assert "Vous avez déjà répondu. Merci !" in again
