"""The charts of the trainer's reports: each an SVG image named by its title and description,
with its figures in a table, built from the same data as the tables (figures by hand)."""

from __future__ import annotations

import re

import pytest

from quizzes.results import graphs
from quizzes.results.item_analysis import ItemStats
from tests.quizzes.builders import (
    analysis_attempts,
    analysis_quiz,
    cohort,
    make_attempt,
    make_instrument,
    option_settings,
)

NAMES = ["Alice", "Bruno", "Chloé", "David"]


@pytest.fixture
def analysed(app, make_user):
    course, run, trainer, enrolments = cohort(make_user, NAMES)
    quiz = analysis_quiz(course)
    analysis_attempts(quiz, enrolments)
    return run, trainer, quiz, enrolments


def _svg(html: str, id_: str) -> str:
    found = re.search(rf'<svg[^>]*aria-labelledby="{id_}-title {id_}-desc".*?</svg>', html, re.S)
    assert found, f"no chart {id_}"
    assert 'role="img"' in found.group(0)
    return found.group(0)


def test_item_analysis_page_has_the_score_histogram_and_the_item_map(analysed, client, login):
    run, trainer, quiz, _enrolments = analysed
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}/quiz/{quiz.id}/analyse").get_data(as_text=True)
    svg = _svg(html, f"scores-{quiz.id}")
    assert "Répartition des scores (première tentative)</title>" in svg
    # First attempts: 4/4, 2/4, 1/4, 0/4 → 100, 50, 25 and 0 %; pass mark 60 %.
    assert "Scores de 4 apprenants, par tranches de 10 %." in html
    assert "1 atteint le seuil de réussite (60 %, ligne pointillée)." in html
    assert '<th scope="row">20–30</th><td class="num">1</td>' in html
    assert '<th scope="row">90–100</th><td class="num">1</td>' in html
    item_map = _svg(html, "item-map")
    # q2 (facility 50, discrimination 19.25 < 20) is the one to review; q1 and q3 are fine.
    assert "Questions à revoir (carrés) : Q2 " in html
    assert item_map.count('class="dot flagged"') == 1 and item_map.count('class="dot"') == 2


def test_likert_answers_are_diverging_bars_with_their_levels(app, make_user, client, login):
    course, run, trainer, enrolments = cohort(make_user, NAMES)
    levels = [(str(i), f"Niveau {i}") for i in range(1, 6)]
    survey = make_instrument(
        course,
        "satisfaction",
        [{"key": "note", "type": "scale", "title": None, "settings": option_settings(*levels)}],
        kind="questionnaire",
        purpose="satisfaction",
        settings={},
    )
    for name, value in zip(NAMES, ["1", "3", "5", "5"], strict=True):
        answer = {"response": {"choice": value}, "choices": [value], "value": float(value)}
        make_attempt(survey, enrolments[name], {"note": answer})
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}/satisfaction").get_data(as_text=True)
    question = survey.questions[0]
    svg = _svg(html, f"likert-{question.id}")
    assert "4 réponses : 50 % du côté « Niveau 5 », 25 % du côté « Niveau 1 »." in html
    assert svg.count('class="seg seg-pos-2"') == 1 and svg.count('class="seg seg-neg-2"') == 1
    assert "<progress" not in html  # the unreadable inline bars are gone
    assert html.count("Niveau 3") >= 2  # legend and table


def test_to_review_flags_badly_discriminating_and_extreme_questions():
    def stats(facility, discrimination):
        return ItemStats(question=None, facility=facility, discrimination=discrimination)

    assert graphs.to_review(stats(50, 10)) is True
    assert graphs.to_review(stats(95, 40)) is True
    assert graphs.to_review(stats(50, 40)) is False
    assert graphs.to_review(stats(None, None)) is False


def test_self_assessment_report_draws_the_cohorts_before_and_after(app, make_user, client, login):
    from tests.quizzes.builders import make_instrument as instrument_of

    course, run, trainer, enrolments = cohort(make_user, ["Alice", "Bruno"])
    scale = option_settings(*[(str(i), f"Niveau {i}") for i in range(1, 6)])
    question = {"key": "q", "type": "scale", "competency": "portail", "settings": scale}
    tests = {
        p: instrument_of(course, f"ae-{p}", [question], kind="self_assessment", purpose=p)
        for p in ("pre", "post")
    }
    for name, (pre, post) in {"Alice": (2, 4), "Bruno": (3, 4)}.items():
        for purpose, value in (("pre", pre), ("post", post)):
            answer = {"response": {"choice": str(value)}, "value": float(value)}
            make_attempt(tests[purpose], enrolments[name], {"q": answer})
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}/auto-evaluations").get_data(as_text=True)
    svg = _svg(html, "pre-post")
    # Means: before (2 + 3) / 2 = 2.5, after 4.0 → gain +1.5.
    assert "Gain moyen du groupe : +1,5 point sur une échelle de 1 à 5" in html
    assert svg.count('class="dot dot-pre"') == 1 and svg.count('class="dot dot-post"') == 1
    assert ">+1,5</text>" in svg


def test_follow_up_wave_draws_invited_reminded_answered_expired(app, make_user, client, login):
    from quizzes.campaigns.figures import Figures

    with app.test_request_context():
        found = graphs.funnel_chart(Figures(invited=8, reminded=5, answered=6, expired=1), 3)
        assert graphs.funnel_chart(Figures(), 4) is None
    assert found["id"] == "funnel-3"
    assert found["desc"] == (
        "6 réponses sur 8 invités (75 %), après 5 relances ; liens expirés sans réponse : 1."
    )
    assert [r.css for r in found["chart"].rects] == [f"bar step-{i}" for i in range(4)]


def test_self_assessment_report_draws_the_distribution_of_gains(app, make_user, client, login):
    from tests.quizzes.builders import make_instrument as instrument_of

    names = ["Alice", "Bruno", "Chloé", "David"]
    course, run, trainer, enrolments = cohort(make_user, names)
    scale = option_settings(*[(str(i), f"Niveau {i}") for i in range(1, 6)])
    questions = [
        {"key": key, "type": "scale", "competency": key, "settings": scale} for key in ("a", "b")
    ]
    tests = {
        p: instrument_of(course, f"ae-{p}", questions, kind="self_assessment", purpose=p)
        for p in ("pre", "post")
    }
    # (pre a, pre b) → (post a, post b); David answered only before: left out.
    answers = {
        "Alice": {"pre": (2, 2), "post": (4, 4)},  # gain +2
        "Bruno": {"pre": (3, 3), "post": (3, 4)},  # gains 0 and +1: mean +0.5
        "Chloé": {"pre": (3, 3), "post": (3, 3)},  # gain 0
        "David": {"pre": (1, 1)},
    }
    for name, by_purpose in answers.items():
        for purpose, values in by_purpose.items():
            given = {
                key: {"response": {"choice": str(v)}, "value": float(v)}
                for key, v in zip(("a", "b"), values, strict=True)
            }
            make_attempt(tests[purpose], enrolments[name], given)
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}/auto-evaluations").get_data(as_text=True)
    svg = _svg(html, "gains")
    assert "2 sur 3 ont progressé" in html
    # Half-point classes from -4 to +4 on a 1–5 scale; one learner in each of three classes.
    cells = dict(re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', html))
    assert cells["+2,0 – +2,5"] == "1"
    assert cells["+0,5 – +1,0"] == "1"
    assert cells["0 – +0,5"] == "1"
    assert sum(int(n) for label, n in cells.items() if "–" in label) == 3
    assert svg.count('class="seg-text">1</text>') == 3
