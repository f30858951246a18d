"""A learner uses the plugin's checklist in a real browser, on the real server."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from courses.content.loader import import_folders
from courses.models import Course
from lms.db import db
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.example_plugin.example_tests.conftest import write_course
from tests.factories import enrol, make_run

pytestmark = pytest.mark.browser


def test_learner_completes_a_checklist(server, page, app, make_user, axe, tmp_path):
    import_folders([write_course(tmp_path / "atelier")])
    run = make_run(db.session.scalar(sa.select(Course).where(Course.key == "atelier")))
    learner = make_user("learner", name="Lucie Bernard")
    enrol(run, learner)

    sign_in(page, server, learner.email, TEST_PASSWORD)
    page.goto(f"{server}/parcours/sessions/{run.id}")
    page.get_by_role("link", name="Préparer la salle").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Préparer la salle").is_visible()
    assert page.get_by_text("ne peut pas être affichée").count() == 0
    assert axe(page) == []

    # Two items of three: saved, and the page says what is left.
    page.get_by_label("Réserver la salle").check()
    page.get_by_label("Imprimer les fiches").check()
    page.get_by_role("button", name="Enregistrer ma liste").click()
    page.wait_for_load_state()
    assert page.get_by_text("Il reste 1 point à cocher").is_visible()
    assert page.get_by_label("Imprimer les fiches").is_checked()

    # The last one completes the activity; the learner's progress shows it.
    page.get_by_label("Tester le vidéoprojecteur").check()
    page.get_by_role("button", name="Enregistrer ma liste").click()
    page.wait_for_load_state()
    assert page.get_by_text("Activité marquée comme terminée.").is_visible()
    page.goto(f"{server}/parcours")
    assert page.get_by_text("50 %").first.is_visible()
