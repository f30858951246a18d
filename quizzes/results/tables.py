"""The tables of the trainer's quiz pages, built from the rows of :mod:`quizzes.results.reports`.

The page renders them and the exports write them: one set of rows for both.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for
from flask_babel import to_user_timezone

from lms.i18n import gettext as _
from lms.urls import url_builder
from quizzes.models import AttemptState, Instrument, InstrumentKind
from quizzes.results import reports
from quizzes.results.exports import Cell, Table
from quizzes.results.item_analysis import ItemStats, fraction_text, question_name, type_label

#: Learners read and written per batch by an export of every learner.
EXPORT_BATCH = 500


class _Words:
    """The texts of the results cells, translated once per table (a page of 50 learners has
    hundreds of cells)."""

    def __init__(self) -> None:
        self.number = _("n° %(n)d")
        self.in_progress = _("n° %(n)d (en cours)")
        self.to_grade = _("n° %(n)d (à corriger)")
        self.none = _("aucune tentative terminée")
        self.passed = _("réussi")
        self.pending = _("à corriger")
        self.failed = _("pas encore réussi")
        #: an attempt's page, its URL built once per table (thousands of links a page)
        self.attempt_url = url_builder("quizzes.attempt_detail", "attempt_id")


def _attempt_link(row, words: _Words) -> tuple[str, str]:
    pattern = words.number
    if row.state == AttemptState.IN_PROGRESS:
        pattern = words.in_progress
    elif row.state == AttemptState.NEEDS_GRADING:
        pattern = words.to_grade
    return pattern % {"n": row.number}, words.attempt_url(row.id)


def _passed_cell(result, words: _Words) -> Cell:
    if result is None:
        return Cell(None, text="—", label=words.none)
    if result.passed:
        return Cell(True, text="✓", label=words.passed, css="ok")
    if result.pending:
        return Cell(words.pending, css="warn")
    return Cell(False, text="✗", label=words.failed, css="bad")


def _result_cells(result, attempts: list, words: _Words) -> list[Cell]:
    finished = [a for a in attempts if a.percent is not None]
    best = max(finished, key=lambda a: a.percent, default=None)
    score = None if result is None or result.best is None else round(float(result.best), 1)
    return [
        Cell(score, href=words.attempt_url(best.id) if best is not None else None),
        Cell(result.attempts if result else 0, links=[_attempt_link(a, words) for a in attempts]),
        _passed_cell(result, words),
    ]


def _results_header(quizzes: list[Instrument]) -> Table:
    return Table(
        "resultats",
        _("Résultats aux quiz"),
        [_("Apprenant")] + [_("Meilleur score (%)"), _("Tentatives"), _("Réussi")] * len(quizzes),
        groups=[("", 1)] + [(quiz.title, 3) for quiz in quizzes],
        numeric={i for i in range(1, 1 + 3 * len(quizzes)) if i % 3 != 0},
    )


def _results_rows(quizzes: list[Instrument], learners, matrix: dict, attempts: list):
    by_cell: dict[tuple[int, int], list] = {}
    for row in attempts:
        by_cell.setdefault((row.user_id, row.instrument_id), []).append(row)
    words = _Words()
    for learner in learners:
        row: list = [learner.name]
        for quiz in quizzes:
            key = (learner.user_id, quiz.id)
            row += _result_cells(matrix.get(key), by_cell.get(key, []), words)
        yield row


def results_table(quizzes: list[Instrument], learners: list, matrix: dict, attempts: list) -> Table:
    """Learner × quiz: best score (%), attempts (links to each), passed."""
    table = _results_header(quizzes)
    table.rows = list(_results_rows(quizzes, learners, matrix, attempts))
    return table


def results_export_table(run_id: int, quizzes: list[Instrument], learners: list) -> Table:
    """The results table of every learner for a file: its rows are read and formatted a batch
    of :data:`EXPORT_BATCH` learners at a time while the file is sent (memory stays flat)."""
    table = _results_header(quizzes)
    ids = [quiz.id for quiz in quizzes]

    def rows():
        for start in range(0, len(learners), EXPORT_BATCH):
            batch = learners[start : start + EXPORT_BATCH]
            users = [learner.user_id for learner in batch]
            matrix = reports.results_matrix(run_id, ids, users)
            yield from _results_rows(
                quizzes, batch, matrix, reports.run_attempts(run_id, ids, users)
            )

    table.rows = rows()
    return table


def queue_table(rows: list, format_datetime: Callable) -> Table:
    """Essays waiting for a grade: learner, instrument, question (link), attempt, sent on."""
    table = Table(
        "a-corriger",
        _("Réponses à corriger"),
        [_("Apprenant"), _("Évaluation"), _("Question"), _("Tentative"), _("Envoyée le")],
        numeric={3},
    )
    detail = url_builder("quizzes.attempt_detail", "attempt_id")
    for row in rows:
        sent = row.submitted_at
        table.rows.append(
            [
                row.learner,
                row.instrument,
                Cell(
                    row.question or _("Question %(n)d", n=row.position),
                    href=f"{detail(row.attempt_id)}#question-{row.question_id}",
                ),
                row.number,
                Cell(
                    to_user_timezone(sent).replace(tzinfo=None) if sent else None,
                    text=format_datetime(sent, "short") if sent else "—",
                ),
            ]
        )
    return table


def _question_label(stats: ItemStats) -> str:
    return f"{stats.question.position}. {question_name(stats.question)}"


def _questions_table() -> Table:
    headers = [
        _("Question"),
        _("Type"),
        _("Note max."),
        _("Tentatives"),
        _("Indice de facilité (%)"),
        _("Écart type (%)"),
        _("Indice de discrimination (%)"),
    ]
    return Table("questions", _("Statistiques par question"), headers, numeric={2, 3, 4, 5, 6})


def _choices_table() -> Table:
    headers = [
        _("Question"),
        _("Réponse"),
        _("Part de la note"),
        _("Choisie (nombre)"),
        _("Choisie (%)"),
    ]
    return Table("reponses", _("Réponses choisies"), headers, numeric={2, 3, 4})


def item_tables(instrument: Instrument, stats: list[ItemStats]) -> list[Table]:
    """Statistics per question, and how often each answer was chosen."""
    questions, choices = _questions_table(), _choices_table()
    for item in stats:
        label = _question_label(item)
        question = item.question
        questions.rows.append(
            [label, type_label(question), question.max_score, item.n]
            + [item.facility, item.sd, item.discrimination]
        )
        for option in item.options:
            share = 100.0 * option.count / item.n if item.n else None
            choices.rows.append(
                [label, option.label, fraction_text(option.fraction), option.count, share]
            )
    return [questions, choices]


def _kind_label(instrument: Instrument) -> str:
    if instrument.kind == InstrumentKind.SELF_ASSESSMENT:
        return _("Auto-évaluation")
    return _("Questionnaire")


def questionnaires_table(
    run_id: int, instruments: list[Instrument], respondents: dict[int, int], enrolled: int
) -> Table:
    """The run's other questionnaires: title (a link to its results), kind, respondents, and the
    response rate of those the learners answer."""
    table = Table(
        "questionnaires",
        _("Questionnaires et auto-évaluations"),
        [_("Questionnaire"), _("Type"), _("Répondants"), _("Taux de réponse (%)")],
        numeric={2, 3},
    )
    for instrument in instruments:
        count = respondents.get(instrument.id, 0)
        by_learners = (instrument.settings or {}).get("respondent", "learner") == "learner"
        url = url_for("quizzes.questionnaire_results", run_id=run_id, instrument_id=instrument.id)
        rate = 100.0 * count / enrolled if enrolled and by_learners else None
        table.rows.append([Cell(instrument.title, href=url), _kind_label(instrument), count, rate])
    return table
