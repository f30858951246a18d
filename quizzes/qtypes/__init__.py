"""Question types: the handlers each registered type provides, and helpers reading the registry.

Each :class:`lms.plugins.QuestionType` contributed by this plugin has these ``handlers``:

- ``render(question) -> str``: name of its template, ``quizzes/qtypes/<type>.html``, rendered
  with ``question, field_name, response, readonly, review, options`` (see
  :func:`render_question`, which does it) and optionally ``number`` (shown in the legend);
- ``public(question) -> dict``: what a page may show before submission (never the right
  answers, weights or feedback);
- ``parse(question, form, field_name) -> dict``: the response in a POSTed form (never raises);
- ``grade(question, response) -> Grade``; ``correct(question) -> str``; ``empty(response)``;
- ``options(question) -> list[str]``: option keys in authored order (what an attempt may
  shuffle; the templates show them in the ``options`` order given);
- ``prepare(settings) -> settings``: run once at import to add keys and rendered HTML.

Responses: ``{"choice": key}`` (single choice, true/false as ``true``/``false``, scale, single,
yes/no as ``yes``/``no``), ``{"choices": [keys]}`` (multiple), ``{"text": str}`` (short answer,
numerical, essay, text), ``{"pairs": {sub-question key: answer key}}`` (matching),
``{"value": int}`` (score 0–10); ``"other"`` holds the "Autre (précisez)" text.

May import: ``lms``, :mod:`quizzes.models`, :mod:`quizzes.authoring.gift`.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import get_locale
from markupsafe import Markup

from lms.cache import app_cache
from lms.plugins import QuestionType, get_registry
from lms.shell import render_fragment
from quizzes.qtypes import choice, matching, survey, typed
from quizzes.qtypes import templating as _templating  # noqa: F401 - registers template filters
from quizzes.qtypes.base import Grade

__all__ = ["HANDLERS", "Grade", "get", "handler", "make_review", "render_question"]

#: Handlers of every built-in type, by type name.
HANDLERS: dict[str, dict] = {
    **choice.HANDLERS,
    **typed.HANDLERS,
    **matching.HANDLERS,
    **survey.HANDLERS,
}
REVIEW_ITEMS = ("score", "correctness", "feedback", "correct_answers")


def get(name: str) -> QuestionType | None:
    """The registered question type ``name`` (None if no loaded plugin provides it)."""
    return get_registry().question_types.get(name)


def handler(name: str, what: str):
    """The handler ``what`` of the registered type ``name``, or None."""
    qtype = get(name)
    return qtype.handlers.get(what) if qtype else None


def _state(points: float | None, max_score: float, graded: bool) -> str | None:
    if not graded or not max_score:
        return None
    if points is None:
        return "pending"
    if points >= max_score - 1e-9:
        return "right"
    return "partial" if points > 0 else "wrong"


def make_review(question, response: dict | None, shown: Iterable[str], answer=None) -> dict:
    """The ``review`` a question template receives: what to show, and what to show it with.

    ``shown`` is a subset of ``score``, ``correctness``, ``feedback``, ``correct_answers`` (the
    instrument's review options that apply now); ``answer`` the stored ``Answer`` if any (its
    score wins over automatic grading: a trainer may have graded it, with a comment).
    """
    shown = set(shown)
    qtype = get(question.type)
    graded = bool(qtype and qtype.graded)
    grade = qtype.handlers["grade"](question, response or {}) if qtype else Grade()
    points = answer.score if answer is not None else grade.score
    correct = qtype.handlers.get("correct") if qtype else None
    review = {item: item in shown for item in REVIEW_ITEMS}
    review.update(
        points=points,
        max_score=question.max_score,
        state=_state(points, question.max_score, graded),
        feedback_html=list(grade.feedback),
        correct_text=correct(question) if correct and "correct_answers" in shown else "",
        comment=getattr(answer, "comment", None),
    )
    return review


def render_question(
    question,
    field_name: str,
    response: dict | None = None,
    readonly: bool = False,
    review: dict | None = None,
    options: list[str] | None = None,
    number: int | None = None,
) -> Markup:
    """Render a question with its type's template (inputs, or the answer given in review).

    A question to answer (no review) of a type whose template is pure
    (:attr:`lms.plugins.QuestionType.pure_render`) is rendered once for the same inputs and
    language, then kept (:data:`RENDERED_ENTRIES` per worker): an attempt page shows the
    same questions again after each save, most of them unchanged, and rendering them was
    two thirds of the page.
    """
    qtype = get(question.type)
    render = qtype.handlers.get("render") if qtype else None
    if render is None:
        return Markup("")
    template = render(question)
    context = {
        "question": question,
        "field_name": field_name,
        "response": response or {},
        "readonly": readonly or review is not None,
        "review": review,
        "options": options,
        "number": number,
    }
    if review is not None or not qtype.pure_render:
        return render_fragment(template, **context)
    key = _rendered_key(template, context)
    cache = app_cache(_RENDERED, RENDERED_ENTRIES)
    html = cache.get(key)
    if html is None:
        html = render_fragment(template, **context)
        cache.put(key, html)
    return html


#: Questions' HTML kept per worker (a few KB each).
RENDERED_ENTRIES = 1024
_RENDERED = "quizzes.rendered_questions"


def _rendered_key(template: str, context: dict) -> tuple:
    """Everything a pure question template reads: the question's own fields, the variables
    it is given and the language (its texts and number formats).

    The settings and the response (JSON values) enter the key as their ``repr``: equal
    ``repr``, equal values (``True`` and ``1`` differ, as do ``1`` and ``1.0``); the same
    value with its keys in another order only misses the kept HTML. About half the cost of
    ``json.dumps`` with sorted keys, twelve questions a page."""
    question = context["question"]
    options = context["options"]
    return (
        template,
        str(get_locale()),
        question.id,
        question.type,
        question.position,
        question.required,
        question.stem_html,
        repr(question.settings),
        context["field_name"],
        repr(context["response"]),
        context["readonly"],
        None if options is None else tuple(options),
        context["number"],
    )
