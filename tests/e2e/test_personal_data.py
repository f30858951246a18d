"""RGPD in a real browser: a learner downloads her data; an administrator erases a person."""

from __future__ import annotations

import json
import zipfile

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.factories import enrol
from tests.quizzes.evidence_data import session


def test_learner_downloads_her_data_and_admin_erases_her(server, page, axe, make_user):
    run, _trainer, _made = session(make_user)
    ines = make_user("learner", name="Inès Moreau", email="ines@example.org")
    enrol(run, ines)
    admin = make_user("admin")
    ines_id, title, admin_email = ines.id, run.title, admin.email
    sign_in(page, server, "ines@example.org", TEST_PASSWORD)
    page.get_by_role("link", name="Mes données").click()
    page.wait_for_load_state()
    assert axe(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger mes données (ZIP)").click()
    with zipfile.ZipFile(info.value.path()) as archive:
        assert json.loads(archive.read("profil.json"))["email"] == "ines@example.org"
        assert json.loads(archive.read("courses.json"))["enrolments"][0]["session"] == title
    page.get_by_role("button", name="Se déconnecter").click()

    sign_in(page, server, admin_email, TEST_PASSWORD)
    page.goto(f"{server}/admin/utilisateurs/{ines_id}")
    page.get_by_role("link", name="Effacer les données personnelles").click()
    page.wait_for_load_state()
    assert axe(page) == []
    page.get_by_label("Adresse e-mail de la personne, pour confirmer").fill("ines@example.org")
    page.get_by_role("button", name="Effacer définitivement").click()
    page.wait_for_load_state()
    assert page.get_by_text("Les données personnelles sont effacées.").is_visible()
    assert page.get_by_text("Inès Moreau").count() == 0
