"""The free texts of a questionnaire as a trainer reads them in a big run: 50 a page, searched
by name, e-mail or organisation (by text when anonymous), filtered by question, sorted, with
the whole run's figures; the page does not grow with the run, the export keeps every text."""

from __future__ import annotations

import pytest

from courses.models import Course
from lms.db import db
from tests.quizzes.builders import cohort, make_attempt, make_instrument
from tests.quizzes.test_questionnaire_results import free_texts

QUESTIONS = [
    {"key": "projet", "type": "text", "title": "Projet"},
    {"key": "frein", "type": "text", "title": "Frein"},
]


def _run(make_user, size: int, purpose: str = "survey", key: str = "big"):
    """A run of ``size`` learners, « Apprenant 000 »…; each answered both questions (000 left
    « Frein » empty); every 3rd works at « Mairie de Lyon », the others « Ville de Paris »."""
    names = [f"Apprenant {n:03}" for n in range(size)]
    course, run, trainer, enrolments = cohort(make_user, names, key=f"{key}{size}")
    survey = make_instrument(
        course, f"enquete-{size}", QUESTIONS, kind="questionnaire", purpose=purpose, title="Enquête"
    )
    for n, enrolment in enumerate(enrolments.values()):
        enrolment.user.organisation = "Mairie de Lyon" if n % 3 == 0 else "Ville de Paris"
        frein = {"response": {"text": "  "}} if n == 0 else {"response": {"text": f"Frein {n:03}"}}
        make_attempt(
            survey, enrolment, {"projet": {"response": {"text": f"Projet {n:03}"}}, "frein": frein}
        )
    db.session.commit()
    return f"/formateur/sessions/{run.id}/questionnaires/{survey.id}", survey, trainer


@pytest.fixture
def big(make_user):
    """A run of 120 learners who answered a named questionnaire (purpose ``survey``)."""
    return _run(make_user, 120)


def test_fifty_texts_a_page_with_the_whole_runs_figures(big, client, login):
    url, survey, trainer = big
    login(trainer)
    html = client.get(url).get_data(as_text=True)
    rows = free_texts(html)
    assert len(rows) == 50
    assert rows[:3] == [
        ("Apprenant 000", "Projet", "Projet 000"),
        ("Apprenant 001", "Projet", "Projet 001"),
        ("Apprenant 001", "Frein", "Frein 001"),
    ]
    assert "Lignes 1 à 50 sur 239" in html
    assert "120 répondants" in html and "120 apprenants inscrits" in html
    assert "Voir les 120 réponses libres" in html and "Voir les 119 réponses libres" in html
    assert 'aria-label="Pages des réponses libres"' in html and "page=5" in html
    last = client.get(url + "?page=5").get_data(as_text=True)
    assert len(free_texts(last)) == 39 and "Lignes 201 à 239 sur 239" in last


def test_search_by_organisation_filter_by_question_and_sort(big, client, login):
    url, survey, trainer = big
    login(trainer)
    frein = next(q for q in survey.questions if q.key == "frein")
    html = client.get(f"{url}?q=lyon&question={frein.id}").get_data(as_text=True)
    rows = free_texts(html)
    assert "Lignes 1 à 39 sur 39" in html  # 3, 6, … 117 (000 left it empty)
    assert {r[1] for r in rows} == {"Frein"} and rows[0][0] == "Apprenant 003"
    assert "Mairie de Lyon" in html and "Ville de Paris" not in html
    assert f"question={frein.id}" in html  # kept in the sort and page links
    desc = free_texts(client.get(f"{url}?sort=name&desc=1").get_data(as_text=True))
    assert desc[0][0] == "Apprenant 119"
    by_mail = free_texts(client.get(f"{url}?q=apprenant042").get_data(as_text=True))
    assert [r[0] for r in by_mail] == ["Apprenant 042", "Apprenant 042"]


def test_anonymous_texts_are_searched_by_text_never_by_name(make_user, client, login):
    url, survey, trainer = _run(make_user, 12, purpose="practice", key="anon")
    login(trainer)
    html = client.get(url + "?q=frein+007").get_data(as_text=True)
    assert free_texts(html) == [("", "Frein", "Frein 007")]
    assert "Apprenant" not in html.split('<table class="data free-texts">')[1].split("</table>")[0]
    assert "Aucune ligne ne correspond." in client.get(url + "?q=Apprenant").get_data(as_text=True)


def test_the_export_keeps_every_text(big, client, login):
    url, survey, trainer = big
    login(trainer)
    csv = client.get(url + "?format=csv").get_data(as_text=True)
    assert csv.count("Projet 1") == 20 and "Frein 119" in csv and "Projet 000" in csv


def test_a_page_does_not_grow_with_the_run(make_user, client, login, count_queries):
    measured = []
    for size in (60, 120):
        url, survey, trainer = _run(make_user, size, key=f"s{size}")
        login(trainer)
        client.get(url)
        with count_queries() as counter:
            html = client.get(url + "?page=2").get_data(as_text=True)
        measured.append((counter.count, len(html), len(free_texts(html))))
    (small_q, small_kb, small_rows), (big_q, big_kb, big_rows) = measured
    assert small_q == big_q and small_rows == big_rows == 50
    assert abs(big_kb - small_kb) < 400  # a few digits of the totals, never a row more


def test_satisfaction_page_lists_anonymous_texts_a_page_at_a_time_per_questionnaire(
    make_user, client, login
):
    url, survey, trainer = _run(make_user, 60, purpose="satisfaction", key="sat")
    run_path = url.split("/questionnaires/")[0]
    course = db.session.get(Course, survey.course_id)
    other = make_instrument(
        course, "a-froid", QUESTIONS[:1], kind="questionnaire", purpose="satisfaction"
    )
    login(trainer)
    html = client.get(run_path + "/satisfaction").get_data(as_text=True)
    rows = free_texts(html)
    assert len(rows) == 50 and "Lignes 1 à 50 sur 119" in html
    assert all(who == "" for who, _q, _t in rows) and "Apprenant 0" not in html
    assert rows[0][2] == "Frein 001"  # anonymous: sorted by text
    assert f"questionnaire={survey.id}" in html  # kept in the page links
    assert "Voir les 60 réponses libres" in html and "page=2" in html
    empty = client.get(f"{run_path}/satisfaction?questionnaire={other.id}")
    assert "Aucune ligne ne correspond." in empty.get_data(as_text=True)
    csv = client.get(run_path + "/satisfaction?format=csv").get_data(as_text=True)
    assert "Projet 059" in csv and "Frein 001" in csv and "Apprenant" not in csv
