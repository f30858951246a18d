"""Open data: suppression that resists recomputation from totals, no figure under 5 in any file,
no free text, a valid Data Package, formulas neutralised, and the administrator's publication."""

from __future__ import annotations

import csv
import io
import itertools
import json
import zipfile
from datetime import date, timedelta

import pytest

from courses.models import EnrolmentStatus
from lms.db import db
from quizzes.evidence.models import OpenDataRelease
from quizzes.evidence.suppression import K, suppress
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run
from tests.quizzes.builders import learner, make_attempt, make_instrument, option_settings
from tests.quizzes.evidence_data import instruments, scale

INTEGER_COLUMNS = ("nombre", "repondants", "personnes")


def feasible(published: list[int | None], total: int | None) -> list[set[int]]:
    """What an attacker can deduce of each count from the output and the total: the values each
    hidden count may take (at least 1, since zeros are published; together they make up
    « total minus the published counts »)."""
    if total is None:
        return [{n} if n is not None else set(range(1, 10**3)) for n in published]
    hidden = [i for i, n in enumerate(published) if n is None]
    rest = total - sum(n for n in published if n is not None)
    spread = set(range(1, rest - len(hidden) + 2)) if len(hidden) > 1 else {rest}
    return [{n} if n is not None else spread for n in published]


@pytest.mark.parametrize("size", [2, 3, 4])
def test_no_small_count_can_be_recomputed_from_the_totals(size):
    for counts in itertools.product(range(0, 9), repeat=size):
        total = sum(counts)
        out = suppress(list(counts), total, K)
        assert out.total is None or out.total >= K
        assert all(n is None or n == 0 or n >= K for n in out.counts), counts
        deduced = feasible(out.counts, out.total)
        for true, possible in zip(counts, deduced, strict=True):
            if 0 < true < K:
                assert len(possible) > 1, (counts, out)


def test_suppression_examples():
    assert suppress([3, 10, 0], 13).counts == [None, None, 0]  # 3 hidden, and the next smallest
    assert suppress([6, 7, 0], 13).counts == [6, 7, 0]
    assert suppress([1, 1, 9], 11).counts == [None, None, None]  # 1 + 1 < 5: a third is hidden
    assert suppress([2, 2], 4).total is None


def population(size: int, course_key: str = "ouverte"):
    """``size`` learners of a run that ended last month; the first two rate the contents 2 out of
    5 (and leave a comment), the others 5; everyone says « Présentiel » except the first."""
    course = make_course(course_key, modules=1, activities=1)
    end = date.today() - timedelta(days=30)
    run = make_run(course, starts_on=end - timedelta(days=10), days=10)
    made = instruments(course)
    needs = make_instrument(
        course,
        "format",
        [
            {
                "key": "format",
                "type": "single",
                "title": "Format",
                "settings": option_settings(("p", "Présentiel"), ("d", '=HYPERLINK("x")')),
            }
        ],
        kind="questionnaire",
        purpose="survey",
        title="Format souhaité",
    )
    for n in range(size):
        enrolment = enrol(run, learner(f"Personne {n}"), status=EnrolmentStatus.COMPLETED)
        answers = {"contenus": scale(2 if n < 2 else 5)}
        if n < 2:
            answers["commentaire"] = {"response": {"text": f"Commentaire secret {n}"}}
        make_attempt(made["satisfaction"], enrolment, answers)
        make_attempt(needs, enrolment, {"format": {"choices": ["d" if n == 0 else "p"]}})
    return course, end


def _package(course, end, client, login, make_user) -> zipfile.ZipFile:
    login(make_user("admin"))
    url = f"/admin/formations/{course.id}/donnees-ouvertes"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "du": (end - timedelta(days=5)).isoformat(),
            "au": end.isoformat(),
            "licence": "etalab-2.0",
        },
        follow_redirects=True,
    )
    assert "Données publiées." in response.get_data(as_text=True)
    release = db.session.query(OpenDataRelease).one()
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client)})
    public = client.get(f"/formations/{course.id}/donnees-ouvertes").get_data(as_text=True)
    assert f"/donnees-ouvertes/{release.id}.zip" in public
    download = client.get(f"/donnees-ouvertes/{release.id}.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(download.data))


def _tables(archive: zipfile.ZipFile) -> dict[str, list[dict]]:
    return {
        name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
        for name in archive.namelist()
        if name.endswith(".csv")
    }


def test_published_package_has_no_figure_under_five_and_no_free_text(app, client, login, make_user):
    course, end = population(7)
    archive = _package(course, end, client, login, make_user)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8")
    assert "Commentaire secret" not in everything
    tables = _tables(archive)
    assert "indicateurs.csv" in tables and "reponses-satisfaction.csv" in tables
    for name, rows in tables.items():
        for row in rows:
            for column in INTEGER_COLUMNS:
                value = row.get(column)
                assert value in (None, "") or int(value) == 0 or int(value) >= K, (name, row)
    contents = [r for r in tables["reponses-satisfaction.csv"] if r["question"] == "contenus"]
    assert {r["repondants"] for r in contents} == {"7"}
    assert [r["nombre"] for r in contents if r["option"] in ("2", "5")] == ["", ""]
    formats = tables["reponses-format.csv"]
    assert [r["reponse"] for r in formats] == ["Présentiel", '\'=HYPERLINK("x")']


def test_an_attacker_cannot_recover_who_answered_what(app, client, login, make_user):
    course, end = population(7)
    tables = _tables(_package(course, end, client, login, make_user))
    # Personne 0 is the only one who chose the second format: can the output tell?
    for name, question in (
        ("reponses-format.csv", "format"),
        ("reponses-satisfaction.csv", "contenus"),
    ):
        rows = [r for r in tables[name] if r["question"] == question]
        published = [int(r["nombre"]) if r["nombre"] else None for r in rows]
        total = int(rows[0]["repondants"]) if rows[0]["repondants"] else None
        for row, possible in zip(rows, feasible(published, total), strict=True):
            if row["option"] in ("d", "2"):  # the small groups (1 and 2 people)
                assert len(possible) > 1, (name, row, possible)


def test_datapackage_describes_every_file(app, client, login, make_user):
    course, end = population(5, "paquet")
    archive = _package(course, end, client, login, make_user)
    meta = json.loads(archive.read("datapackage.json"))
    assert meta["profile"] == "tabular-data-package"
    assert meta["licenses"][0]["name"] == "etalab-2.0"
    assert "Licence Ouverte" in meta["licenses"][0]["title"]
    files = {n for n in archive.namelist() if n.endswith(".csv")}
    assert {r["path"] for r in meta["resources"]} == files
    for resource in meta["resources"]:
        header = archive.read(resource["path"]).decode("utf-8").splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]


def test_period_errors_are_explained_and_publish_nothing(app, client, login, make_user):
    course, _end = population(1, "erreur")
    login(make_user("admin"))
    url = f"/admin/formations/{course.id}/donnees-ouvertes"
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "du": "2025-05-01", "au": "2025-01-01"},
    )
    assert response.status_code == 400
    assert "La fin de la période précède son début." in response.get_data(as_text=True)
    assert client.post(url, data={"du": "2025-01-01", "au": "2025-05-01"}).status_code == 400
    assert db.session.query(OpenDataRelease).count() == 0


def test_publication_lists_do_not_grow_with_releases(app, client, login, make_user, count_queries):
    course, end = population(7)
    admin = make_user("admin")
    login(admin)
    admin_url = f"/admin/formations/{course.id}/donnees-ouvertes"
    public_url = f"/formations/{course.id}/donnees-ouvertes"

    def publish():
        client.post(
            admin_url,
            data={
                "csrf_token": csrf_token(client, admin_url),
                "du": (end - timedelta(days=1)).isoformat(),
                "au": end.isoformat(),
                "licence": "etalab-2.0",
            },
        )

    publish()
    client.get(admin_url)
    with count_queries() as one_admin:
        client.get(admin_url)
    with count_queries() as one_public:
        client.get(public_url)
    for _ in range(3):
        publish()
    client.get(admin_url)
    with count_queries() as four_admin:
        page = client.get(admin_url).get_data(as_text=True)
    with count_queries() as four_public:
        client.get(public_url)
    assert page.count(".zip") >= 4
    assert (four_admin.count, four_public.count) == (one_admin.count, one_public.count)
