"""Right of access: a person downloads everything held about them, and nothing about others."""

from __future__ import annotations

import io
import json
import zipfile

from lms.db import db
from lms.mail import queue_mail
from tests.factories import enrol
from tests.quizzes.builders import make_attempt
from tests.quizzes.evidence_data import session


def test_learner_downloads_everything_about_them(app, client, login, make_user):
    run, _trainer, made = session(make_user)
    me = make_user("learner", name="Inès Moreau", email="ines@example.org")
    mine = enrol(run, me)
    make_attempt(
        made["satisfaction"], mine, {"commentaire": {"response": {"text": "Mon avis à moi"}}}
    )
    queue_mail("test:ines", me.email, "Bienvenue Inès", "Bonjour Inès, voici votre lien.")
    db.session.commit()
    login(me)
    page = client.get("/parcours/mes-donnees").get_data(as_text=True)
    assert "Télécharger mes données (ZIP)" in page
    response = client.get("/parcours/mes-donnees.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"profil.json", "e-mails.json", "courses.json", "quizzes.json"} <= names
    profile = json.loads(archive.read("profil.json"))
    assert profile["email"] == "ines@example.org" and "password_hash" not in profile
    mails = json.loads(archive.read("e-mails.json"))
    assert [m["subject"] for m in mails] == ["Bienvenue Inès"]
    assert "voici votre lien" in archive.read(mails[0]["file"]).decode("utf-8")
    courses = json.loads(archive.read("courses.json"))
    assert [e["session"] for e in courses["enrolments"]] == [run.title]
    quizzes = json.loads(archive.read("quizzes.json"))
    answers = [a["response"] for t in quizzes["attempts"] for a in t["answers"]]
    assert answers == [{"text": "Mon avis à moi"}]
    everything = b"".join(archive.read(n) for n in names).decode("utf-8")
    assert "Excellente formation" not in everything  # Alice's comment is not Inès's


def test_anonymous_visitors_are_sent_to_sign_in(app, client):
    response = client.get("/parcours/mes-donnees.zip")
    assert response.status_code == 302 and "/compte/connexion" in response.location


def test_download_queries_do_not_grow_with_attempts_and_e_mails(
    app, client, login, make_user, count_queries
):
    run, _trainer, made = session(make_user)
    me = make_user("learner", name="Inès Moreau", email="ines@example.org")
    mine = enrol(run, me)
    make_attempt(made["satisfaction"], mine, {"contenus": {"response": {"value": 4}}})
    queue_mail("test:ines:0", me.email, "Message 0", "Texte 0")
    db.session.commit()
    login(me)
    client.get("/parcours/mes-donnees.zip")
    with count_queries() as few:
        client.get("/parcours/mes-donnees.zip")
    for n in range(1, 5):
        make_attempt(made["exam"], mine, {"q1": {"score": n % 2}}, number=n)
        queue_mail(f"test:ines:{n}", me.email, f"Message {n}", f"Texte {n}")
    db.session.commit()
    client.get("/parcours/mes-donnees.zip")
    with count_queries() as more:
        response = client.get("/parcours/mes-donnees.zip")
    quizzes = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("quizzes.json"))
    assert len(quizzes["attempts"]) == 5
    assert more.count == few.count
