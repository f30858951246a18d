"""GIFT matching: each sub-question is matched with one answer; each right pair earns 1/n."""

from __future__ import annotations

from quizzes.qtypes.base import (
    Grade,
    form_text,
    normalise,
    points,
    response_dict,
    text_html,
    text_key,
)
from quizzes.qtypes.common import (
    base_public,
    general_feedback,
    gift_prepare,
    items,
    plain,
    template,
)


def prepare(data: dict) -> dict:
    """Key every sub-question and every distinct answer; answers sorted by text (at import).

    The sorted list is what the page shows, so the authored order (which pairs them) is never
    revealed.
    """
    answer_keys: dict[str, str] = {}
    used_answers: set[str] = set()
    for text in sorted({p.get("answer", "") for p in data.get("pairs", [])}, key=normalise):
        answer_keys[text] = text_key(text, used_answers, "r")
    used: set[str] = set()
    for pair in data.get("pairs", []):
        pair["answer_key"] = answer_keys.get(pair.get("answer", ""))
        question = pair.get("question") or {}
        if question.get("text"):
            pair["key"] = text_key(question["text"], used, "m")
            pair["html"] = text_html(question, inline=True)
    data["answers"] = [{"key": key, "text": text} for text, key in answer_keys.items()]
    return gift_prepare(data)


def _pairs(question) -> list[dict]:
    """The sub-questions (distractors, which have no sub-question, left out)."""
    return [p for p in items(question, "pairs") if p.get("key")]


def options(question) -> list[str]:
    """Keys of the answers offered in each list, in their (sorted) display order."""
    return [str(a["key"]) for a in items(question, "answers") if a.get("key")]


def public(question) -> dict:
    """Sub-questions and the sorted answers, never which goes with which."""
    data = base_public(question)
    data["items"] = [{"key": p["key"], "html": p.get("html", "")} for p in _pairs(question)]
    data["answers"] = [
        {"key": a["key"], "text": a.get("text", "")}
        for a in items(question, "answers")
        if a.get("key")
    ]
    return data


def parse(question, form, field_name: str) -> dict:
    """``{"pairs": {sub-question key: answer key}}`` of the lists set to a known answer."""
    known = set(options(question))
    chosen = {}
    for pair in _pairs(question):
        value = form_text(form, f"{field_name}-{pair['key']}")
        if value in known:
            chosen[str(pair["key"])] = value
    return {"pairs": chosen} if chosen else {}


def _chosen(response) -> dict[str, str]:
    pairs = response_dict(response).get("pairs")
    if not isinstance(pairs, dict):
        return {}
    return {str(k): v for k, v in pairs.items() if isinstance(v, str)}


def grade(question, response) -> Grade:
    """Each sub-question matched with its answer earns 1/n of the mark."""
    subs = _pairs(question)
    chosen = _chosen(response)
    right = sum(1 for p in subs if chosen.get(p["key"]) == p.get("answer_key"))
    fraction = right / len(subs) if subs else 0.0
    keys = [f"{p['key']}:{chosen[p['key']]}" for p in subs if p["key"] in chosen]
    return Grade(points(question, fraction), keys, None, general_feedback(question))


def correct(question) -> str:
    """``sub-question → answer`` for every pair."""
    return " ; ".join(f"{plain(p.get('html'))} → {p.get('answer', '')}" for p in _pairs(question))


def labels(question) -> dict[str, tuple[str, float]]:
    """``{"sub:answer": ("sub-question → answer", share of the mark)}`` of every possible pair
    (the keys a graded response records), for reports."""
    subs = _pairs(question)
    share = 1.0 / len(subs) if subs else 0.0
    found = {}
    for pair in subs:
        for answer in items(question, "answers"):
            if answer.get("key"):
                text = f"{plain(pair.get('html'))} → {answer.get('text', '')}"
                right = answer["key"] == pair.get("answer_key")
                found[f"{pair['key']}:{answer['key']}"] = (text, share if right else 0.0)
    return found


def empty(response) -> bool:
    """No list set."""
    return not _chosen(response)


HANDLERS = {
    "matching": {
        "render": template("matching"),
        "prepare": prepare,
        "options": options,
        "public": public,
        "parse": parse,
        "grade": grade,
        "correct": correct,
        "labels": labels,
        "empty": empty,
    }
}
