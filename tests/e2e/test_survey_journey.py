"""Survey campaigns in a browser: an administrator creates a public-link campaign, an anonymous
visitor answers it, the administrator reads the result; and a list campaign: the recipients
are imported, the e-mail arrives (real SMTP), the recipient answers through its link."""

from __future__ import annotations

import re

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.quizzes.survey_builders import barometer


def _create(page, server, mode_label: str, title: str) -> None:
    page.goto(f"{server}/admin/enquetes")
    page.get_by_role("link", name="Nouvelle campagne").click()
    page.wait_for_load_state()
    page.get_by_label("Titre de la campagne").fill(title)
    page.get_by_label("Questionnaire").select_option(label="Baromètre test")
    page.get_by_label("Diffusion").select_option(label=mode_label)
    page.get_by_role("button", name="Créer la campagne").click()
    page.wait_for_load_state()
    assert page.get_by_text("La campagne d'enquête est créée.").is_visible()


def _answer(visitor, url: str, axe=None) -> None:
    visitor.goto(url)
    if axe is not None:
        assert axe(visitor) == []
    visitor.get_by_label("Oui").check()
    visitor.get_by_label("Souvent").check()
    visitor.locator("textarea").first.fill("Une enquête utile")
    visitor.get_by_role("button", name="Envoyer mes réponses").click()
    visitor.wait_for_load_state()
    assert visitor.get_by_role("heading", name="Merci !").is_visible()


def test_a_public_link_campaign_from_creation_to_results(server, page, axe, make_user):
    barometer()
    admin = make_user("admin")
    sign_in(page, server, admin.email, TEST_PASSWORD)
    _create(page, server, "Lien public anonyme (sans connexion)", "Baromètre ouvert")
    assert axe(page) == []
    link = page.get_by_label("Lien public").input_value()
    assert "/enquete-publique/" in link

    visitor = page.context.browser.new_context(locale="fr-FR").new_page()
    _answer(visitor, link, axe)
    visitor.goto(link)  # the same browser does not answer twice
    assert visitor.get_by_role("heading", name="Merci !").is_visible()
    visitor.context.close()

    page.get_by_role("link", name="Voir les résultats").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 répondant").first.is_visible()
    assert page.get_by_text("Une enquête utile").is_visible()


def test_a_list_campaign_from_import_to_answer(app, server, page, make_user, smtp_server, tmp_path):
    app.config.update(smtp_server.config())
    barometer()
    admin = make_user("admin")
    sign_in(page, server, admin.email, TEST_PASSWORD)
    _create(page, server, "Liste de destinataires (liens personnels par e-mail)", "Baromètre")
    listing = tmp_path / "destinataires.csv"
    listing.write_text("Nom;Prénom;E-mail\nMartin;Anne;anne@example.org\n", encoding="utf-8")
    page.get_by_label("Fichier CSV ou Excel (.xlsx)").set_input_files(str(listing))
    page.get_by_role("button", name="Vérifier et importer").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 destinataire ajouté").is_visible()

    (message,) = smtp_server.to("anne@example.org")
    body = message.get_body(("plain",)).get_content()
    (link,) = re.findall(r"http://127\.0\.0\.1:\d+/enquete/[A-Za-z0-9_-]{20,}", body)
    visitor = page.context.browser.new_context(locale="fr-FR").new_page()
    _answer(visitor, link)
    visitor.context.close()

    page.reload()
    figures = page.locator("#survey-figures tbody").inner_text()
    assert "100" in figures  # 1 invited, 1 answer: the response rate
