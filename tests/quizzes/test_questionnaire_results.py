"""Results of a run's other questionnaires (purpose ``survey``: positioning grids, exercises):
the list with respondents, each questionnaire question by question, exports, access, queries."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from quizzes.models import AttemptState
from tests.factories import enrol
from tests.quizzes.builders import (
    analysis_quiz,
    cohort,
    make_attempt,
    make_instrument,
    option_settings,
)

SCALE = option_settings(
    ("1", "Capteur"), ("2", "Informé"), ("3", "Consulté"), ("4", "Contributeur"), ("5", "Partie")
)


def _grid(course, key: str = "grille-role-citoyens"):
    return make_instrument(
        course,
        key,
        [
            {"key": "projet", "type": "text", "title": "Projet"},
            {"key": "information", "type": "scale", "title": "Information", "settings": SCALE},
        ],
        kind="self_assessment",
        purpose="survey",
        title="Grille du rôle des citoyens",
    )


def _answers(level: int, text: str | None) -> dict:
    spec = {"information": {"choices": [str(level)], "value": level}}
    if text:
        spec["projet"] = {"response": {"text": text}}
    return spec


@pytest.fixture
def data(app, make_user):
    """Alice, Bruno, Chloé answer the grid; David has only a draft; Bruno did the exercise."""
    course, run, trainer, enrolments = cohort(
        make_user, ["Alice", "Bruno", "Chloé", "David"], key="journee"
    )
    grid = _grid(course)
    exercise = make_instrument(
        course,
        "exercice-tribunal",
        [
            {"key": "sujet", "type": "text", "title": "Sujet"},
            {"key": "pret", "type": "yesno", "title": "Prêt"},
        ],
        kind="questionnaire",
        purpose="survey",
        title="Exercice pratique — Tribunal",
    )
    needs = make_instrument(
        course, "besoins", [], kind="questionnaire", purpose="needs", title="Besoins du groupe"
    )
    pre = make_instrument(
        course, "entree", [], kind="self_assessment", purpose="pre", title="Positionnement initial"
    )
    quiz = analysis_quiz(course)
    make_attempt(grid, enrolments["Alice"], _answers(2, "Budget participatif\nen ligne"))
    make_attempt(grid, enrolments["Bruno"], _answers(4, "Carte des signalements <b>v2</b>"))
    make_attempt(grid, enrolments["Chloé"], _answers(4, None))
    make_attempt(
        grid,
        enrolments["David"],
        _answers(1, "Brouillon pas envoyé"),
        state=AttemptState.IN_PROGRESS,
    )
    make_attempt(
        exercise,
        enrolments["Bruno"],
        {
            "sujet": {"response": {"text": "Faut-il interdire la voiture en ville ?"}},
            "pret": {"choices": ["yes"], "value": 1.0},
        },
    )
    others = {"needs": needs, "pre": pre, "quiz": quiz}
    return {"run": run, "trainer": trainer, "grid": grid, "exercise": exercise, **others}


def _url(data, instrument=None) -> str:
    base = f"/formateur/sessions/{data['run'].id}/questionnaires"
    return f"{base}/{instrument.id}" if instrument is not None else base


def _row(html: str, title: str) -> str:
    match = re.search(rf"<tr><th scope=\"row\">(<a [^>]*>{re.escape(title)}</a>.*?)</tr>", html)
    assert match, f"no row for {title}"
    return match.group(1)


TEXT_ROW = re.compile(
    r'<tr>\s*(?:<th scope="row">([^<]*)(?:<br><span class="muted">[^<]*</span>)?</th>)?'
    r'\s*<td>([^<]*)</td>\s*<td class="free-text">([^<]*)</td>',
)


def free_texts(html: str) -> list[tuple[str, str, str]]:
    """(author, question, text) rows of the page's table of free texts, in order."""
    start = html.index('<table class="data free-texts">')
    return TEXT_ROW.findall(html[start : html.index("</table>", start)])


def test_list_shows_other_questionnaires_with_respondents(data, client, login):
    login(data["trainer"])
    html = client.get(_url(data)).get_data(as_text=True)
    grid = _row(html, "Grille du rôle des citoyens")
    assert f'href="{_url(data, data["grid"])}"' in grid
    assert "Auto-évaluation" in grid and ">3<" in grid and "75,0" in grid
    exercise = _row(html, "Exercice pratique — Tribunal")
    assert "Questionnaire" in exercise and ">1<" in exercise and "25,0" in exercise
    for own_page in ("Besoins du groupe", "Positionnement initial", "Quiz de validation"):
        assert own_page not in html
    assert 'aria-current="page">Questionnaires</a>' in html


def test_results_give_distribution_mean_and_named_texts(data, client, login):
    login(data["trainer"])
    html = client.get(_url(data, data["grid"])).get_data(as_text=True)
    assert "Grille du rôle des citoyens" in html and "3 répondants" in html
    assert "4 apprenants inscrits" in html
    assert re.search(r"Contributeur</th>\s*<td class=\"num\">2</td>\s*<td class=\"num\">67", html)
    assert re.search(r"Capteur</th>\s*<td class=\"num\">0</td>", html)  # David's draft
    assert "Moyenne : 3,33 (3 réponses)" in html
    assert free_texts(html) == [
        ("Alice", "Projet", "Budget participatif\nen ligne"),
        ("Bruno", "Projet", "Carte des signalements &lt;b&gt;v2&lt;/b&gt;"),
    ]
    assert "Voir les 2 réponses libres" in html
    assert "Brouillon pas envoyé" not in html


def test_exercise_names_who_wrote_what(data, client, login):
    login(data["trainer"])
    html = client.get(_url(data, data["exercise"])).get_data(as_text=True)
    assert free_texts(html) == [("Bruno", "Sujet", "Faut-il interdire la voiture en ville ?")]
    assert re.search(r"Oui</th>\s*<td class=\"num\">1</td>", html)


def test_csv_and_xlsx_exports_have_the_same_figures(data, client, login):
    login(data["trainer"])
    response = client.get(_url(data, data["grid"]) + "?format=csv")
    assert response.headers["Content-Disposition"].endswith(
        'questionnaire-grille-role-citoyens.csv"'
    )
    text = response.data.decode("utf-8-sig")
    assert "Information;scale;3;3,33;" in text
    assert "Information;Contributeur;2;66,67" in text
    assert "Projet;Alice;" in text and "Projet;Bruno;Carte des signalements <b>v2</b>" in text
    response = client.get(_url(data, data["grid"]) + "?format=xlsx")
    book = load_workbook(io.BytesIO(response.data))
    cells = [row for sheet in book for row in sheet.iter_rows(values_only=True)]
    assert ("Information", "scale", 3, 3.33, None) in cells
    assert ("Projet", "Bruno", "Carte des signalements <b>v2</b>") in cells
    listing = client.get(_url(data) + "?format=csv").data.decode("utf-8-sig")
    assert "Grille du rôle des citoyens;Auto-évaluation;3;75" in listing


def test_instruments_with_their_own_page_or_another_course_are_not_found(
    data, client, login, make_user
):
    login(data["trainer"])
    for key in ("needs", "pre", "quiz"):
        assert client.get(_url(data, data[key])).status_code == 404
    course, _run, _trainer, _enrolments = cohort(make_user, [], key="autre")
    assert client.get(_url(data, _grid(course, "grille-autre"))).status_code == 404


def test_only_the_runs_trainers_and_admins_get_in(data, client, login, make_user):
    urls = [_url(data), _url(data, data["grid"]), _url(data, data["grid"]) + "?format=csv"]
    anonymous = client.get(urls[1])
    assert anonymous.status_code == 302 and "/compte/connexion" in anonymous.location
    login(make_user("trainer", name="Autre Formateur"))
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    learner = make_user("learner")
    enrol(data["run"], learner)
    login(learner)
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    login(make_user("admin"))
    assert free_texts(client.get(urls[1]).get_data(as_text=True))[0][0] == "Alice"


def test_trainer_run_page_links_to_the_questionnaires(data, client, login):
    login(data["trainer"])
    html = client.get(f"/formateur/sessions/{data['run'].id}").get_data(as_text=True)
    assert f'href="{_url(data)}"' in html


def _cohort_grid(make_user, size: int):
    names = [f"Apprenant {size}-{i}" for i in range(size)]
    course, run, trainer, enrolments = cohort(make_user, names, key=f"q{size}")
    grid = _grid(course, f"grille-{size}")
    for i, enrolment in enumerate(enrolments.values()):
        make_attempt(grid, enrolment, _answers(1 + i % 5, f"Projet {i}"))
    return f"/formateur/sessions/{run.id}/questionnaires", grid, trainer


def test_query_count_does_not_grow_with_respondents(app, make_user, client, login, count_queries):
    counts = []
    for size in (3, 15):
        listing, grid, trainer = _cohort_grid(make_user, size)
        login(trainer)
        for url in (listing, f"{listing}/{grid.id}"):
            assert client.get(url).status_code == 200
            with count_queries() as counter:
                client.get(url)
            counts.append(counter.count)
    assert counts[:2] == counts[2:]
