"""A trainer prepares the session report in a real browser: picks the comments to quote, reads
the report, prints it (print media) and downloads the PDF."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.quizzes.evidence_data import session


def test_trainer_quotes_a_comment_and_downloads_the_report(server, page, axe, make_user):
    run, trainer, _made = session(make_user)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, server, trainer.email, TEST_PASSWORD)

    page.goto(f"{server}/formateur/sessions/{run.id}/satisfaction")
    page.get_by_role("link", name="Rapport de session").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Participation").is_visible()
    assert page.get_by_role("img", name="Positionnement du groupe avant et après").is_visible()
    assert axe(page) == []

    page.get_by_role("link", name="Choisir les commentaires cités").click()
    page.get_by_label("Rythme trop dense").check()
    assert axe(page) == []
    page.get_by_role("button", name="Enregistrer la sélection").click()
    page.wait_for_load_state()
    assert page.get_by_text("Commentaires retenus pour le rapport : 1.").is_visible()
    assert page.get_by_text("« Rythme trop dense »").is_visible()
    assert page.get_by_text("Excellente formation").count() == 0

    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Télécharger en PDF").is_visible()
    assert not page.locator(".site-header").is_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger en PDF").click()
    download = info.value
    assert download.suggested_filename == f"rapport-session-{run.id}.pdf"
    with open(download.path(), "rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Rythme trop dense" in text and "Examen final" in text
    assert not [e for e in errors if "Content Security Policy" in e]
