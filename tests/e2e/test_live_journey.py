"""Live sessions in a browser: the trainer schedules, the learner adds it to a calendar, the
trainer records attendance, the learner's activity is completed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.conftest import TEST_PASSWORD
from tests.courses.test_live import live_course
from tests.e2e.conftest import sign_in
from tests.factories import enrol, make_run


def test_schedule_calendar_and_attendance(server, page, _playwright, app, make_user, axe):
    trainer = make_user("trainer", name="Hélène Marchand")
    learner = make_user("learner", name="Lucie Bernard")
    course, live = live_course("direct-e2e", when="2020-01-01T10:00")
    start = date.today()
    run = make_run(course, trainers=[trainer], starts_on=start, days=40)
    enrol(run, learner)
    day = start + timedelta(days=20)

    # The trainer sets the date and the link from the session's page.
    sign_in(page, server, trainer.email, TEST_PASSWORD)
    page.goto(f"{server}/formateur/sessions/{run.id}")
    page.get_by_role("link", name="Classes virtuelles et présences").click()
    page.get_by_role("link", name=live.title).click()
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Lien de connexion").fill("https://visio.example.org/session")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert page.get_by_text("Le programme de la séance est enregistré.").is_visible()
    assert page.get_by_text("14:00 – 15:30 (Europe/Paris)").is_visible()
    assert axe(page) == []

    # The learner sees it « À venir » and downloads the calendar file.
    other = _playwright.new_context(locale="fr-FR").new_page()
    sign_in(other, server, learner.email, TEST_PASSWORD)
    other.goto(f"{server}/parcours/sessions/{run.id}")
    assert other.get_by_role("heading", name="À venir").is_visible()
    with other.expect_download() as download:
        other.get_by_role("link", name="Ajouter à mon agenda (fichier .ics)").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in text and "DTSTART:" in text and text.count("UID:") == 1
    other.goto(f"{server}/parcours/sessions/{run.id}/activites/{live.id}")
    assert other.get_by_text(
        "Le lien de connexion sera affiché ici 15 minutes avant le début."
    ).is_visible()
    assert axe(other) == []

    # The trainer records the learner present; the learner's activity is done.
    page.goto(f"{server}/formateur/sessions/{run.id}/classes/{live.id}/presences")
    page.get_by_label("Lucie Bernard : présent").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.wait_for_load_state()
    assert page.get_by_text("1 présence enregistrée.").is_visible()
    other.reload()
    assert other.get_by_text("Terminée").first.is_visible()
    assert other.get_by_text("présent·e").is_visible()
