"""Support in a browser: a learner asks with a screenshot, the trainer answers from the queue."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.factories import enrol, make_course, make_run

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_request_answered_from_the_queue(server, page, _playwright, app, make_user, axe, tmp_path):
    trainer = make_user("trainer", name="Hélène Marchand")
    learner = make_user("learner", name="Lucie Bernard")
    run = make_run(make_course("aide-e2e", modules=1, activities=1), trainers=[trainer])
    enrol(run, learner)
    shot = tmp_path / "capture.png"
    shot.write_bytes(PNG)

    sign_in(page, server, learner.email, TEST_PASSWORD)
    page.goto(f"{server}/parcours/sessions/{run.id}")
    page.get_by_role("link", name="Demander de l'aide").click()
    page.get_by_role("link", name="Nouvelle demande").click()
    page.get_by_label("Catégorie").select_option("contenu")
    page.get_by_label("Objet").fill("Question sur le module 1")
    page.get_by_label("Message").fill("Que signifie « donnée ouverte » ?")
    page.get_by_label("Pièce jointe (facultatif)").set_input_files(str(shot))
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_load_state()
    assert page.get_by_text("Votre demande est envoyée.").is_visible()
    assert page.get_by_text("Pièce jointe : capture.png").is_visible()
    assert axe(page) == []

    other = _playwright.new_context(locale="fr-FR").new_page()
    sign_in(other, server, trainer.email, TEST_PASSWORD)
    other.goto(f"{server}/formateur/assistance")
    assert axe(other) == []
    other.get_by_role("link", name="Question sur le module 1").click()
    other.get_by_label("Message").fill("Une donnée publiée librement réutilisable.")
    other.get_by_role("button", name="Envoyer", exact=True).click()
    other.wait_for_load_state()
    assert other.get_by_text("Votre réponse est envoyée à l'apprenant.").is_visible()

    page.reload()
    assert page.get_by_text("Une donnée publiée librement réutilisable.").is_visible()
    page.get_by_role("button", name="Clore la demande").click()
    page.wait_for_load_state()
    assert page.get_by_text("La demande est close.").is_visible()
