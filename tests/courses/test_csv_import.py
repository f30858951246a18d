"""CSV upload of learners: real files, a report naming every bad line, all or nothing."""

import pytest
import sqlalchemy as sa

from courses.models import Enrolment, EnrolmentStatus
from lms.db import db
from lms.mail.models import OutboxMessage
from lms.models import User, UserToken
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


@pytest.fixture
def run(app):
    return make_run(make_course(), title="Session GCU07")


def _upload(client, run, path, filename=None):
    page = f"/admin/sessions/{run.id}"
    with open(path, "rb") as handle:
        return client.post(
            f"{page}/import-csv",
            data={
                "file": (handle, filename or path.name),
                "csrf_token": csrf_token(client, page),
            },
            content_type="multipart/form-data",
        )


def _write(tmp_path, text: str, encoding="utf-8", name="stagiaires.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _counts():
    return tuple(
        db.session.scalar(sa.select(sa.func.count(m.id)))
        for m in (User, Enrolment, UserToken, OutboxMessage)
    )


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("nom;email\nAgnès Martin;agnes@example.org\nBruno Roy;BRUNO@example.org\n", "utf-8"),
        (
            "Name,E-mail\r\nAgnès Martin,agnes@example.org\r\nBruno Roy,bruno@example.org\r\n",
            "utf-8-sig",
        ),
        (
            'Courriel;Nom;Service\nagnes@example.org;"Martin; Agnès";RH\n'
            "\nbruno@example.org;Bruno;\n",
            "utf-8",
        ),
    ],
    ids=["semicolon", "comma-bom-crlf", "reordered-quoted-blank-line"],
)
def test_clean_file_enrols_and_invites_everyone(client, admin, run, tmp_path, text, encoding):
    response = _upload(client, run, _write(tmp_path, text, encoding))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 apprenants inscrits" in page
    enrolments = db.session.scalars(sa.select(Enrolment)).all()
    assert len(enrolments) == 2
    assert all(e.status == EnrolmentStatus.INVITED and e.invitations_sent == 1 for e in enrolments)
    emails = set(db.session.scalars(sa.select(OutboxMessage.to_addr)))
    assert emails == {"agnes@example.org", "bruno@example.org"}


def test_report_lists_every_bad_line_and_imports_nothing(client, admin, run, tmp_path, make_user):
    enrol(run, make_user(email="deja@example.org"))
    path = _write(
        tmp_path,
        "nom;email\n"
        "Agnès Martin;agnes@example.org\n"  # 2: fine
        ";sans-nom@example.org\n"  # 3: missing name
        "Bruno;bruno@exemple\n"  # 4: invalid address
        "Agnès bis;AGNES@example.org\n"  # 5: duplicate of line 2
        "Déjà;deja@example.org\n"  # 6: already enrolled
        "Claire;\n",  # 7: missing address
    )
    before = _counts()
    response = _upload(client, run, path)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert (
        "aucun apprenant n&#39;a été inscrit" in html or "aucun apprenant n'a été inscrit" in html
    )
    assert "Ligne 3 : nom manquant" in html
    assert "Ligne 4 : adresse e-mail invalide (bruno@exemple)" in html
    assert "Ligne 5 : adresse agnes@example.org déjà présente ligne 2" in html
    assert "Ligne 6 : deja@example.org est déjà inscrit à cette session" in html
    assert "Ligne 7 : adresse e-mail manquante" in html
    assert "Ligne 2 " not in html
    assert _counts() == before


def test_over_capacity_lines_are_named(client, admin, run, tmp_path, make_user):
    run.capacity = 3
    db.session.commit()
    enrol(run, make_user())
    rows = "".join(f"Stagiaire {i};s{i}@example.org\n" for i in range(1, 5))
    before = _counts()
    response = _upload(client, run, _write(tmp_path, "nom;email\n" + rows))
    html = response.get_data(as_text=True)
    assert "Ligne 4 : capacité de la session dépassée (3 places)" in html
    assert "Ligne 5 : capacité de la session dépassée" in html
    assert "Ligne 3 :" not in html
    assert _counts() == before


def test_line_numbers_count_physical_lines_of_multiline_cells(client, admin, run, tmp_path):
    path = _write(tmp_path, 'nom;email\n"Agnès\nMartin";agnes@example.org\nBruno;pas-valide\n')
    html = _upload(client, run, path).get_data(as_text=True)
    assert "Ligne 4 : adresse e-mail invalide (pas-valide)" in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nom;email\nAgnès;agnes@example.org\n".encode("latin-1"), "pas encodé en UTF-8"),
        ("nom;email\nAgnès;agnes@example.org\n".encode("utf-16"), "pas encodé en UTF-8"),
        (b"", "Le fichier est vide"),
        (b"prenom;adresse\nAgnes;agnes@example.org\n", "doit nommer les colonnes"),
        (b"nom;email\n\n;\n", "aucun apprenant"),
        (b'nom;email\nA;a@example.org\n"Agn"es;agnes@example.org\n', "Ligne 3 : guillemets mal"),
    ],
    ids=["latin-1", "utf-16", "empty", "no-header", "no-rows", "bad-quoting"],
)
def test_unreadable_files_get_a_clear_error(client, admin, run, tmp_path, content, message):
    path = tmp_path / "stagiaires.csv"
    path.write_bytes(content)
    before = _counts()
    response = _upload(client, run, path)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _counts() == before


def test_upload_requires_a_csv_file(client, admin, run, tmp_path):
    path = _write(tmp_path, "nom;email\nA;a@example.org\n", name="stagiaires.xlsx")
    response = _upload(client, run, path)
    assert "Le fichier doit être un .csv." in response.get_data(as_text=True)
    page = f"/admin/sessions/{run.id}"
    response = client.post(f"{page}/import-csv", data={"csrf_token": csrf_token(client, page)})
    assert "Choisissez un fichier." in response.get_data(as_text=True)
    assert _counts()[1] == 0
