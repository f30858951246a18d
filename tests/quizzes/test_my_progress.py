"""« Ma progression »: pre vs post self-assessment per competency, as a chart and a table."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from lms.db import db
from quizzes.results.competencies import learner_competencies, pre_post_means
from quizzes.taking import attempts
from tests.factories import enrol
from tests.quizzes.taking_data import add_self_assessment, setup_course


@pytest.fixture
def data(app, make_user):
    data = setup_course(make_user)
    data.pre = add_self_assessment(data.course, "pre")
    data.post = add_self_assessment(data.course, "post")
    return data


def answer(data, instrument, user, enrolment, levels: dict[str, str]):
    """Submit a self-assessment with the given level per question key."""
    by_key = {q.key: q for q in instrument.questions}
    form = MultiDict({f"q{by_key[k].id}": v for k, v in levels.items()})
    attempt = attempts.start(instrument, user, data.run.id, enrolment)
    attempts.save_answers(attempt, form)
    attempts.submit(attempt)
    db.session.commit()
    return attempt


def test_means_per_competency_from_the_latest_pre_and_post(data, make_user):
    data.pre.settings = {"attempts": 2}
    db.session.commit()
    answer(data, data.pre, data.learner, data.enrolment, {"o1-a": "1", "o1-b": "1", "o2": "1"})
    answer(data, data.pre, data.learner, data.enrolment, {"o1-a": "2", "o1-b": "3", "o2": "1"})
    answer(data, data.post, data.learner, data.enrolment, {"o1-a": "4", "o1-b": "5"})
    other = make_user("learner")
    answer(data, data.pre, other, enrol(data.run, other), {"o1-a": "5", "o1-b": "5", "o2": "5"})
    rows = learner_competencies(data.run, data.learner.id)
    assert [(r.key, r.text, r.pre, r.post) for r in rows] == [
        ("portail", "Concevoir un portail de e-services", 2.5, 4.5),
        ("open-data", "Ouvrir les données publiques", 1.0, None),
    ]
    assert rows[0].gain == 2.0 and rows[1].gain is None


def test_means_for_many_learners_take_one_statement(data, make_user, count_queries):
    users = []
    for n in range(3):
        user = make_user("learner")
        answer(data, data.pre, user, enrol(data.run, user), {"o1-a": str(n + 1), "o2": "3"})
        users.append(user.id)
    run_id = data.run.id
    with count_queries() as counter:
        means = pre_post_means(run_id, users)
    assert counter.count == 1
    assert means[(users[2], "pre", "portail")] == 3.0


def test_progress_page_shows_chart_and_table(client, login, data):
    answer(data, data.pre, data.learner, data.enrolment, {"o1-a": "2", "o1-b": "3", "o2": "1"})
    answer(data, data.post, data.learner, data.enrolment, {"o1-a": "4", "o1-b": "5", "o2": "4"})
    login(data.learner)
    html = client.get(f"/parcours/sessions/{data.run.id}/progression").get_data(as_text=True)
    assert 'role="img"' in html and "<title" in html
    assert len(re.findall(r'<rect [^>]*class="bar-(pre|post)"', html)) == 2 * 2 + 2  # + legend
    assert " style=" not in html
    table = html[html.index("<table") :]
    assert "Concevoir un portail de e-services" in table
    for figure in ("2,5", "4,5", "+2,0", "1,0", "4,0", "+3,0"):
        assert figure in table, figure
    assert "quizzes.css" in html


def test_progress_page_before_any_answer(client, login, data):
    login(data.learner)
    html = client.get(f"/parcours/sessions/{data.run.id}/progression").get_data(as_text=True)
    assert "pas encore répondu" in html


def test_progress_page_is_for_the_run_learners_only(client, login, data, make_user):
    login(make_user("learner"))
    assert client.get(f"/parcours/sessions/{data.run.id}/progression").status_code == 404
