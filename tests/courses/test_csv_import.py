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
def test_clean_file_enrols_and_queues_invitations(client, admin, run, tmp_path, text, encoding):
    response = _upload(client, run, _write(tmp_path, text, encoding))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 apprenants inscrits ; 0 déjà inscrits ; 2 invitations en file d&#39;envoi." in page
    assert "2 en attente d'envoi, 0 envoyées, 0 en échec" in page
    enrolments = db.session.scalars(sa.select(Enrolment)).all()
    assert len(enrolments) == 2
    assert all(e.status == EnrolmentStatus.INVITED and e.invitations_sent == 1 for e in enrolments)
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert {m.to_addr for m in messages} == {"agnes@example.org", "bruno@example.org"}
    assert {m.status for m in messages} == {"queued"}  # nothing is sent inside the request


def test_report_lists_every_bad_line_and_imports_nothing(client, admin, run, tmp_path, make_user):
    enrol(run, make_user(email="deja@example.org"))
    path = _write(
        tmp_path,
        "nom;email\n"
        "Agnès Martin;agnes@example.org\n"  # 2: fine
        ";sans-nom@example.org\n"  # 3: missing name
        "Bruno;bruno@exemple\n"  # 4: invalid address
        "Agnès bis;AGNES@example.org\n"  # 5: duplicate of line 2
        "Déjà;deja@example.org\n"  # 6: already enrolled: counted, not an error
        "Claire;\n",  # 7: missing address
    )
    before = _counts()
    response = _upload(client, run, path)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert (
        "aucun apprenant n&#39;a été inscrit" in html or "aucun apprenant n'a été inscrit" in html
    )
    assert "Ligne 3, colonne « nom » : nom manquant" in html
    assert "Ligne 4, colonne « email » : adresse e-mail invalide (bruno@exemple)" in html
    assert "Ligne 5, colonne « email » : adresse agnes@example.org déjà présente ligne 2" in html
    assert "Ligne 7, colonne « email » : adresse e-mail manquante" in html
    assert "Ligne 2," not in html and "Ligne 6," not in html  # already enrolled is no error
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
    assert "Ligne 4, colonne « email » : adresse e-mail invalide (pas-valide)" in html


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide"),
        (b"\r\n;;\r\n", "Le fichier est vide"),
        (b"prenom;adresse\nAgnes;agnes@example.org\n", "doit nommer au moins une colonne"),
        (b"nom;email;Courriel\nA;a@example.org;a@example.org\n", "apparaît deux fois"),
        (b"nom;email\n\n;\n", "aucun apprenant"),
        (b'nom;email\nA;a@example.org\n"Agn"es;agnes@example.org\n', "Ligne 3 : guillemets mal"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ni un fichier CSV ni un classeur"),
        (b"PK\x03\x04 not really a workbook", "Ce classeur ne peut pas être lu"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "ancien .xls"),
    ],
    ids=["empty", "blank", "no-header", "repeated", "no-rows", "bad-quoting", "png", "zip", "xls"],
)
def test_unreadable_files_get_a_clear_error(client, admin, run, tmp_path, content, message):
    path = tmp_path / "stagiaires.csv"
    path.write_bytes(content)
    before = _counts()
    response = _upload(client, run, path)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _counts() == before


def test_upload_requires_a_csv_or_xlsx_file(client, admin, run, tmp_path):
    path = _write(tmp_path, "nom;email\nA;a@example.org\n", name="stagiaires.pdf")
    response = _upload(client, run, path)
    assert "Le fichier doit être un .csv ou un .xlsx." in response.get_data(as_text=True)
    page = f"/admin/sessions/{run.id}"
    response = client.post(f"{page}/import-csv", data={"csrf_token": csrf_token(client, page)})
    assert "Choisissez un fichier." in response.get_data(as_text=True)
    assert _counts()[1] == 0
