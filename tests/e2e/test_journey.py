"""The journey of the issue: invitation e-mail -> set password -> lesson -> progress shown."""

import re

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.factories import make_course, make_run


def _link(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://\S+/invitation/\S+", text).group(0)


def test_invitation_to_progress(server, page, _playwright, app, make_user, smtp_server, axe):
    app.config.update(smtp_server.config())
    admin, trainer = make_user("admin"), make_user("trainer", name="Hélène Marchand")
    course = make_course("parcours-test", modules=2, activities=2)
    run = make_run(course, trainers=[trainer], title="Session de mai")

    # The administrator enrols a learner through the run's page.
    sign_in(page, server, admin.email, TEST_PASSWORD)
    page.goto(f"{server}/admin/sessions/{run.id}")
    page.get_by_label("Nom complet").fill("Lucie Bernard")
    page.get_by_label("Adresse e-mail").fill("lucie.bernard@example.org")
    page.get_by_role("button", name="Inscrire et envoyer l'invitation").click()
    page.wait_for_load_state()
    assert page.get_by_text("lucie.bernard@example.org").first.is_visible()

    # The e-mail arrives at the real SMTP server, with a link back to Parcours.
    [mail] = smtp_server.to("lucie.bernard@example.org")
    assert (
        "Formation parcours-test" in mail["Subject"]
        or "Session de mai" in mail.get_body(("plain",)).get_content()
    )
    link = _link(mail)
    assert link.startswith(server)

    # The learner opens it in their own browser, chooses a password and lands in the course.
    learner = _playwright.new_context(locale="fr-FR").new_page()
    learner.goto(link)
    assert axe(learner) == []
    learner.get_by_label("Nouveau mot de passe").fill("un mot de passe solide")
    learner.get_by_label("Confirmer le mot de passe").fill("un mot de passe solide")
    learner.get_by_role("button", name="Enregistrer le mot de passe").click()
    learner.wait_for_load_state()
    assert learner.get_by_role("heading", name="Formation parcours-test").is_visible()

    # First lesson, marked as done.
    learner.get_by_role("link", name="Leçon 1.1").first.click()
    learner.wait_for_load_state()
    assert learner.get_by_text("Contenu de la leçon 1.1.").is_visible()
    learner.get_by_role("button", name="Marquer comme terminé").click()
    learner.wait_for_load_state()
    assert learner.get_by_role("button", name="Marquer comme non terminé").is_visible()

    # Progress is shown to the learner (1 of 4 activities = 25 %)...
    learner.goto(f"{server}/parcours")
    assert learner.get_by_text("25 %").first.is_visible()
    assert axe(learner) == []
    learner.context.close()

    # ...and to the trainer of the run (module 1: 50 %).
    page.goto(f"{server}/compte/connexion")
    page.context.clear_cookies()
    sign_in(page, server, trainer.email, TEST_PASSWORD)
    page.goto(f"{server}/formateur/sessions/{run.id}")
    row = page.get_by_role("row").filter(has_text="Lucie Bernard")
    assert "50 %" in row.inner_text().replace("\xa0", " ")
    assert axe(page) == []
