"""Projects: the learner submits, the jury grades with the rubric, the trainer releases."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from courses.models import Progress
from courses.projects.models import ProjectFile, ProjectSubmission
from lms.db import db
from lms.mail.models import OutboxMessage
from lms.models import User
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run

PDF = b"%PDF-1.4\n% dossier\n"
RUBRIC = [
    {
        "key": "diagnostic",
        "criterion": "Diagnostic du territoire",
        "levels": [{"label": "Insuffisant", "points": 0}, {"label": "Solide", "points": 10}],
    },
    {
        "key": "plan",
        "criterion": "Plan d'action",
        "levels": [{"label": "Absent", "points": 0}, {"label": "Réaliste", "points": 10}],
    },
]


def make_project(course, due_days=30):
    """Turn the course's first activity into a project."""
    project = course.modules[0].activities[0]
    project.kind, project.title = "project", "Projet de transition numérique"
    project.body_html = "<p>Remettez votre dossier de projet.</p>"
    project.settings = {
        "due_days": due_days,
        "accepted": ["pdf", "docx"],
        "max_size_mb": 1,
        "max_files": 2,
        "pass_mark": 10,
        "rubric": RUBRIC,
    }
    db.session.commit()
    return project


@pytest.fixture
def world(make_user):
    trainer = make_user("trainer", name="Hélène Formatrice")
    learner = make_user("learner", name="Alice Martin")
    neighbour = make_user("learner", name="Bruno Voisin")
    juror = make_user("jury", name="Jules Juré")
    course = make_course("projets", modules=1, activities=2)
    project = make_project(course)
    run = make_run(course, trainers=[trainer], starts_on=date.today() - timedelta(days=3))
    enrolment = enrol(run, learner)
    enrol(run, neighbour)
    from courses.projects.models import JuryMember

    db.session.add(JuryMember(run_id=run.id, user_id=juror.id))
    db.session.commit()
    return {
        "trainer": trainer,
        "learner": learner,
        "neighbour": neighbour,
        "juror": juror,
        "run": run,
        "project": project,
        "enrolment": enrolment,
    }


def page(run, project):
    return f"/parcours/sessions/{run.id}/projets/{project.id}"


def jury_page(run, project):
    return f"/jury/sessions/{run.id}/projets/{project.id}"


def submit(client, run, project, files=(("dossier.pdf", PDF),), text="Mon projet"):
    data = {
        "text": text,
        "csrf_token": csrf_token(client, f"/parcours/sessions/{run.id}"),
        "files": [(io.BytesIO(content), name) for name, content in files],
    }
    response = client.post(page(run, project), data=data, content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()  # the test client spools a large body
    return response


def grade(client, run, project, submission_id, levels=(1, 1), comment="Bon travail"):
    url = f"{jury_page(run, project)}/copies/{submission_id}"
    data = {f"c{n}": str(level) for n, level in enumerate(levels)}
    data.update(comment=comment, csrf_token=csrf_token(client, url))
    return client.post(url, data=data)


def the_submission():
    return db.session.scalar(sa.select(ProjectSubmission))


def test_learner_sees_instructions_rubric_deadline_and_submits(client, login, world):
    run, project = world["run"], world["project"]
    login(world["learner"])
    html = client.get(page(run, project)).get_data(as_text=True)
    assert "Remettez votre dossier de projet." in html
    assert "Diagnostic du territoire" in html and "Réaliste (10)" in html
    assert "non remis" in html and "Date limite de remise" in html
    response = submit(client, run, project)
    assert response.status_code == 302
    html = client.get(page(run, project)).get_data(as_text=True)
    assert "dossier.pdf" in html and "Remplacer ma remise" in html
    file = db.session.scalar(sa.select(ProjectFile))
    download = client.get(f"{page(run, project)}/fichiers/{file.id}")
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ((("dossier.pdf", b"MZ\x90\x00 not a pdf"),), "Type de fichier refusé"),
        ((("gros.pdf", b"%PDF-" + b"x" * (1024 * 1024)),), "Un fichier dépasse 1 Mo."),
        ((("a.pdf", PDF), ("b.pdf", PDF), ("c.pdf", PDF)), "2 fichiers au plus."),
        ((), "Joignez au moins un fichier."),
    ],
)
def test_bad_files_are_refused_and_nothing_is_kept(client, login, world, files, message):
    login(world["learner"])
    response = submit(client, world["run"], world["project"], files=files)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert the_submission() is None


def test_resubmitting_replaces_the_files_until_a_juror_grades(client, login, world):
    run, project = world["run"], world["project"]
    login(world["learner"])
    submit(client, run, project)
    submit(client, run, project, files=(("v2.pdf", PDF + b"v2"),))
    names = db.session.scalars(sa.select(ProjectFile.filename)).all()
    assert names == ["v2.pdf"]
    login(world["juror"])
    assert grade(client, run, project, the_submission().id).status_code == 302
    login(world["learner"])
    response = submit(client, run, project, files=(("v3.pdf", PDF),))
    assert "ne peut plus être modifié" in response.get_data(as_text=True)
    assert db.session.scalars(sa.select(ProjectFile.filename)).all() == ["v2.pdf"]


def test_no_submission_after_the_deadline(client, login, world):
    run, project = world["run"], world["project"]
    project.settings = {**project.settings, "due_days": 1}
    db.session.commit()
    login(world["learner"])
    assert "La date limite de remise est passée." in client.get(page(run, project)).text
    response = submit(client, run, project)
    assert "La date limite de remise est passée." in response.get_data(as_text=True)
    assert the_submission() is None


def test_jury_grades_then_trainer_releases_and_learner_sees_result(client, login, world):
    run, project, learner = world["run"], world["project"], world["learner"]
    login(learner)
    submit(client, run, project)
    submission_id = the_submission().id
    login(world["juror"])
    table = client.get(jury_page(run, project)).get_data(as_text=True)
    assert "Alice Martin" in table and "à évaluer" in table
    assert client.get(f"{jury_page(run, project)}/copies/{submission_id}").status_code == 200
    grade(client, run, project, submission_id, levels=(1, 1), comment="Diagnostic précis.")
    login(world["trainer"])
    grade(client, run, project, submission_id, levels=(1, 0), comment="Plan à étoffer.")
    db.session.expire_all()
    assert the_submission().final_points == 15  # the mean of 20 and 10
    login(learner)
    assert "Note :" not in client.get(page(run, project)).get_data(as_text=True)
    login(world["trainer"])
    token = csrf_token(client, jury_page(run, project))
    client.post(f"{jury_page(run, project)}/publier", data={"csrf_token": token})
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_addr == learner.email))
    assert mail is not None and "Résultat de votre projet" in mail.subject
    login(learner)
    html = client.get(page(run, project)).get_data(as_text=True)
    assert "Note : 15,00 sur 20" in html and "projet validé" in html
    assert "Diagnostic précis." in html and "Plan à étoffer." in html
    done = db.session.scalar(
        sa.select(Progress.completed_at).where(
            Progress.enrolment_id == world["enrolment"].id, Progress.activity_id == project.id
        )
    )
    assert done is not None


def test_the_presidents_decision_can_make_the_final_mark(client, login, world):
    run, project = world["run"], world["project"]
    login(world["learner"])
    submit(client, run, project)
    submission_id = the_submission().id
    login(world["juror"])
    grade(client, run, project, submission_id, levels=(0, 0))
    login(world["trainer"])
    grade(client, run, project, submission_id, levels=(1, 1))
    token = csrf_token(client, jury_page(run, project))
    client.post(
        f"{jury_page(run, project)}/notation",
        data={"final_mode": "president", "president": world["juror"].id, "csrf_token": token},
    )
    db.session.expire_all()
    submission = the_submission()
    assert (submission.final_points, submission.passed) == (0, False)


def test_a_learner_never_sees_another_learners_submission(client, login, world):
    run, project = world["run"], world["project"]
    login(world["learner"])
    submit(client, run, project, text="secret du voisin")
    file_id = db.session.scalar(sa.select(ProjectFile.id))
    login(world["neighbour"])
    html = client.get(page(run, project)).get_data(as_text=True)
    assert "secret du voisin" not in html and "non remis" in html
    assert client.get(f"{page(run, project)}/fichiers/{file_id}").status_code == 404
    assert client.get(jury_page(run, project)).status_code == 404


def test_trainer_invites_a_juror_who_chooses_a_password(client, login, world, app):
    run = world["run"]
    login(world["trainer"])
    url = f"/formateur/sessions/{run.id}/jury"
    token = csrf_token(client, url)
    response = client.post(
        url, data={"name": "Paule Jurée", "email": "Paule@Example.org", "csrf_token": token}
    )
    assert response.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "paule@example.org"))
    assert user.role == "jury" and user.password_hash is None
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_addr == user.email))
    link = re.search(r"/jury/invitation/[\w-]+", mail.body_text).group(0)
    refused = client.post(
        url, data={"name": "A", "email": world["learner"].email, "csrf_token": token}
    )
    assert "apprenant : elle ne peut pas" in refused.get_data(as_text=True)
    client.post("/compte/deconnexion", data={"csrf_token": token})
    form = {
        "password": "un mot de passe solide",
        "confirm": "un mot de passe solide",
        "csrf_token": csrf_token(client, link),
    }
    assert client.post(link, data=form).status_code == 302
    home = client.get("/jury").get_data(as_text=True)
    assert "Projet de transition numérique" in home
    assert client.post(link, data=form).status_code in (404, 409, 410)


def test_slots_are_shown_to_the_learner_and_the_jury(client, login, world):
    run, project = world["run"], world["project"]
    login(world["trainer"])
    url = f"{jury_page(run, project)}/creneaux"
    client.post(
        url,
        data={
            "enrolment_id": world["enrolment"].id,
            "starts_at": "2030-06-03T10:30",
            "place": "Salle Condorcet",
            "csrf_token": csrf_token(client, url),
        },
    )
    assert "Salle Condorcet" in client.get(jury_page(run, project)).get_data(as_text=True)
    login(world["learner"])
    html = client.get(page(run, project)).get_data(as_text=True)
    assert "Votre passage devant le jury" in html and "Salle Condorcet" in html
    assert "10:30" in html


def test_results_export_neutralises_formulas(client, login, world):
    run, project = world["run"], world["project"]
    world["learner"].name = '=HYPERLINK("http://x")'
    db.session.commit()
    login(world["trainer"])
    response = client.get(f"{jury_page(run, project)}/resultats.csv")
    text = response.data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "Bruno Voisin" in text
    assert client.get(f"{jury_page(run, project)}/resultats.xlsx").status_code == 200
    login(world["juror"])
    assert client.get(f"{jury_page(run, project)}/resultats.csv").status_code == 404


def test_jury_page_queries_do_not_grow_with_learners(
    client, login, world, make_user, count_queries
):
    url = jury_page(world["run"], world["project"])
    login(world["juror"])
    with count_queries() as few:
        client.get(url)
    for n in range(8):
        enrol(world["run"], make_user("learner", name=f"Apprenant {n}"))
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert "Apprenant 7" in html
    assert many.count == few.count


def test_the_learners_data_download_holds_their_project(client, login, world):
    import json
    import zipfile

    run, project = world["run"], world["project"]
    login(world["learner"])
    submit(client, run, project, text="Mon projet pour la commune")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/parcours/mes-donnees.zip").data))
    courses = json.loads(archive.read("courses.json"))
    (mine,) = courses["projects"]
    assert mine["text"] == "Mon projet pour la commune" and mine["files"] == ["dossier.pdf"]
    assert mine["final_points"] is None  # nothing released yet


def test_erasing_a_learner_empties_their_project_and_deletes_its_files(client, login, world):
    from lms import storage
    from lms.erasure import erase

    run, project = world["run"], world["project"]
    login(world["learner"])
    submit(client, run, project, text="Mon projet pour la commune")
    key = db.session.scalar(sa.select(ProjectFile.storage_key))
    erase(world["learner"], world["trainer"].id)
    db.session.commit()
    submission = the_submission()
    assert submission.text == "" and submission.files == []
    with pytest.raises(storage.StorageError):
        storage.get(key)


def test_an_administrator_reaches_every_jury(client, login, world, make_user):
    login(make_user("admin"))
    home = client.get("/jury").get_data(as_text=True)
    assert "Projet de transition numérique" in home
    table = client.get(jury_page(world["run"], world["project"])).get_data(as_text=True)
    assert "Publier les résultats" in table and "Alice Martin" in table


def test_a_grade_needs_a_level_per_criterion_and_is_locked_once_released(client, login, world):
    run, project = world["run"], world["project"]
    login(world["learner"])
    submit(client, run, project)
    submission_id = the_submission().id
    login(world["trainer"])
    url = f"{jury_page(run, project)}/copies/{submission_id}"
    incomplete = client.post(url, data={"c0": "1", "csrf_token": csrf_token(client, url)})
    assert incomplete.status_code == 400
    assert "Choisissez un niveau pour ce critère." in incomplete.get_data(as_text=True)
    assert the_submission().final_points is None
    grade(client, run, project, submission_id, levels=(1, 1))
    token = csrf_token(client, jury_page(run, project))
    client.post(f"{jury_page(run, project)}/publier", data={"csrf_token": token})
    grade(client, run, project, submission_id, levels=(0, 0))
    db.session.expire_all()
    assert the_submission().final_points == 20


def test_a_removed_juror_loses_access(client, login, world):
    run, project, juror = world["run"], world["project"], world["juror"]
    login(world["trainer"])
    url = f"/formateur/sessions/{run.id}/jury"
    assert "Jules Juré" in client.get(url).get_data(as_text=True)
    client.post(f"{url}/{juror.id}/retirer", data={"csrf_token": csrf_token(client, url)})
    login(juror)
    assert client.get(jury_page(run, project)).status_code == 404
    assert "Projet de transition numérique" not in client.get("/jury").get_data(as_text=True)
