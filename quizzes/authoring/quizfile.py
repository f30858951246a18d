"""A quiz file: an optional ``// ---`` header of settings in GIFT comments, then GIFT questions.

Comments keep the file valid for Moodle. ``read_quiz`` returns plain JSON-able data; errors are
``GiftError`` (GIFT) or ``SourceError`` (header), both with ``line`` and ``column``.
"""

from __future__ import annotations

from quizzes.authoring import gift
from quizzes.authoring.headers import (
    SourceError,
    as_bool,
    as_choice,
    as_int,
    as_key,
    as_subset,
    as_text,
    check_known,
    key_from_name,
    quoted,
    read_fields,
    title_from_name,
)

MARK = "// ---"
PURPOSES = ("validation", "exam", "practice")
REVIEW_ITEMS = ("score", "correctness", "feedback", "correct_answers")
FIELDS = (
    "key",
    "title",
    "purpose",
    "pass_mark",
    "attempts",
    "time_limit",
    "shuffle_questions",
    "shuffle_answers",
    "review_after_attempt",
    "review_after_close",
)
DEFAULTS = {
    "purpose": "practice",
    "pass_mark": 50,
    "attempts": 0,
    "time_limit": None,
    "shuffle_questions": False,
    "shuffle_answers": False,
    "review_after_attempt": ["score", "correctness", "feedback"],
    "review_after_close": list(REVIEW_ITEMS),
}
#: Settings of a quiz that the instrument keeps (the rest is its content).
SETTINGS = tuple(DEFAULTS)


def split_header(text: str, filename: str) -> tuple[list[tuple[int, str]], int]:
    """Return (numbered header field lines, number of lines the header takes, 0 if none)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or lines[index].strip() != MARK:
        return [], 0
    opening, fields = index, []
    for index in range(opening + 1, len(lines)):
        line = lines[index].strip()
        if line == MARK:
            return fields, index + 1
        if not line.startswith("//"):
            break
        fields.append((index + 1, line[2:]))
    raise SourceError(
        "the header opened here is not closed by a '// ---' line", opening + 1, 1, filename
    )


def read_meta(fields: dict, filename: str) -> dict:
    """Check the header fields and fill in the defaults."""
    check_known(fields, FIELDS, filename)
    get = fields.get
    meta = dict(DEFAULTS, review_after_attempt=list(DEFAULTS["review_after_attempt"]))
    meta["key"] = as_key(get("key"), filename) if get("key") else key_from_name(filename)
    meta["title"] = as_text(get("title"), filename) if get("title") else title_from_name(filename)
    if get("purpose"):
        meta["purpose"] = as_choice(get("purpose"), filename, PURPOSES)
    if get("pass_mark"):
        meta["pass_mark"] = as_int(get("pass_mark"), filename, 0, 100)
    if get("attempts"):
        meta["attempts"] = as_int(get("attempts"), filename, 0, 1000)
    if get("time_limit"):
        meta["time_limit"] = as_int(get("time_limit"), filename, 1, 24 * 60)
    for name in ("shuffle_questions", "shuffle_answers"):
        if get(name):
            meta[name] = as_bool(get(name), filename)
    for name in ("review_after_attempt", "review_after_close"):
        if get(name) is not None:
            meta[name] = as_subset(get(name), filename, REVIEW_ITEMS)
    return meta


def read_quiz(text: str, filename: str = "<gift>") -> dict:
    """Parse a quiz file: ``{"meta", "questions", "source"}`` (``source``: the GIFT after the
    header). Raises ``SourceError`` or ``gift.GiftError``."""
    header, used = split_header(text, filename)
    meta = read_meta(read_fields(header, filename), filename)
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blanked = "\n".join([""] * used + lines[used:])
    questions = questions_data(gift.parse(blanked, filename), filename)
    if not any(q["type"] != "description" for q in questions):
        raise SourceError("the quiz has no question", max(used, 1), 1, filename)
    return {"meta": meta, "questions": questions, "source": "\n".join(lines[used:]).strip("\n")}


def questions_data(items: list, filename: str) -> list[dict]:
    """Questions as data, each with its key: ``[id:...]``, else the title, else ``q<n>``."""
    questions: list[dict] = []
    used: dict[str, int] = {}
    category = None
    for item in items:
        if isinstance(item, gift.Category):
            category = item.path
            continue
        key = _key(item, len(questions) + 1, used, filename)
        questions.append(
            {
                "key": key,
                "type": item.type,
                "title": item.title,
                "line": item.line,
                "category": category,
                "settings": item.to_settings(),
            }
        )
    return questions


def _key(item, position: int, used: dict[str, int], filename: str) -> str:
    if item.idnumber:
        key = item.idnumber[:120]
        if key in used:
            raise SourceError(
                f"question id {key!r} is used twice (first at line {used[key]})",
                item.line,
                1,
                filename,
            )
    else:
        key = (item.title or f"q{position}")[:116]
        base, n = key, 2
        while key in used:
            key, n = f"{base}-{n}", n + 1
    used[key] = item.line
    return key


def header_text(meta: dict) -> str:
    """The ``// ---`` header of ``meta`` (every field written, so the file says it all)."""
    lines = [MARK]
    for name in FIELDS:
        value = meta.get(name)
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = ", ".join(value)
        elif isinstance(value, str):
            value = quoted(value)
        lines.append(f"// {name}: {value}".rstrip())
    return "\n".join([*lines, MARK]) + "\n"


def gift_body(questions: list[dict]) -> str:
    """GIFT text rebuilt from question data (categories written where they change)."""
    items, category = [], None
    for question in questions:
        if question.get("category") and question["category"] != category:
            items.append(gift.Category(path=question["category"]))
        category = question.get("category")
        items.append(gift.from_settings(question["type"], question["settings"]))
    return gift.export(items)


def write_quiz(meta: dict, questions: list[dict], source: str | None = None) -> str:
    """The quiz file: header, blank line, then ``source`` (or GIFT rebuilt from ``questions``)."""
    body = source if source is not None else gift_body(questions)
    return header_text(meta) + "\n" + body.strip("\n") + "\n"
