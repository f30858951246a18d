"""A quiz downloads as its GIFT file from its page (the file the importer reads back)."""

from __future__ import annotations

from quizzes.authoring.quizfile import read_quiz
from tests.quizzes.test_instruments_ui import setup_course


def test_trainer_downloads_the_quiz_as_gift(app, client, login, make_user, tmp_path):
    trainer, quiz = setup_course(app, tmp_path, make_user)
    login(trainer)
    page = client.get(f"/formateur/instruments/{quiz.id}").get_data(as_text=True)
    url = f"/formateur/instruments/{quiz.id}/fichier"
    assert url in page and "Télécharger le fichier GIFT" in page
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="')
    assert response.headers["Content-Disposition"].endswith('.gift"')
    text = response.get_data(as_text=True)
    data = read_quiz(text, "quiz.gift")
    assert data["meta"]["key"] == "quiz-module-1"
    assert "Quelle est la capitale de la France ?" in text
    assert len(data["questions"]) == len([q for q in quiz.questions if not q.archived])


def test_learners_and_other_trainers_cannot_download(app, client, login, make_user, tmp_path):
    _trainer, quiz = setup_course(app, tmp_path, make_user, trainer_of_course=False)
    for user in (make_user("learner"), make_user("trainer")):
        login(user)
        assert client.get(f"/formateur/instruments/{quiz.id}/fichier").status_code == 403
