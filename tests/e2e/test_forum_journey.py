"""The session forum in a browser: a learner asks, the trainer answers, the question is resolved."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.factories import enrol, make_course, make_run


def test_question_answer_resolved(server, page, _playwright, app, make_user, axe):
    trainer = make_user("trainer", name="Hélène Marchand")
    learner = make_user("learner", name="Lucie Bernard")
    course = make_course("forum-e2e", modules=2, activities=1)
    run = make_run(course, trainers=[trainer])
    enrol(run, learner)

    # The learner asks a question in module 1's space.
    sign_in(page, server, learner.email, TEST_PASSWORD)
    page.goto(f"{server}/parcours/sessions/{run.id}")
    page.get_by_role("link", name="Forum de la session").click()
    assert axe(page) == []
    page.get_by_role("link", name="Module 1").click()
    page.get_by_role("link", name="Nouveau sujet").click()
    page.get_by_label("Titre").fill("Où trouver la fiche mémo ?")
    page.get_by_label("Type").select_option("question")
    page.get_by_label("Message").fill("Je ne trouve pas la **fiche** du module 1.")
    page.get_by_role("button", name="Publier le message").click()
    page.wait_for_load_state()
    assert page.get_by_text("Votre sujet est publié.").is_visible()
    assert axe(page) == []

    # The trainer sees the new thread unread and answers it.
    other = _playwright.new_context(locale="fr-FR").new_page()
    sign_in(other, server, trainer.email, TEST_PASSWORD)
    other.goto(f"{server}/parcours/sessions/{run.id}/forum/espaces/{course.modules[0].id}")
    assert other.get_by_text("non lu").is_visible()
    other.get_by_role("link", name="Où trouver la fiche mémo ?").click()
    other.get_by_label("Votre réponse").fill("Elle est en bas du module, « Fiche mémo ».")
    other.get_by_role("button", name="Répondre").click()
    other.wait_for_load_state()
    assert other.get_by_text("Réponse du formateur").is_visible()

    # The learner sees one new post on the session page, reads the answer, marks it resolved.
    page.goto(f"{server}/parcours/sessions/{run.id}")
    page.get_by_role("link", name="Forum de la session (1 nouveau message)").click()
    page.get_by_role("link", name="Module 1").click()
    page.get_by_role("link", name="Où trouver la fiche mémo ?").click()
    assert page.get_by_text("Elle est en bas du module").is_visible()
    page.get_by_role("button", name="Marquer comme résolu").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Marquer comme non résolu").is_visible()
