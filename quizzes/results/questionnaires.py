"""Results of questionnaires for trainers: needs (named), satisfaction (anonymous), self-assessment.

Figures come from SQL aggregates (:mod:`quizzes.results.reports`,
:mod:`quizzes.results.competencies`); this module shapes them for the page and for the
exports (:class:`quizzes.results.exports.Table`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from quizzes.models import Instrument, InstrumentKind, Purpose, Question
from quizzes.results import free_texts, reports
from quizzes.results.competencies import objectives, pre_post_means
from quizzes.results.exports import Table
from quizzes.results.item_analysis import Option, question_name, with_counts

#: Purposes with a report of their own (needs, pre/post self-assessments, satisfaction, the
#: trainer's review, follow-up campaigns); other questionnaires have the « Questionnaires » pages.
OWN_PAGES = (
    Purpose.NEEDS,
    Purpose.PRE,
    Purpose.POST,
    Purpose.SATISFACTION,
    Purpose.TRAINER_REVIEW,
    Purpose.FOLLOWUP_6M,
    Purpose.FOLLOWUP_12M,
)
#: Types answered with options counted from AnswerChoice rows.
COUNTED = ("scale", "single", "multiple", "yesno", "single_choice", "multiple_choice")
#: Types with a mean of ``Answer.value``.
MEANS = ("scale", "score")
#: Types whose answers are free text (``other`` texts of single/multiple too).
TEXTS = free_texts.TEXTS
text_questions = free_texts.text_questions


@dataclass
class QuestionResult:
    """What a questionnaire page shows of one question."""

    question: Question
    options: list[Option] = field(default_factory=list)
    answered: int = 0
    mean: float | None = None
    nps: dict | None = None
    texts: list[tuple[str | None, str]] = field(default_factory=list)
    #: Free texts of the whole run, when they are listed apart (a page at a time).
    text_count: int = 0


@dataclass
class InstrumentResult:
    """One questionnaire's results in a run."""

    instrument: Instrument
    respondents: int
    questions: list[QuestionResult]


def is_other_questionnaire(instrument: Instrument) -> bool:
    """Whether a questionnaire or self-assessment has no report of its own (purpose ``survey``…)."""
    return instrument.kind != InstrumentKind.QUIZ and instrument.purpose not in OWN_PAGES


def other_questionnaires(run) -> list[Instrument]:
    """The run's questionnaires and self-assessments without a report of their own (one query)."""
    purposes = tuple(p for p in Purpose if p not in OWN_PAGES)
    return [i for i in reports.run_instruments(run, purposes=purposes) if is_other_questionnaire(i)]


def names_authors(instrument: Instrument) -> bool:
    """Whether free texts show who wrote them: yes for self-assessments and ``survey``
    questionnaires (exercises, group work), as on the needs page; other ones stay anonymous."""
    return instrument.kind == InstrumentKind.SELF_ASSESSMENT or instrument.purpose == Purpose.SURVEY


def _score_options(counts: dict[float, int]) -> list[Option]:
    return [Option(str(v), str(v), count=counts.get(float(v), 0)) for v in range(11)]


def nps(counts: dict[float, int]) -> dict | None:
    """Net promoter score of 0–10 answers: % of 9–10 minus % of 0–6 (None without answers)."""
    total = sum(counts.values())
    if not total:
        return None
    promoters = sum(n for v, n in counts.items() if v >= 9)
    detractors = sum(n for v, n in counts.items() if v <= 6)
    return {
        "promoters": promoters,
        "passives": total - promoters - detractors,
        "detractors": detractors,
        "score": round(100.0 * (promoters - detractors) / total),
    }


def _mean(counts: dict[float, int]) -> float | None:
    total = sum(counts.values())
    return sum(v * n for v, n in counts.items()) / total if total else None


def _text_of(response, question: Question) -> str:
    response = response if isinstance(response, dict) else {}
    key = "text" if question.type in TEXTS else "other"
    value = response.get(key)
    return value.strip() if isinstance(value, str) else ""


def instrument_results(
    instrument: Instrument, run_id: int | list[int], named: bool, with_texts: bool = True
) -> InstrumentResult:
    """Distribution, mean, NPS and free texts per question (six queries per instrument), in
    one run or added up over a list of runs.

    ``named``: free texts come with the learner's name (needs), else anonymised and sorted
    (satisfaction). ``with_texts=False``: only the number of free texts per question
    (``text_count``), for a page that lists them a page at a time (:mod:`.free_texts`).
    """
    ids = reports.finished_attempt_ids(instrument.id, run_id)
    return results_of(instrument, ids, named, with_texts)


def results_of(
    instrument: Instrument, ids, named: bool, with_texts: bool = True
) -> InstrumentResult:
    """:func:`instrument_results` over the attempts of ``ids`` (a select of attempt ids), for
    answers that belong to no run (survey campaigns)."""
    questions = [q for q in reports.live_questions([instrument.id]) if q.type != "info"]
    choices = reports.choice_counts(ids)
    answered = reports.answered_counts(ids)
    values = reports.value_counts(ids)
    with_text = text_questions(questions)
    texts: dict[int, list] = {}
    if with_texts:
        for question_id, response, name in reports.answers_of(ids, with_text):
            texts.setdefault(question_id, []).append((name, response))
    text_counts = {} if with_texts else free_texts.counts(ids, with_text)
    found = []
    for question in questions:
        result = QuestionResult(question)
        counted = values.get(question.id, {})
        if question.type == "score":
            result.options, result.nps = _score_options(counted), nps(counted)
            result.answered = sum(counted.values())
        elif question.type in COUNTED:
            result.options = with_counts(question, choices.get(question.id, {}))
            result.answered = answered.get(question.id, 0)
        if question.type in MEANS:
            result.mean = _mean(counted)
        result.texts = _texts(question, texts.get(question.id, []), named)
        result.text_count = text_counts.get(question.id, len(result.texts))
        if question.type in TEXTS:
            result.answered = result.text_count
        found.append(result)
    return InstrumentResult(instrument, reports.count_rows(ids), found)


def _texts(question: Question, rows: list, named: bool) -> list[tuple[str | None, str]]:
    found = []
    for name, response in rows:
        text = _text_of(response, question)
        if text:
            found.append((name if named else None, text))
    if not named:
        found.sort(key=lambda item: item[1].casefold())
    return found


def _percent(count: int, total: int) -> float | None:
    return 100.0 * count / total if total else None


def survey_tables(result: InstrumentResult, named: bool) -> list[Table]:
    """The tables of one questionnaire: distribution, summary per question, free texts."""
    title = result.instrument.title
    key = result.instrument.key
    distribution = Table(
        f"{key}-repartition",
        _("%(title)s — répartition des réponses", title=title),
        [_("Question"), _("Réponse"), _("Nombre"), _("Part des répondants à la question (%)")],
        numeric={2, 3},
    )
    summary = Table(
        f"{key}-synthese",
        _("%(title)s — synthèse par question", title=title),
        [_("Question"), _("Type"), _("Réponses"), _("Moyenne"), _("NPS")],
        numeric={2, 3, 4},
    )
    texts = Table(
        f"{key}-reponses-libres",
        _("%(title)s — réponses libres", title=title),
        [_("Question"), *([_("Apprenant")] if named else []), _("Réponse")],
    )
    for item in result.questions:
        name = question_name(item.question)
        for option in item.options:
            distribution.rows.append(
                [name, option.label, option.count, _percent(option.count, item.answered)]
            )
        summary.rows.append(
            [name, item.question.type, item.answered, item.mean, (item.nps or {}).get("score")]
        )
        for who, text in item.texts:
            texts.rows.append([name, *([who] if named else []), text])
    return [summary, distribution, texts]


def _mean_of(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def self_assessment_table(run, learners: list) -> Table:
    """Learner × competency: pre mean, post mean and gain, with the cohort's means as footer.

    One aggregate query (:func:`quizzes.results.competencies.pre_post_means`).
    """
    means = pre_post_means(run.id, [row.user_id for row in learners])
    competencies = objectives(run.course)
    known = {key for key, _text in competencies}
    competencies += [(k, k) for k in sorted({c for _u, _p, c in means}) if k not in known]
    table = Table(
        "auto-evaluations",
        _("Auto-évaluations avant / après, par compétence"),
        [_("Apprenant")] + [_("Avant"), _("Après"), _("Gain")] * len(competencies),
        groups=[("", 1)] + [(text, 3) for _key, text in competencies],
        numeric=set(range(1, 1 + 3 * len(competencies))),
    )
    columns: list[list[list[float]]] = [[[], [], []] for _c in competencies]
    for learner in learners:
        row: list = [learner.name]
        for index, (key, _text) in enumerate(competencies):
            pre = means.get((learner.user_id, Purpose.PRE, key))
            post = means.get((learner.user_id, Purpose.POST, key))
            gain = post - pre if pre is not None and post is not None else None
            for slot, value in enumerate((pre, post, gain)):
                if value is not None:
                    columns[index][slot].append(value)
            row += [pre, post, gain]
        table.rows.append(row)
    footer: list = [_("Moyenne du groupe")]
    for slots in columns:
        footer += [_mean_of(values) for values in slots]
    table.footer.append(footer)
    return table
