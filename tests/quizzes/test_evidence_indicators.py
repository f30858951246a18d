"""Public result indicators: no sign-in, the 5-person threshold on every figure, caching,
framing."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from courses.models import EnrolmentStatus
from lms.db import db
from quizzes.evidence.indicators import THRESHOLD
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run
from tests.lms.test_translations import fresh_locale  # noqa: F401 - fixture
from tests.quizzes.builders import learner, make_attempt
from tests.quizzes.evidence_data import instruments, invite_people, scale

KEYS = ("trainees", "completion", "success", "satisfaction", "followup", "applying")


def population(size: int, ended_days_ago: int = 30):
    """A run that ended ``ended_days_ago`` days ago where each of ``size`` learners completed,
    took the exam (all but the first passed), answered the satisfaction questionnaire (the
    first two unsatisfied) and the 6-month follow-up (the first said no)."""
    course = make_course(f"pop{size}-{ended_days_ago}", modules=1, activities=1)
    end = date.today() - timedelta(days=ended_days_ago)
    run = make_run(course, starts_on=end - timedelta(days=10), days=10)
    made = instruments(course)
    people = {}
    for n in range(size):
        people[n] = enrol(run, learner(f"Personne {n}"), status=EnrolmentStatus.COMPLETED)
        make_attempt(made["exam"], people[n], {"q1": {"score": 0 if n == 0 else 1}})
        make_attempt(made["satisfaction"], people[n], {"contenus": scale(2 if n < 2 else 5)})
    invite_all(made["followup"], run, people)
    return course


def invite_all(instrument, run, people):
    """Every learner invited to the 6-month follow-up; the first says no, the others yes."""
    invite_people(instrument, run, people, {n: "no" if n == 0 else "yes" for n in people})


def _rows(html: str) -> dict[str, str]:
    rows = re.findall(r'<tr id="indicateur-([a-z]+)">(.*?)</tr>', html, re.S)
    return {key: " ".join(re.sub(r"<[^>]+>", " ", body).split()) for key, body in rows}


def test_four_people_publish_nothing(app, client):
    course = population(THRESHOLD - 1)
    response = client.get(f"/formations/{course.id}/indicateurs")
    assert response.status_code == 200
    rows = _rows(response.get_data(as_text=True))
    assert set(rows) == set(KEYS)
    for key, text in rows.items():
        assert "non publié (moins de 5 réponses)" in text, key
        assert not re.search(r"\d+ ?%|\b4\b", text.replace("moins de 5", "")), key


def test_five_people_publish_every_figure(app, client):
    course = population(THRESHOLD)
    html = client.get(f"/formations/{course.id}/indicateurs").get_data(as_text=True)
    rows = {k: v.replace("\u202f", " ").replace("\xa0", " ") for k, v in _rows(html).items()}
    assert rows["trainees"].endswith("5 5 personnes")
    assert "100 %" in rows["completion"]
    assert "80 %" in rows["success"]  # 4 of 5 passed
    assert "60 %" in rows["satisfaction"]  # 3 of 5 answered 5 out of 5
    assert "100 %" in rows["followup"]
    assert "80 %" in rows["applying"]
    assert "non publié" not in html
    assert "12 derniers mois" in html


def test_a_session_of_the_hand_computed_report_publishes_only_what_has_five_people(
    app, client, make_user
):
    from tests.quizzes.evidence_data import session

    run, _trainer, _made = session(make_user)
    run.starts_on, run.ends_on = (
        date.today() - timedelta(days=60),
        date.today() - timedelta(days=30),
    )
    db.session.commit()
    rows = _rows(client.get(f"/formations/{run.course_id}/indicateurs").get_data(as_text=True))
    assert rows["trainees"].startswith("Stagiaires formés 5")
    assert "60" in rows["completion"]  # 3 of 5 completed
    for key in ("success", "satisfaction", "followup", "applying"):  # 3, 3, 3 and 2 people
        assert "non publié (moins de 5 réponses)" in rows[key], key


def test_only_sessions_of_the_last_twelve_months_count(app, client):
    course = population(THRESHOLD, ended_days_ago=400)
    rows = _rows(client.get(f"/formations/{course.id}/indicateurs").get_data(as_text=True))
    assert all("non publié" in text for text in rows.values())


def test_a_past_year_is_published_on_its_own_page(app, client):
    course = population(THRESHOLD, ended_days_ago=400)
    year = (date.today() - timedelta(days=400)).year
    url = f"/formations/{course.id}/indicateurs"
    html = client.get(url).get_data(as_text=True)
    assert f'href="{url}?annee={year}"' in html
    past = client.get(f"{url}?annee={year}").get_data(as_text=True)
    rows = _rows(past)
    assert rows["trainees"].endswith("5 5 personnes")
    assert "non publié" not in past
    assert f"(année {year})" in past and f'href="{url}"' in past
    assert client.get(f"{url}?annee={year - 5}").status_code == 404


def test_page_is_cacheable_embeddable_and_sets_no_cookie(app, client):
    course = population(THRESHOLD)
    url = f"/formations/{course.id}/indicateurs"
    first = client.get(url)
    assert first.headers["Cache-Control"] in ("public, max-age=3600", "max-age=3600, public")
    etag = first.headers["ETag"]
    assert "frame-ancestors *" in first.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in first.headers
    assert "Set-Cookie" not in first.headers
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/compte/connexion").headers["X-Frame-Options"] == "SAMEORIGIN"
    enrolment = enrol(db.session.merge(course).runs[0], learner("Nouvelle"))
    assert enrolment.id
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_unknown_course_is_404(app, client):
    assert client.get("/formations/999999/indicateurs").status_code == 404


def test_queries_do_not_grow_with_trainees(app, client, count_queries):
    counts = []
    for size in (5, 12):
        course = population(size)
        url = f"/formations/{course.id}/indicateurs"
        client.get(url)
        with count_queries() as counter:
            client.get(url)
        counts.append(counter.count)
    assert counts[0] == counts[1]


@pytest.mark.usefixtures("fresh_locale")
def test_page_reads_in_english(app, client):
    course = population(THRESHOLD - 1)
    token = csrf_token(client, "/compte/connexion")
    client.post("/langue", data={"lang": "en", "next": "/", "csrf_token": token})
    html = client.get(f"/formations/{course.id}/indicateurs").get_data(as_text=True)
    assert "Result indicators" in html and "not published (fewer than 5 answers)" in html
