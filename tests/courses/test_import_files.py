"""Learner lists as spreadsheet tools save them: real files, uploaded through the page."""

import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from courses.learner_file import decode
from courses.models import Enrolment
from lms.db import db
from lms.mail.models import OutboxMessage
from lms.models import User
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


def _upload(client, run, path, confirm=False):
    page = f"/admin/sessions/{run.id}"
    data = {"csrf_token": csrf_token(client, page)}
    if confirm:
        data["confirm"] = "y"
    with open(path, "rb") as handle:
        data["file"] = (handle, path.name)
        return client.post(f"{page}/import-csv", data=data, content_type="multipart/form-data")


def _follow(client, response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _user(email) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


FRENCH_EXCEL = (
    "Civilité;Nom;Prénom;Adresse électronique;Organisme;Fonction\r\n"
    "Mme;Lefèvre;Hélène;helene.lefevre@example.org;Mairie de Saint-Étienne;Chargée de mission\r\n"
    "M.;Œuvray;François;f.oeuvray@example.org;Cœur d’Hérault;Directeur général\r\n"
)


def test_french_excel_csv_windows_1252(client, admin, run, tmp_path):
    path = tmp_path / "stagiaires.csv"
    path.write_bytes(FRENCH_EXCEL.encode("cp1252"))
    page = _follow(client, _upload(client, run, path))
    assert "2 apprenants inscrits" in page
    assert "Fichier lu : CSV, encodage Windows-1252, séparateur point-virgule." in page
    helene = _user("helene.lefevre@example.org")
    assert (helene.name, helene.first_name, helene.last_name) == (
        "Hélène Lefèvre",
        "Hélène",
        "Lefèvre",
    )
    assert (helene.civility, helene.organisation, helene.job_title) == (
        "Mme",
        "Mairie de Saint-Étienne",
        "Chargée de mission",
    )
    francois = _user("f.oeuvray@example.org")
    assert francois.name == "François Œuvray" and francois.organisation == "Cœur d’Hérault"
    assert "Mairie de Saint-Étienne" in page and "Chargée de mission" in page  # enrolment list
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.user_id == helene.id))
    assert mail.body_text.startswith("Bonjour Hélène,")
    assert "<p>Bonjour Hélène,</p>" in mail.body_html


def test_utf8_with_bom_and_variant_headers(client, admin, run, tmp_path):
    path = tmp_path / "liste.csv"
    text = (
        "NOM DE FAMILLE,prénom,E-Mail,Structure,Poste\nMartin,Agnès,AGNES@example.org,CCAS,Agent\n"
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    page = _follow(client, _upload(client, run, path))
    assert "encodage UTF-8 (BOM), séparateur virgule" in page
    agnes = _user("agnes@example.org")
    assert (agnes.name, agnes.organisation, agnes.job_title) == ("Agnès Martin", "CCAS", "Agent")


def test_excel_separator_hint_line(client, admin, run, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(
        "sep=;\r\nNom;Prénom;Email\r\nRoy;Bruno;bruno@example.org\r\n".encode("cp1252")
    )
    page = _follow(client, _upload(client, run, path))
    assert "1 apprenant inscrit" in page and "séparateur point-virgule" in page
    assert _user("bruno@example.org").first_name == "Bruno"


def test_tab_separated(client, admin, run, tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("Courriel\tNom complet\tEmployeur\nb@example.org\tBruno Roy\tRégion, DSI\n")
    page = _follow(client, _upload(client, run, path))
    assert "séparateur tabulation" in page
    assert _user("b@example.org").organisation == "Région, DSI"


def test_quoted_fields_with_commas_and_line_breaks(client, admin, run, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text(
        "Nom,Prénom,Email,Collectivité\r\n"
        'Roy,Bruno,bruno@example.org,"Ville de Lyon, direction\r\ndu numérique"\r\n'
        'Dupont,"Claire, dite ""Clo""",claire@example.org,Métropole\r\n'
        "Durand,Paul,pas-une-adresse,Métropole\r\n",
        newline="",
    )
    html = _upload(client, run, path).get_data(as_text=True)
    assert "Ligne 5, colonne « Email » : adresse e-mail invalide (pas-une-adresse)" in html
    path.write_text(path.read_text().replace("pas-une-adresse", "paul@example.org"), newline="")
    _follow(client, _upload(client, run, path))
    assert _user("bruno@example.org").organisation == "Ville de Lyon, direction du numérique"
    assert _user("claire@example.org").name == 'Claire, dite "Clo" Dupont'


def _workbook(path, rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.create_sheet("Autre").append(["ignorée"])
    book.save(path)


def test_xlsx_first_sheet_with_numbers_and_dates(client, admin, run, tmp_path):
    path = tmp_path / "stagiaires.xlsx"
    _workbook(
        path,
        [
            ["Liste des stagiaires — session de mars"],  # a title row above the header
            ["NOM", "Prénom", "Courriel", "Collectivité", "Poste", "Téléphone", "Né(e) le"],
            [
                "Roy",
                "Bruno",
                "bruno@example.org",
                "Ville de Lyon",
                "DSI",
                612345678,
                datetime(1980, 5, 17),
            ],
            ["Léa", None, "lea@example.org", 2025, None, None, None],
        ],
    )
    page = _follow(client, _upload(client, run, path))
    assert "2 apprenants inscrits" in page
    assert "Fichier lu : classeur Excel (.xlsx), première feuille." in page
    assert "Colonnes ignorées (non reconnues) : « Téléphone », « Né(e) le »." in page
    assert _user("bruno@example.org").first_name == "Bruno"
    assert _user("lea@example.org").organisation == "2025"  # a number as its text, not 2025.0


def test_xlsx_errors_name_the_excel_row_and_column(client, admin, run, tmp_path):
    path = tmp_path / "stagiaires.xlsx"
    _workbook(
        path, [["Nom", "E-mail"], ["A", "a@example.org"], [None, "b@example.org"], ["C", "c@"]]
    )
    html = _upload(client, run, path).get_data(as_text=True)
    assert "Ligne 3, colonne « Nom » : nom manquant" in html
    assert "Ligne 4, colonne « E-mail » : adresse e-mail invalide (c@)" in html
    assert _count(Enrolment) == 0


def test_unknown_headers_are_listed_and_extra_fields_are_an_error(client, admin, run, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("Nom;Email;Service\nA;a@example.org;RH\nB;b@example.org;RH;en trop\n")
    html = _upload(client, run, path).get_data(as_text=True)
    assert "Ligne 3 : cette ligne a 4 champs alors que l&#39;en-tête n&#39;a que 3 colonnes" in html
    assert re.search(r"Colonnes ignorées \(non reconnues\)</dt><dd[^>]*>« Service »", html)
    assert _count(User) == 1  # the administrator only


def test_valid_utf8_is_read_as_utf8_and_latin1_only_where_cp1252_fails():
    assert decode("Hélène".encode()) == ("Hélène", "UTF-8")
    assert decode("Hélène ’".encode("cp1252")) == ("Hélène ’", "Windows-1252")
    assert decode(b"caf\xe9 \x81") == ("café \x81", "ISO-8859-1 (Latin-1)")
    assert decode("Zoë".encode("utf-16")) == ("Zoë", "UTF-16")


def test_already_enrolled_are_counted_and_not_invited_again(
    client, admin, run, tmp_path, make_user
):
    enrol(run, make_user(email="deja@example.org", name="Déjà Là"))
    path = tmp_path / "liste.csv"
    path.write_text(
        "Nom;Prénom;Email;Fonction\nLà;Déjà;deja@example.org;DGS\nNeuf;Nina;nina@example.org;\n"
    )
    page = _follow(client, _upload(client, run, path))
    assert "1 apprenant inscrit ; 1 déjà inscrit ; 1 invitation en file d&#39;envoi." in page
    assert _user("deja@example.org").job_title == "DGS"  # completed, not re-invited
    assert [m.to_addr for m in db.session.scalars(sa.select(OutboxMessage))] == ["nina@example.org"]


def test_existing_account_is_completed_not_overwritten(client, admin, run, tmp_path, make_user):
    make_user(email="marie@example.org", name="Marie Curie")
    path = tmp_path / "liste.csv"
    path.write_text("Nom;Prénom;Email;Organisme\nAutre;Nom;marie@example.org;CNRS\n")
    _follow(client, _upload(client, run, path))
    marie = _user("marie@example.org")
    assert (marie.name, marie.organisation) == ("Marie Curie", "CNRS")


def test_five_thousand_rows(client, admin, run, tmp_path):
    run.capacity = None
    db.session.commit()
    path = tmp_path / "promo.csv"
    lines = ["Nom;Prénom;E-mail;Organisme"]
    lines += [f"Nom{i};Prénom{i};p{i}@example.org;Org {i % 7}" for i in range(5000)]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    page = _follow(client, _upload(client, run, path))
    assert "5000 apprenants inscrits ; 0 déjà inscrits ; 5000 invitations en file" in page
    assert _count(Enrolment) == 5000 and _count(OutboxMessage) == 5000
    assert "5000 en attente d&#39;envoi" in page or "5000 en attente d'envoi" in page


def test_size_and_row_limits(app, client, admin, run, tmp_path):
    app.config.update(LMS_IMPORT_MAX_BYTES=200, LMS_IMPORT_MAX_ROWS=3)
    path = tmp_path / "gros.csv"
    path.write_text("Nom;Email\n" + "".join(f"N{i};n{i}@example.org\n" for i in range(30)))
    html = _upload(client, run, path).get_data(as_text=True)
    assert "Le fichier dépasse 0.0 Mo : découpez-le en plusieurs fichiers." in html
    path.write_text("Nom;Email\n" + "".join(f"N{i};n{i}@example.org\n" for i in range(4)))
    html = _upload(client, run, path).get_data(as_text=True)
    assert "plus de 3 apprenants" in html
    assert _count(Enrolment) == 0


def test_past_session_warns_and_asks_confirmation(client, admin, tmp_path):
    run = make_run(make_course(), starts_on=date.today() - timedelta(days=60), days=10)
    page = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert "Cette session est terminée" in page
    path = tmp_path / "liste.csv"
    path.write_text("Nom;Email\nA;a@example.org\n")
    preview = _upload(client, run, path).get_data(as_text=True)
    assert "Aperçu : rien n'est encore importé." in preview
    assert "1 apprenant(s) à inscrire, 0 déjà inscrit(s)." in preview
    assert _count(Enrolment) == 0
    assert "1 apprenant inscrit" in _follow(client, _upload(client, run, path, confirm=True))


def test_full_session_warns_on_the_upload_page(client, admin, run, tmp_path, make_user):
    run.capacity = 1
    db.session.commit()
    enrol(run, make_user())
    page = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert "Cette session est complète (1 / 1 places)." in page
    path = tmp_path / "liste.csv"
    path.write_text("Nom;Email\nA;a@example.org\n")
    html = _upload(client, run, path).get_data(as_text=True)
    assert "Ligne 2 : capacité de la session dépassée (1 places)" in html
    assert _count(Enrolment) == 1


def test_separator_choice():
    from courses.learner_file import choose_delimiter

    assert choose_delimiter("sep=,\nNom;Email\n") == ","  # Excel's hint decides
    assert choose_delimiter("Nom,Prénom,E-mail;x\n") == ","  # the header naming most columns
    assert choose_delimiter("Nom\tEmail\nA\ta@example.org\n") == "\t"
    assert choose_delimiter("a;b;c\n1;2;3\n") == ";"  # no known column: Sniffer
