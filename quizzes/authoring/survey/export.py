"""Survey data (what ``parse`` returns) -> ``.survey`` text that parses back to the same data."""

from __future__ import annotations

from quizzes.authoring.headers import quoted
from quizzes.authoring.survey.meta import FIELDS


def _meta(meta: dict) -> list[str]:
    lines = ["---"]
    for name in FIELDS:
        value = meta.get(name)
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, str):
            value = quoted(value)
        lines.append(f"{name}: {value}")
    return [*lines, "---"]


def _head(question: dict, infos: int) -> str:
    parts = ["?", question["type"]]
    auto = question["type"] == "info" and question["key"] == f"info-{infos}"
    if not auto:
        parts.append(question["key"])
    if question.get("required"):
        parts.append("required")
    if question.get("competency"):
        parts.append(f"competency={question['competency']}")
    if question.get("other"):
        parts.append("other")
    if question.get("lines"):
        parts.append(f"lines={question['lines']}")
    return " ".join(parts)


def export(survey: dict) -> str:
    """Write a survey as a ``.survey`` file: front matter, intro, sections and blocks."""
    lines = _meta(survey.get("meta") or {})
    intro = (survey.get("intro") or "").strip("\n")
    if intro.strip():
        lines += ["", intro]
    section = None
    infos = 0
    for question in survey.get("questions") or []:
        if question.get("section") != section and question.get("section"):
            lines += ["", f"## {question['section']}"]
        section = question.get("section")
        infos += question["type"] == "info"
        lines += ["", _head(question, infos), question.get("text", "")]
        lines += [f"- {o['key']} {o['label']}" for o in question.get("options") or []]
    return "\n".join(lines) + "\n"
