"""The results table of a run as a trainer uses it with a large session: 50 learners a page,
search, sort, and an export that still holds every learner."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.quizzes.builders import analysis_quiz, cohort, make_attempt

ROW = re.compile(r'<tr><th scope="row">([^<]+)</th>')


@pytest.fixture
def big(make_user):
    names = [f"Apprenant {n:02}" for n in range(60)] + ["Zoé Vasseur"]
    course, run, trainer, enrolments = cohort(make_user, names, key="big")
    quiz = analysis_quiz(course)
    for n, enrolment in enumerate(enrolments.values()):
        if n % 2:
            make_attempt(quiz, enrolment, {"q1": {"score": 1, "choices": ["a"]}})
    return run, trainer


def test_results_show_fifty_learners_a_page_and_the_export_every_learner(big, client, login):
    run, trainer = big
    login(trainer)
    url = f"/formateur/sessions/{run.id}/resultats"
    html = client.get(url).get_data(as_text=True)
    assert ROW.findall(html)[:50] == [f"Apprenant {n:02}" for n in range(50)]
    assert "Lignes 1 à 50 sur 61" in html
    assert 'aria-label="Pages de la liste des apprenants"' in html
    second = client.get(url + "?page=2").get_data(as_text=True)
    assert ROW.findall(second)[:11] == [f"Apprenant {n:02}" for n in range(50, 60)] + [
        "Zoé Vasseur"
    ]
    assert "/formateur/tentatives/" in second  # the attempts of that page are linked

    export = client.get(url + "?format=csv")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    learners = [r[0] for r in rows if r and (r[0].startswith("Apprenant") or r[0] == "Zoé Vasseur")]
    assert len(learners) == 61


def test_results_search_and_sort(big, client, login):
    run, trainer = big
    login(trainer)
    url = f"/formateur/sessions/{run.id}/resultats"
    found = client.get(url + "?q=vasseur").get_data(as_text=True)
    assert ROW.findall(found) == ["Zoé Vasseur"] and "Lignes 1 à 1 sur 1" in found
    desc = client.get(url + "?desc=1").get_data(as_text=True)
    assert ROW.findall(desc)[0] == "Zoé Vasseur"


def test_withdrawn_learners_are_neither_listed_nor_counted(make_user, client, login):
    from courses.models import EnrolmentStatus
    from lms.db import db

    names = [f"Apprenant {n:02}" for n in range(55)]
    course, run, trainer, enrolments = cohort(make_user, names, key="withdrawn")
    analysis_quiz(course)
    for name in ("Apprenant 00", "Apprenant 53"):
        enrolments[name].status = EnrolmentStatus.WITHDRAWN
    db.session.commit()
    login(trainer)
    url = f"/formateur/sessions/{run.id}/resultats"
    html = client.get(url).get_data(as_text=True)
    assert "Lignes 1 à 50 sur 53" in html  # counted without them, searched or not
    assert ROW.findall(html)[0] == "Apprenant 01"
    last = client.get(url + "?page=2").get_data(as_text=True)
    assert ROW.findall(last) == ["Apprenant 51", "Apprenant 52", "Apprenant 54"]
    found = client.get(url + "?q=apprenant").get_data(as_text=True)
    assert "Lignes 1 à 50 sur 53" in found  # the searched count leaves them out too
