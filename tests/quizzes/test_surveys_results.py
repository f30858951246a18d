"""A survey campaign's results: the questionnaire results of its answers (page, CSV and XLSX
with formulas neutralised), its open data (no count under 5, no free text, a Data Package
descriptor), and a results page whose queries do not grow with the respondents."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

from werkzeug.datastructures import MultiDict

from lms.db import db, utcnow
from quizzes.models import Channel
from quizzes.surveys import answering, service
from quizzes.taking import attempts
from tests.quizzes.survey_builders import answer, barometer
from tests.support.spreadsheets import FORMULAS, assert_csv_safe, assert_xlsx_safe


def _campaign(instrument, mode="public"):
    campaign = service.create(
        {
            "title": "Baromètre",
            "instrument_id": instrument.id,
            "mode": mode,
            "opens_at": utcnow() - timedelta(days=1),
            "closes_at": None,
            "max_responses": None,
        },
        None,
    )
    db.session.commit()
    return campaign


def respond(campaign, instrument, usage="yes", frequence="3", text=""):
    """One anonymous answer, sent through the same services as the public page."""
    attempt = answering.new_attempt(campaign, Channel.WEB)
    data = answer(instrument, usage, frequence, text)
    attempts.save_answers(attempt, MultiDict(data))
    assert answering.submit(campaign.id, attempt) == []
    db.session.commit()


def _admin(make_user, login):
    login(make_user("admin"))


def test_the_results_page_and_its_exports(client, make_user, login):
    _admin(make_user, login)
    instrument = barometer()
    campaign = _campaign(instrument)
    respond(campaign, instrument, "yes", "3", FORMULAS[0])
    respond(campaign, instrument, "no", "1", "Pas le temps")
    path = f"/admin/enquetes/{campaign.id}/resultats"
    page = client.get(path).get_data(as_text=True)
    assert "2 répondants" in page and "Pas le temps" in page
    assert "Jamais" in page and "Souvent" in page
    body = client.get(path + "?format=csv").data
    rows = assert_csv_safe(body, [FORMULAS[0]])
    assert any("Pas le temps" in cell for row in rows for cell in row)
    workbook = client.get(path + "?format=xlsx").data
    assert_xlsx_safe(workbook, [FORMULAS[0]])


def _zip(client, campaign) -> zipfile.ZipFile:
    response = client.get(f"/admin/enquetes/{campaign.id}/donnees-ouvertes.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_open_data_hides_small_counts_and_free_texts(client, make_user, login):
    _admin(make_user, login)
    instrument = barometer()
    campaign = _campaign(instrument)
    for i in range(6):
        respond(campaign, instrument, "yes", "3", f"Secret {i}")
    respond(campaign, instrument, "no", "2", "Secret unique")
    archive = _zip(client, campaign)
    meta = json.loads(archive.read("datapackage.json"))
    assert meta["licenses"][0]["name"] == "etalab-2.0"
    names = {r["path"] for r in meta["resources"]}
    assert names == set(archive.namelist()) - {"datapackage.json"}
    for name in names:
        text = archive.read(name).decode("utf-8")
        assert "Secret" not in text
        for row in csv.DictReader(io.StringIO(text)):
            for column in ("nombre", "repondants", "personnes", "valeur"):
                value = row.get(column)
                if value not in (None, ""):
                    assert float(value) == 0 or float(value) >= 5 or column == "valeur", row
    answers = list(csv.DictReader(io.StringIO(archive.read("reponses-barometre.csv").decode())))
    usage = {r["option"]: r["nombre"] for r in answers if r["question"] == "usage"}
    assert usage == {"yes": "", "no": ""}  # 1 person said no: hidden, and yes with it
    participation = archive.read("participation.csv").decode()
    assert "repondants,7,7" in participation


def test_the_results_page_runs_the_same_queries_whatever_the_number_of_respondents(
    client, make_user, login, count_queries
):
    _admin(make_user, login)
    instrument = barometer()
    campaign = _campaign(instrument)
    path = f"/admin/enquetes/{campaign.id}/resultats"
    for _ in range(2):
        respond(campaign, instrument, text="Un")
    db.session.expire_all()  # the test shares the requests' session: start both from cold
    with count_queries() as few:
        assert client.get(path).status_code == 200
    for _ in range(6):
        respond(campaign, instrument, "no", "1", text="Deux")
    db.session.expire_all()
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert many.count == few.count
