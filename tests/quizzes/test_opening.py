"""When instruments open: needs and pre self-assessment from enrolment, post self-assessment
and satisfaction from the run's end date, with a clear message before."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html import unescape

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from lms.db import db
from quizzes.models import Attempt
from quizzes.taking.opening import local_today, opening
from tests.conftest import csrf_token
from tests.quizzes.taking_data import (
    add_instrument,
    add_self_assessment,
    setup_course,
    survey_question,
)


@pytest.fixture
def data(app, make_user, login):
    data = setup_course(make_user, run_start=date.today() - timedelta(days=3), days=10)
    login(data.learner)
    return data


def satisfaction(course, **settings):
    return add_instrument(
        course,
        "satisfaction",
        [survey_question("reco", "text", "Votre avis ?", 1)],
        kind="questionnaire",
        purpose="satisfaction",
        settings=settings,
    )


def page(client, data, instrument):
    return client.get(f"/parcours/sessions/{data.run.id}/evaluations/{instrument.activity_id}")


def press_start(client, data, instrument):
    url = f"/parcours/sessions/{data.run.id}/evaluations/{instrument.activity_id}"
    return client.post(url + "/commencer", data={"csrf_token": csrf_token(client, url)})


def test_pre_self_assessment_and_needs_open_at_enrolment(client, data):
    pre = add_self_assessment(data.course, "pre")
    needs = add_instrument(
        data.course,
        "besoins",
        [survey_question("attentes", "text", "Vos attentes ?", 1)],
        kind="questionnaire",
        purpose="needs",
    )
    for instrument in (pre, needs):
        html = page(client, data, instrument).get_data(as_text=True)
        assert "Répondre" in html and "s'ouvrira" not in html
        assert (
            press_start(client, data, instrument)
            .headers["Location"]
            .startswith("/parcours/tentatives/")
        )


def test_post_self_assessment_waits_for_the_end_of_the_run(client, data):
    post = add_self_assessment(data.course, "post")
    html = unescape(page(client, data, post).get_data(as_text=True))
    ends = data.run.ends_on
    assert "s'ouvrira le" in html
    assert f"s'ouvrira le {format_date(ends, 'long', locale='fr')}" in html
    assert "Répondre</button>" not in html
    response = press_start(client, data, post)
    assert response.status_code == 303
    after = unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "s'ouvrira le" in after
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0


def test_post_self_assessment_opens_on_the_end_date(client, data):
    post = add_self_assessment(data.course, "post")
    data.run.ends_on = date.today()
    db.session.commit()
    assert "Répondre" in page(client, data, post).get_data(as_text=True)
    assert press_start(client, data, post).headers["Location"].startswith("/parcours/tentatives/")


def test_satisfaction_opens_at_run_end_unless_told_otherwise(app, data):
    closed = satisfaction(data.course)
    assert opening(closed, data.run, data.enrolment).is_open is False
    early = add_instrument(
        data.course,
        "avis-en-cours",
        [survey_question("avis", "text", "Votre avis ?", 1)],
        kind="questionnaire",
        purpose="satisfaction",
        settings={"opens": "enrolment"},
    )
    assert opening(early, data.run, data.enrolment).is_open is True
    late_pre = add_instrument(
        data.course,
        "pre-tardif",
        [survey_question("x", "text", "X ?", 1)],
        kind="self_assessment",
        purpose="pre",
        settings={"opens": "run_end"},
    )
    assert opening(late_pre, data.run, data.enrolment).is_open is False


def test_end_date_is_a_date_in_paris(app, data):
    data.run.ends_on = date(2030, 6, 2)
    post = add_self_assessment(data.course, "post")
    before_midnight_paris = datetime(2030, 6, 1, 21, 59)  # 23:59 in Paris (UTC+2)
    after_midnight_paris = datetime(2030, 6, 1, 22, 1)  # 00:01 on 2 June in Paris
    assert local_today(before_midnight_paris) == date(2030, 6, 1)
    assert opening(post, data.run, data.enrolment, now=before_midnight_paris).is_open is False
    assert opening(post, data.run, data.enrolment, now=after_midnight_paris).is_open is True


def test_access_not_yet_started_says_when(app, data):
    pre = add_self_assessment(data.course, "pre")
    data.enrolment.access_starts_at = datetime(2030, 1, 10, 8, 0)
    found = opening(pre, data.run, data.enrolment, now=datetime(2030, 1, 5))
    assert found.is_open is False and found.opens_on == date(2030, 1, 10)
    assert "10 janvier 2030" in found.message
