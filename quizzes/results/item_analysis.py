"""Item analysis of a quiz, the figures of Moodle's quiz statistics report.

Computed over each learner's first finished attempt (as Moodle does by default), from SQL sums
(:func:`quizzes.results.reports.question_sums`): for a question scored x out of ``max`` and
the rest of the test y (the attempt's total minus x), over n attempts:

- facility index = mean(x) / max, as a percentage;
- standard deviation = sample standard deviation of x / max, as a percentage;
- discrimination index = Pearson's r(x, y) × 100, from the sums:
  r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import gettext as _

from quizzes.models import Instrument, Question
from quizzes.qtypes.common import plain as plain_text
from quizzes.results import reports
from quizzes.taking.layout import handler

#: Question types without an answer: left out of the analysis.
TEXT_ONLY = ("description", "info")
#: Key of the « Autre (précisez) » option of questionnaires.
OTHER = "_other"


@dataclass
class Option:
    """One answer option: its key, a plain-text label, its share of the mark (None: unknown)."""

    key: str
    label: str
    fraction: float | None = None
    count: int = 0


@dataclass
class ItemStats:
    """The statistics of one question."""

    question: Question
    n: int = 0
    facility: float | None = None
    sd: float | None = None
    discrimination: float | None = None
    options: list[Option] = field(default_factory=list)


def statistics(n, sx, sxx, sy, syy, sxy, max_score: float) -> tuple:
    """(facility %, standard deviation %, discrimination %) from the sums; None when undefined."""
    if not n or not max_score:
        return None, None, None
    facility = 100.0 * sx / n / max_score
    sd = None
    if n > 1:
        variance = (sxx - sx * sx / n) / (n - 1)
        sd = 100.0 * math.sqrt(max(variance, 0.0)) / max_score
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    discrimination = 100.0 * (n * sxy - sx * sy) / math.sqrt(spread) if spread > 1e-12 else None
    return facility, sd, discrimination


def _label(item: dict) -> str:
    for name in ("label", "text", "label_html", "html"):
        value = item.get(name)
        if isinstance(value, dict):
            value = value.get("text")
        if isinstance(value, str) and value.strip():
            return plain_text(value) if "html" in name else value.strip()
    return str(item.get("key", ""))


def _fractions(question: Question) -> dict[str, float]:
    """Share of the mark of each GIFT choice, by key (true/false: the right one gets 1)."""
    data = question.settings or {}
    if question.type == "true_false":
        right = "true" if data.get("correct_answer", True) else "false"
        return {"true": float(right == "true"), "false": float(right == "false")}
    found: dict[str, float] = {}
    for choice in data.get("choices") or []:
        if isinstance(choice, dict) and choice.get("key") is not None:
            fraction = choice.get("fraction")
            if fraction is None:
                fraction = 1.0 if choice.get("correct") else 0.0
            found[str(choice["key"])] = float(fraction)
    return found


def _listed_options(question: Question) -> list[dict]:
    public = handler(question, "public")
    try:
        data = public(question) if public else {}
    except Exception:  # noqa: BLE001 - a broken type must not break the report
        data = {}
    data = data if isinstance(data, dict) else {}
    listed = data.get("choices") or data.get("options")
    if not listed:
        listed = (question.settings or {}).get("options") or []
    return [item for item in listed if isinstance(item, dict) and "key" in item]


def options(question: Question) -> list[Option]:
    """The question's options in their natural order, with labels and, for GIFT choices, the
    share of the mark each earns (from the type's ``public`` data, else the settings)."""
    fractions = _fractions(question)
    found = [
        Option(str(item["key"]), _label(item), fractions.get(str(item["key"])))
        for item in _listed_options(question)
    ]
    if (question.settings or {}).get("other"):
        found.append(Option(OTHER, _("Autre (précisez)")))
    return found


def _recorded(question: Question) -> dict[str, tuple[str, float]]:
    """Text and share of the mark of the keys a type records without listing them as options
    (matching pairs, accepted short answers, numerical answers)."""
    labels = handler(question, "labels")
    try:
        return labels(question) if labels else {}
    except Exception:  # noqa: BLE001 - a broken type must not break the report
        return {}


def with_counts(question: Question, counts: dict[str, int]) -> list[Option]:
    """The options with how often each was chosen; keys chosen but not listed come last,
    named by their text when the type knows it (never by an internal key when it does)."""
    found = options(question)
    known = {o.key for o in found}
    recorded = _recorded(question)
    for key in sorted(counts, key=lambda k: (recorded.get(k, (k,))[0], k)):
        if key not in known:
            label, fraction = recorded.get(key, (key, None))
            found.append(Option(key, label, fraction))
    for option in found:
        option.count = counts.get(option.key, 0)
    return found


def analysed_questions(instrument: Instrument) -> list[Question]:
    """The live questions of the quiz that have an answer to analyse, in order."""
    return [q for q in reports.live_questions([instrument.id]) if q.type not in TEXT_ONLY]


def figures(instrument: Instrument, run_id: int, questions: list[Question]) -> dict:
    """The SQL figures of the analysis, as plain JSON data (they can be stored): the number of
    first attempts, per scored question the sums (n, Σx, Σx², Σy, Σy², Σxy), per question the
    times each option was chosen. Three queries, whatever the number of learners."""
    scored = [q.id for q in questions if q.max_score]
    sums = reports.question_sums(instrument.id, run_id, scored)
    first = reports.first_attempt_ids(instrument.id, run_id)
    return {
        "attempts": reports.count_rows(first),
        "sums": {
            str(qid): [int(r.n), *(float(v or 0) for v in (r.sx, r.sxx, r.sy, r.syy, r.sxy))]
            for qid, r in sums.items()
        },
        "counts": {str(qid): c for qid, c in reports.choice_counts(first).items()},
    }


def analyse(
    instrument: Instrument,
    run_id: int,
    found: dict | None = None,
    questions: list[Question] | None = None,
) -> tuple[int, list[ItemStats]]:
    """(number of first attempts, statistics per question) of a quiz in a run.

    ``found``: the figures (:func:`figures`) when already known (stored); else computed.
    ``questions``: :func:`analysed_questions` when already read.
    A fixed number of queries, whatever the number of learners or questions.
    """
    if questions is None:
        questions = analysed_questions(instrument)
    if found is None:
        found = figures(instrument, run_id, questions)
    attempts = found["attempts"]
    result = []
    for question in questions:
        row = found["sums"].get(str(question.id))
        stats = ItemStats(question, n=row[0] if row else attempts)
        if row:
            stats.facility, stats.sd, stats.discrimination = statistics(*row, question.max_score)
        stats.options = with_counts(question, found["counts"].get(str(question.id), {}))
        result.append(stats)
    return attempts, result


def type_label(question: Question) -> str:
    """The human label of the question's type (its name when the type is not registered)."""
    from quizzes.taking.layout import qtype

    found = qtype(question)
    return str(found.label) if found else question.type


def fraction_text(fraction: float | None) -> str:
    """« 100 % », « -50 % »… of an option's share of the mark; empty when unknown."""
    if fraction is None:
        return ""
    return f"{round(fraction * 100, 2):g} %"


def question_name(question: Question) -> str:
    """A short name of the question: its title, else its key."""
    return question.title or question.key or _("Question")
