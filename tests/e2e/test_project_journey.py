"""A project in a browser: the learner submits, a juror grades, the trainer releases, the
learner reads the result."""

from __future__ import annotations

from datetime import date, timedelta

from lms.db import db
from tests.conftest import TEST_PASSWORD
from tests.courses.test_projects import make_project
from tests.e2e.conftest import sign_in
from tests.factories import enrol, make_course, make_run

PDF = b"%PDF-1.4\n% dossier de projet\n"


def test_submit_grade_release_read(server, page, _playwright, app, make_user, axe, tmp_path):
    trainer = make_user("trainer", name="Hélène Marchand")
    learner = make_user("learner", name="Lucie Bernard")
    juror = make_user("jury", name="Bernard Lemoine")
    course = make_course("projet-e2e", modules=1, activities=2)
    project = make_project(course)
    run = make_run(course, trainers=[trainer], starts_on=date.today() - timedelta(days=3))
    enrol(run, learner)
    from courses.projects.models import JuryMember

    db.session.add(JuryMember(run_id=run.id, user_id=juror.id))
    db.session.commit()
    dossier = tmp_path / "dossier.pdf"
    dossier.write_bytes(PDF)

    sign_in(page, server, learner.email, TEST_PASSWORD)
    page.goto(f"{server}/parcours/sessions/{run.id}/activites/{project.id}")
    assert page.get_by_role("heading", name="Consignes").is_visible()
    page.get_by_label("Fichiers du projet").set_input_files(str(dossier))
    page.get_by_label("Message au jury (facultatif)").fill("Bonne lecture !")
    page.get_by_role("button", name="Remettre", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Votre projet est remis.").is_visible()
    assert axe(page) == []

    jury_page = _playwright.new_context(locale="fr-FR").new_page()
    sign_in(jury_page, server, juror.email, TEST_PASSWORD)
    jury_page.goto(f"{server}/jury")
    jury_page.get_by_role("link", name="Projet de transition numérique").click()
    assert axe(jury_page) == []
    jury_page.get_by_role("link", name="Lucie Bernard").click()
    jury_page.get_by_label("Solide (10)").check()
    jury_page.get_by_label("Réaliste (10)").check()
    jury_page.get_by_label("Commentaire pour l'apprenant").fill("Un dossier solide et réaliste.")
    assert axe(jury_page) == []
    jury_page.get_by_role("button", name="Enregistrer mon évaluation").click()
    jury_page.wait_for_load_state()
    assert jury_page.get_by_text("Votre évaluation est enregistrée.").is_visible()

    staff = _playwright.new_context(locale="fr-FR").new_page()
    sign_in(staff, server, trainer.email, TEST_PASSWORD)
    staff.goto(f"{server}/jury/sessions/{run.id}/projets/{project.id}")
    staff.get_by_role("link", name="Créneaux de soutenance").click()
    staff.get_by_label("Date et heure : Lucie Bernard").fill("2030-06-03T10:30")
    staff.get_by_label("Lieu ou lien : Lucie Bernard").fill("Salle du conseil")
    staff.get_by_role("button", name="Enregistrer").click()
    staff.wait_for_load_state()
    assert staff.get_by_text("Le créneau est enregistré.").is_visible()
    assert axe(staff) == []
    staff.goto(f"{server}/formateur/sessions/{run.id}/jury")
    assert staff.get_by_text("Bernard Lemoine").is_visible()
    assert axe(staff) == []
    staff.goto(f"{server}/jury/sessions/{run.id}/projets/{project.id}")
    assert staff.get_by_text("Salle du conseil").is_visible()
    staff.get_by_role("button", name="Publier les résultats").click()
    staff.wait_for_load_state()
    assert staff.get_by_text("Résultats publiés : 1.").is_visible()

    page.reload()
    assert page.get_by_text("Note : 20,00 sur 20").is_visible()
    assert page.get_by_text("Salle du conseil").is_visible()
    assert page.get_by_text("Un dossier solide et réaliste.").is_visible()
