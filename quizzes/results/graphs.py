"""The charts of the trainer's reports, built from figures the reports already have (or one
SQL query for the score distribution); geometry comes from :mod:`lms.charts`.

- Likert answers (scale questions): diverging stacked bars (:func:`likert_chart`);
- a quiz's scores: histogram with the pass mark (:func:`score_histogram`);
- item analysis: facility × discrimination, questions to review flagged (:func:`item_map`);
- self-assessments: the cohort's pre/post per objective (:func:`pre_post_chart`) and the
  distribution of the learners' gains (:func:`gain_histogram`).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from lms import charts
from lms.db import db
from quizzes.blueprint import bp
from quizzes.models import Attempt
from quizzes.results import reports

#: Question types answered on an ordered scale (Likert).
SCALES = ("scale",)
#: Discrimination below this (× 100) or facility outside FACILE: the question is to review.
LOW_DISCRIMINATION = 20
FACILE = (20, 90)


def _level_css(level: int, levels: int) -> str:
    half = levels // 2
    distance = level - half if levels % 2 else (level - half + (level >= half))
    side = "neg" if distance < 0 else "pos" if distance > 0 else "mid"
    return f"seg-{side}-{abs(distance)}"


@bp.app_template_global("likert_chart")
def likert_chart(item) -> dict | None:
    """Diverging bars of one scale question's answers (a ``QuestionResult``), with its levels
    (label, CSS class) and rows for the table; None for other questions or without answers."""
    if item.question.type not in SCALES or not item.answered:
        return None
    options = [o for o in item.options if not o.key.startswith("_")]
    if len(options) < 2:
        return None
    counts = [o.count for o in options]
    label = item.question.title or _("Question %(n)d", n=item.question.position)
    levels = [{"label": o.label, "css": _level_css(i, len(options))} for i, o in enumerate(options)]
    negative = sum(counts[: len(options) // 2])
    positive = sum(counts[(len(options) + 1) // 2 :])
    desc = _(
        "%(n)d réponses : %(pos)s du côté « %(high)s », %(neg)s du côté « %(low)s ».",
        pos=charts.share_text(positive, item.answered),
        neg=charts.share_text(negative, item.answered),
        high=options[-1].label,
        low=options[0].label,
        n=item.answered,
    )
    return {
        "chart": charts.diverging([(label, counts)], len(options), labels=False),
        "id": f"likert-{item.question.id}",
        "title": _("Répartition des réponses : %(label)s", label=label),
        "desc": desc,
        "levels": levels,
        "rows": [(label, counts)],
    }


def first_scores(instrument_id: int, run_id: int) -> list[float]:
    """Scores in % of each learner's first finished attempt at a quiz in a run (one query)."""
    first = reports.first_attempts(instrument_id, run_id)
    rows = db.session.execute(
        sa.select(Attempt.score, Attempt.max_score).where(
            Attempt.id.in_(sa.select(first.c.attempt_id)),
            Attempt.score.is_not(None),
            Attempt.max_score > 0,
        )
    ).all()
    return [100.0 * score / top for score, top in rows]


def score_counts(scores: list[float]) -> list[tuple[float, int]]:
    """The distinct scores and how many people got each (a quiz has few distinct scores)."""
    found: dict[float, int] = {}
    for score in scores:
        found[score] = found.get(score, 0) + 1
    return sorted(found.items())


def score_histogram(
    instrument, run_id: int, bins: int = 10, counted: list | None = None
) -> dict | None:
    """Histogram of first-attempt scores with the quiz's pass mark; None without attempts.

    ``counted``: the first-attempt scores as (score, people) pairs when already known (stored
    analysis, see :func:`score_counts`)."""
    if counted is None:
        counted = score_counts(first_scores(instrument.id, run_id))
    if not counted:
        return None
    scores = [score for score, _n in counted]
    weights = [n for _score, n in counted]
    mark = (instrument.settings or {}).get("pass_mark")
    passed = sum(n for s, n in counted if mark is not None and s >= mark)
    counts = charts.bin_counts(scores, bins, weights)
    labels = [f"{round(100 * i / bins)}–{round(100 * (i + 1) / bins)}" for i in range(bins)]
    desc = _("Scores de %(n)d apprenants, par tranches de 10 %%.", n=sum(weights))
    if mark is not None:
        desc += " " + ngettext(
            "%(num)d atteint le seuil de réussite (%(mark)s %%, ligne pointillée).",
            "%(num)d atteignent le seuil de réussite (%(mark)s %%, ligne pointillée).",
            passed,
            mark=mark,
        )
    return {
        "chart": charts.histogram(scores, bins, mark, weights=weights),
        "id": f"scores-{instrument.id}",
        "title": _("Répartition des scores (première tentative)"),
        "desc": desc,
        "bins": list(zip(labels, counts, strict=True)),
    }


def to_review(stats) -> bool:
    """Whether a question's figures say to review it (too easy, too hard, or discriminating
    badly)."""
    if stats.facility is None:
        return False
    if stats.discrimination is not None and stats.discrimination < LOW_DISCRIMINATION:
        return True
    return not FACILE[0] <= stats.facility <= FACILE[1]


def item_map(all_stats) -> dict | None:
    """Facility × discrimination of the scored questions, labelled Q1, Q2… (their position);
    questions to review are squares and named in the description. None without figures."""
    points, flagged = [], []
    for stats in all_stats:
        if stats.facility is None:
            continue
        label = f"Q{stats.question.position}"
        review = to_review(stats)
        points.append((stats.facility, stats.discrimination or 0.0, label, review))
        if review:
            flagged.append(label)
    if not points:
        return None
    if flagged:
        desc = _(
            "Questions à revoir (carrés) : %(list)s — discrimination sous %(low)d, ou facilité "
            "hors de %(a)d–%(b)d %%.",
            list=", ".join(flagged),
            low=LOW_DISCRIMINATION,
            a=FACILE[0],
            b=FACILE[1],
        )
    else:
        desc = _("Aucune question à revoir : toutes discriminent et sont de difficulté moyenne.")
    return {
        "chart": charts.scatter(points, guide_y=LOW_DISCRIMINATION),
        "id": "item-map",
        "title": _("Facilité et discrimination des questions"),
        "desc": desc,
        "flagged": flagged,
    }


def pre_post_chart(table, top: float) -> dict | None:
    """The cohort's mean before and after, per objective, from the footer of the self-assessment
    table (:func:`quizzes.results.questionnaires.self_assessment_table`); None without both."""
    if not table.footer or not table.groups:
        return None
    footer = table.footer[0]
    rows, gains = [], []
    for index, (label, _span) in enumerate(table.groups[1:]):
        before, after = footer[1 + 3 * index], footer[2 + 3 * index]
        rows.append((label, before, after))
        if before is not None and after is not None:
            gains.append((label, after - before))
    if not gains:
        return None
    mean_gain = sum(g for _label, g in gains) / len(gains)
    best = max(gains, key=lambda pair: pair[1])
    desc = _(
        "Gain moyen du groupe : %(gain)s point sur une échelle de 1 à %(top)d ; le plus fort : "
        "%(best)s (%(best_gain)s).",
        gain=charts.signed(mean_gain),
        top=int(top),
        best=best[0],
        best_gain=charts.signed(best[1]),
    )
    return {
        "chart": charts.dumbbell(rows, 1, top),
        "id": "pre-post",
        "title": _("Moyennes du groupe avant et après, par objectif"),
        "desc": desc,
    }


def learner_gains(table) -> list[float]:
    """Each learner's mean gain (after − before, averaged over the objectives they answered both
    times) from the rows of the self-assessment table; learners without both are left out."""
    gains = []
    for row in table.rows:
        pairs = [(row[i], row[i + 1]) for i in range(1, len(row) - 1, 3)]
        both = [after - before for before, after in pairs if None not in (before, after)]
        if both:
            gains.append(sum(both) / len(both))
    return gains


def gain_histogram(table, top: float) -> dict | None:
    """Histogram of the learners' mean gains in half-point classes from −(top − 1) to +(top − 1);
    None when no learner answered before and after."""
    gains = learner_gains(table)
    if not gains:
        return None
    span = max(int(top) - 1, 1)
    bins = 4 * span
    edges = [-span + i / 2 for i in range(bins + 1)]
    ticks = [charts.signed(e) if e else "0" for e in edges]
    scaled = [100 * (min(max(g, -span), span) + span) / (2 * span) for g in gains]
    counts = charts.bin_counts(scaled, bins)
    progressed = sum(1 for g in gains if g > 0)
    return {
        "chart": charts.histogram(scaled, bins, ticks=ticks),
        "id": "gains",
        "title": _("Répartition des gains individuels"),
        "desc": _(
            "Gain moyen de chaque apprenant (après − avant, moyenne sur les objectifs), par "
            "tranches d'un demi-point : %(up)d sur %(n)d ont progressé.",
            up=progressed,
            n=len(gains),
        ),
        "bins": [(f"{ticks[i]} – {ticks[i + 1]}", counts[i]) for i in range(bins)],
        "heading": _("Gain (points)"),
    }


@bp.app_template_global("funnel_chart")
def funnel_chart(figures, key) -> dict | None:
    """Invited → reminded → answered → expired of a follow-up wave (``campaigns.figures.Figures``)
    as bars; None before any invitation."""
    if not figures.invited:
        return None
    steps = [
        (_("Invités"), figures.invited),
        (_("Relancés"), figures.reminded),
        (_("Ont répondu"), figures.answered),
        (_("Liens expirés"), figures.expired),
    ]
    return {
        "chart": charts.funnel(steps),
        "id": f"funnel-{key}",
        "title": _("Suivi de la vague : invités, relancés, réponses, liens expirés"),
        "desc": _(
            "%(answered)d réponses sur %(invited)d invités (%(rate)s), après %(reminded)d "
            "relances ; liens expirés sans réponse : %(expired)d.",
            answered=figures.answered,
            invited=figures.invited,
            rate=charts.share_text(figures.answered, figures.invited),
            reminded=figures.reminded,
            expired=figures.expired,
        ),
    }
