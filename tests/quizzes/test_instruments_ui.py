"""The instrument editor in the browser: access, list, edit with errors shown, creation."""

from __future__ import annotations

import sqlalchemy as sa

from courses.models import Activity, Course, Module
from lms.db import db
from quizzes.models import Instrument, Question
from tests.conftest import csrf_token
from tests.factories import make_course, make_run
from tests.quizzes.test_authoring import QUIZ, instrument, run_cli, write_course

GOOD_SOURCE = """// [id:capitale]
::Capitale:: Quelle est la capitale de l'Italie ? {
    =Rome
    ~Milan
}

::Ajout:: 3 + 4 ? {#7}
"""


def setup_course(app, tmp_path, make_user, trainer_of_course=True):
    assert run_cli(app, "import", str(write_course(tmp_path))).exit_code == 0
    trainer = make_user("trainer")
    course = db.session.scalar(sa.select(Course).where(Course.key == "gcu-test"))
    make_run(course, trainers=[trainer] if trainer_of_course else [])
    return trainer, instrument("quiz-module-1")


def switch(client, login, user, page: str = "/formateur/instruments") -> None:
    """Sign the current user out (with the form of the page shell on ``page``), then ``user``
    in."""
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, page)})
    login(user)


def quiz_form(client, quiz, **changes) -> dict:
    url = f"/formateur/instruments/{quiz.id}"
    data = {
        "csrf_token": csrf_token(client, url),
        "title": "Quiz du module 1",
        "purpose": "validation",
        "pass_mark": "80",
        "attempts": "2",
        "time_limit": "",
        "shuffle_questions": "y",
        "review_after_attempt": ["score", "feedback"],
        "review_after_close": ["score", "correctness", "feedback", "correct_answers"],
        "source": GOOD_SOURCE,
    }
    return data | changes


def test_trainer_sees_the_instruments_of_their_courses(app, client, login, make_user, tmp_path):
    trainer, quiz = setup_course(app, tmp_path, make_user)
    make_course("autre")
    login(trainer)
    html = client.get("/formateur/instruments").get_data(as_text=True)
    assert "Quiz de validation — module 1" in html
    assert "Auto-évaluation avant la formation" in html and "Bilan de la session" in html
    assert "Formation autre" not in html
    edit = client.get(f"/formateur/instruments/{quiz.id}").get_data(as_text=True)
    assert 'name="pass_mark"' in edit and 'value="70"' in edit
    assert "::Capitale:: Quelle est la capitale de la France" in edit
    assert "// ---" not in edit  # the header is edited through the fields


def test_bad_gift_shows_line_and_column_and_saves_nothing(app, client, login, make_user, tmp_path):
    trainer, quiz = setup_course(app, tmp_path, make_user)
    before = {q.key: (q.id, q.stem_html) for q in quiz.questions}
    settings = dict(db.session.get(Activity, quiz.activity_id).settings)
    login(trainer)
    bad = GOOD_SOURCE.replace("~Milan", "~Milan {")
    response = client.post(
        f"/formateur/instruments/{quiz.id}", data=quiz_form(client, quiz, source=bad)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Erreur ligne 4, colonne 12" in html
    assert "4 | ~Milan {" in html.replace("    ", "")
    assert "Rien n&#39;a été enregistré" in html or "Rien n'a été enregistré" in html
    assert 'aria-invalid="true"' in html
    db.session.expire_all()
    quiz = instrument("quiz-module-1")
    assert quiz.title == "Quiz de validation — module 1"
    assert {q.key: (q.id, q.stem_html) for q in quiz.questions} == before
    assert db.session.get(Activity, quiz.activity_id).settings == settings


def test_good_source_and_settings_are_saved_and_questions_resynced(
    app, client, login, make_user, tmp_path
):
    trainer, quiz = setup_course(app, tmp_path, make_user)
    ids = {q.key: q.id for q in quiz.questions}
    login(trainer)
    response = client.post(f"/formateur/instruments/{quiz.id}", data=quiz_form(client, quiz))
    assert response.status_code == 302
    db.session.expire_all()
    quiz = instrument("quiz-module-1")
    assert quiz.title == "Quiz du module 1"
    assert (quiz.settings["pass_mark"], quiz.settings["attempts"]) == (80, 2)
    assert quiz.settings["shuffle_questions"] is True and quiz.settings["time_limit"] is None
    assert quiz.settings["review_after_attempt"] == ["score", "feedback"]
    live = [q for q in quiz.questions if not q.archived]
    assert [q.key for q in live] == ["capitale", "Ajout"]
    assert live[0].id == ids["capitale"]
    assert live[0].stem_html == "<p>Quelle est la capitale de l'Italie ?</p>"
    activity = db.session.get(Activity, quiz.activity_id)
    assert activity.title == "Quiz du module 1"
    assert activity.settings["source"] == GOOD_SOURCE.strip("\n")
    page = client.get(f"/formateur/instruments/{quiz.id}").get_data(as_text=True)
    assert "Les modifications sont enregistrées." in page


def test_survey_settings_and_source_are_edited_too(app, client, login, make_user, tmp_path):
    trainer, _quiz = setup_course(app, tmp_path, make_user)
    survey = instrument("auto-evaluation-entree")
    url = f"/formateur/instruments/{survey.id}"
    login(trainer)
    data = {
        "csrf_token": csrf_token(client, url),
        "title": "Auto-évaluation finale",
        "kind": "self_assessment",
        "purpose": "post",
        "opens": "run_end",
        "respondent": "learner",
        "source": "Intro.\n\n? scale niveau competency=donnees\nNiveau ?\n- 1 Bas\n- 2 Haut\n",
    }
    bad = client.post(
        url, data=data | {"source": "? scale niveau competency=absente\nN ?\n- 1 a\n- 2 b\n"}
    )
    assert "Erreur ligne 1, colonne 1" in bad.get_data(as_text=True)
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    survey = instrument("auto-evaluation-entree")
    assert (survey.purpose, survey.settings["opens"], survey.intro) == ("post", "run_end", "Intro.")
    assert [q.key for q in survey.questions if not q.archived] == ["niveau"]


def test_new_instrument_from_pasted_source(app, client, login, make_user, tmp_path):
    trainer, _quiz = setup_course(app, tmp_path, make_user)
    module = db.session.scalar(sa.select(Module).where(Module.key == "module-1"))
    login(trainer)
    url = "/formateur/instruments/nouveau"
    data = {
        "csrf_token": csrf_token(client, url),
        "module_id": str(module.id),
        "format": "gift",
        "title": "Quiz de révision",
        "source": "Une question ? {T}\n\nUne autre {=a ~b",
    }
    bad = client.post(url, data=data)
    assert "Erreur ligne 3, colonne 11" in bad.get_data(as_text=True)
    assert instrument("quiz-de-revision") is None
    response = client.post(url, data=data | {"source": QUIZ.replace("quiz-module-1", "revision")})
    assert response.status_code == 302
    created = instrument("revision")
    assert created.title == "Quiz de révision" and created.settings["pass_mark"] == 70
    assert response.headers["Location"].endswith(f"/formateur/instruments/{created.id}")
    activity = db.session.get(Activity, created.activity_id)
    assert (activity.module_id, activity.kind, activity.filename) == (
        module.id,
        "quiz",
        "revision.gift",
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Question.id)).where(Question.instrument_id == created.id)
        )
        == 3
    )


def test_access_rules(app, client, login, make_user, tmp_path):
    trainer, quiz = setup_course(app, tmp_path, make_user, trainer_of_course=False)
    login(make_user("learner"))
    for url in (
        "/formateur/instruments",
        "/formateur/instruments/nouveau",
        f"/formateur/instruments/{quiz.id}",
    ):
        assert client.get(url).status_code == 403
    assert client.post(f"/formateur/instruments/{quiz.id}", data={}).status_code in (400, 403)
    switch(client, login, trainer, "/parcours")  # trains no run of this course
    assert client.get(f"/formateur/instruments/{quiz.id}").status_code == 403
    assert "Quiz de validation" not in client.get("/formateur/instruments").get_data(as_text=True)
    token = csrf_token(client, "/formateur/instruments/nouveau")
    module = db.session.scalar(sa.select(Module).where(Module.key == "module-1"))
    post = client.post(
        "/formateur/instruments/nouveau",
        data={
            "csrf_token": token,
            "module_id": module.id,
            "format": "gift",
            "title": "x",
            "source": "Q {T}",
        },
    )
    assert post.status_code == 200  # the module is not offered: the form refuses it
    assert db.session.scalar(sa.select(sa.func.count(Instrument.id))) == 3
    assert client.get("/formateur/instruments/9999").status_code == 404
    switch(client, login, make_user("admin"))
    assert client.get(f"/formateur/instruments/{quiz.id}").status_code == 200


def test_post_without_csrf_token_is_refused(app, client, login, make_user, tmp_path):
    trainer, quiz = setup_course(app, tmp_path, make_user)
    login(trainer)
    data = quiz_form(client, quiz)
    del data["csrf_token"]
    assert client.post(f"/formateur/instruments/{quiz.id}", data=data).status_code in (200, 400)
    db.session.expire_all()
    assert instrument("quiz-module-1").title == "Quiz de validation — module 1"
