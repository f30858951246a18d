"""An administrator publishes a course's open data from its report and downloads the ZIP."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.quizzes.test_evidence_opendata import population


def test_admin_publishes_open_data_and_anyone_downloads_it(server, page, axe, make_user):
    course, end = population(6, "navigateur")
    admin = make_user("admin")
    sign_in(page, server, admin.email, TEST_PASSWORD)
    page.goto(f"{server}/admin/formations/{course.id}/rapport")
    page.get_by_role("link", name="Données ouvertes").click()
    page.wait_for_load_state()
    assert axe(page) == []
    page.get_by_label("Sessions terminées à partir du").fill((end - timedelta(days=3)).isoformat())
    page.get_by_label("jusqu'au").fill(end.isoformat())
    page.get_by_role("button", name="Publier").click()
    page.wait_for_load_state()
    assert page.get_by_text("Données publiées.").is_visible()

    page.get_by_role("link", name="Page publique des données ouvertes").click()
    page.wait_for_load_state()
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger le ZIP").click()
    with zipfile.ZipFile(info.value.path()) as archive:
        meta = json.loads(archive.read("datapackage.json"))
        assert meta["licenses"][0]["name"] == "etalab-2.0"
        assert "indicateurs.csv" in archive.namelist()
