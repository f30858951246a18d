"""Item analysis: Moodle's facility, standard deviation and discrimination, from SQL sums,
checked against figures computed by hand on a four-learner data set."""

from __future__ import annotations

import math

import pytest

from quizzes.results.item_analysis import analyse, statistics
from tests.quizzes.builders import analysis_attempts, analysis_quiz, cohort, make_attempt

NAMES = ["Alice", "Bruno", "Chloé", "David"]


@pytest.fixture
def analysed(app, make_user):
    course, run, trainer, enrolments = cohort(make_user, NAMES)
    quiz = analysis_quiz(course)
    analysis_attempts(quiz, enrolments)
    return run, trainer, quiz


def test_statistics_of_each_question_match_hand_computation(analysed):
    run, _trainer, quiz = analysed
    attempts, stats = analyse(quiz, run.id)
    assert attempts == 4  # first attempts only: Chloé's second one is left out
    q1, q2, q3 = stats
    # q1: x = 1,1,0,0 ; rest of test y = 3,1,1,0.
    assert q1.n == 4
    assert q1.facility == pytest.approx(50.0)
    assert q1.sd == pytest.approx(100 * math.sqrt(1 / 3))  # 57.74
    assert q1.discrimination == pytest.approx(100 * 6 / math.sqrt(76))  # 68.82
    # q2: x = 1,0,1,0 ; y = 3,2,0,0.
    assert q2.facility == pytest.approx(50.0)
    assert q2.discrimination == pytest.approx(100 * 2 / math.sqrt(108))  # 19.25
    # q3 (out of 2, David did not answer: 0): x = 2,1,0,0 ; y = 2,1,1,0.
    assert q3.facility == pytest.approx(37.5)
    assert q3.sd == pytest.approx(100 * math.sqrt(2.75 / 3) / 2)  # 47.87
    assert q3.discrimination == pytest.approx(100 * 8 / math.sqrt(88))  # 85.28


def test_choice_counts_come_from_first_attempts(analysed):
    run, _trainer, quiz = analysed
    _n, stats = analyse(quiz, run.id)
    counts = [{o.label: o.count for o in item.options} for item in stats]
    assert counts[0] == {"Guichet unique": 2, "Site vitrine": 1, "Intranet": 1}
    assert counts[1] == {"Vrai": 2, "Faux": 2}
    assert counts[2] == {"Efficience": 2, "Transparence": 1, "Publicité": 2}
    right = {o.label: o.fraction for o in stats[0].options}
    assert right == {"Guichet unique": 1.0, "Site vitrine": 0.0, "Intranet": 0.0}


def test_undefined_figures_stay_empty():
    assert statistics(0, 0, 0, 0, 0, 0, 1.0) == (None, None, None)
    facility, sd, discrimination = statistics(1, 1, 1, 2, 4, 2, 1.0)
    assert facility == 100.0 and sd is None and discrimination is None
    # Everyone has the same score: no spread, no correlation.
    assert statistics(3, 3, 3, 6, 12, 6, 1.0)[2] is None


def test_page_shows_figures_and_says_which_attempts(analysed, client, login):
    run, trainer, quiz = analysed
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}/quiz/{quiz.id}/analyse").get_data(as_text=True)
    assert "première tentative terminée de chaque apprenant" in html
    assert "Calculée sur 4 tentatives" in html
    assert "68,8" in html and "19,2" in html and "85,3" in html  # discrimination, 1 decimal
    assert "37,5" in html and "47,9" in html
    assert "Guichet unique" in html and "Indice de discrimination" in html


def test_query_count_does_not_grow_with_learners(app, make_user, client, login, count_queries):
    counts = []
    login(make_user("admin"))
    for size in (3, 20):
        names = [f"L{size}-{i}" for i in range(size)]
        course, run, _trainer, enrolments = cohort(make_user, names, key=f"c{size}")
        quiz = analysis_quiz(course)
        for enrolment in enrolments.values():
            make_attempt(quiz, enrolment, {"q1": {"score": 1, "choices": ["a"]}})
        url = f"/formateur/sessions/{run.id}/quiz/{quiz.id}/analyse"
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
