"""The enrolment list and the progress grid of a run as CSV (French Excel) and XLSX files:
contents, formulas neutralised, access, and a constant number of queries."""

from __future__ import annotations

from datetime import datetime

import pytest

from courses.models import EnrolmentStatus
from courses.progress import complete_activity
from lms.db import db
from tests.factories import enrol, make_course, make_run
from tests.support.spreadsheets import FORMULAS, assert_csv_safe, assert_xlsx_safe


@pytest.fixture
def run_data(app, make_user):
    course = make_course("export", modules=2, activities=2)
    trainer = make_user("trainer", name="Formatrice")
    run = make_run(course, trainers=[trainer], title="Session d'été")
    enrolments = [enrol(run, make_user("learner", name=name)) for name in FORMULAS]
    enrol(run, make_user("learner", name="Zoé Invitée"), status=EnrolmentStatus.INVITED)
    first = course.modules[0].activities[0]
    complete_activity(enrolments[0], first)
    db.session.commit()
    return run, trainer, enrolments


def test_enrolment_list_csv_for_french_excel(run_data, client, login):
    run, trainer, enrolments = run_data
    login(trainer)
    response = client.get(f"/formateur/sessions/{run.id}/inscriptions?format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="session-{run.id}-session-d-ete-inscriptions.csv"'
    )
    rows = assert_csv_safe(response.data, FORMULAS)
    assert rows[0] == [
        "Nom",
        "Adresse e-mail",
        "Statut",
        "Progression (%)",
        "Inscrit le",
        "Commencé le",
        "Terminé le",
        "Dernière visite",
    ]
    by_name = {row[0]: row for row in rows[1:]}
    first = by_name["'" + FORMULAS[0]]
    assert first[1] == enrolments[0].user.email
    assert first[2:4] == ["En cours", "25"]
    assert first[4][2] == "/" and first[5][2] == "/"  # dd/mm/yyyy hh:mm
    assert by_name["Zoé Invitée"][2:4] == ["Invité", "0"]
    assert by_name["Zoé Invitée"][5] == ""


def test_enrolment_list_xlsx_keeps_text_as_text_and_numbers_as_numbers(run_data, client, login):
    run, trainer, _enrolments = run_data
    login(trainer)
    response = client.get(f"/formateur/sessions/{run.id}/inscriptions?format=xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    rows = assert_xlsx_safe(response.data, FORMULAS)
    first = next(row for row in rows if row[0] == FORMULAS[0])
    assert first[3] == 25 and isinstance(first[4], datetime)


def test_progress_grid_downloads_with_the_page_figures(run_data, client, login):
    run, trainer, _enrolments = run_data
    login(trainer)
    page = client.get(f"/formateur/sessions/{run.id}").get_data(as_text=True)
    assert "Progression (CSV)" in page and "Liste des inscrits (Excel)" in page
    response = client.get(f"/formateur/sessions/{run.id}?format=csv&sep=comma")
    rows = assert_csv_safe(response.data, FORMULAS, delimiter=",")
    assert rows[0][0] == "Apprenant" and rows[0][-3:] == ["Global (%)", "Statut", "Dernière visite"]
    first = next(row for row in rows if row[0] == "'" + FORMULAS[0])
    assert first[1:4] == ["50", "0", "25"]
    xlsx = client.get(f"/formateur/sessions/{run.id}?format=xlsx")
    assert_xlsx_safe(xlsx.data, FORMULAS)


def test_admin_run_page_offers_the_enrolment_list(run_data, client, login, make_user):
    run, _trainer, _enrolments = run_data
    login(make_user("admin"))
    page = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert f"/formateur/sessions/{run.id}/inscriptions?format=csv" in page
    assert client.get(f"/formateur/sessions/{run.id}/inscriptions").status_code == 200


def test_only_the_run_trainers_and_admins_download(run_data, client, login, make_user):
    run, _trainer, enrolments = run_data
    for user in (make_user("trainer"), enrolments[1].user):
        if user.password_hash is None:
            continue
        login(user)
        for url in (f"/formateur/sessions/{run.id}/inscriptions", f"/formateur/sessions/{run.id}"):
            assert client.get(url + "?format=csv").status_code == 403


def test_export_queries_do_not_grow_with_the_cohort(
    run_data, client, login, make_user, count_queries
):
    run, trainer, _enrolments = run_data
    login(trainer)
    url = f"/formateur/sessions/{run.id}/inscriptions?format=xlsx"
    with count_queries() as small:
        client.get(url)
    for n in range(10):
        enrol(run, make_user("learner", email=f"plus{n}@example.org"))
    with count_queries() as large:
        client.get(url)
    assert large.count == small.count
