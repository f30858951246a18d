"""``name: value`` headers of the source files (the quiz's ``// ---`` block, the survey's front
matter): reading them line by line and checking each value, with the line of every problem."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")
_FIELD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)")
_COMMENT = re.compile(r"\s#.*$")
TRUE_WORDS = ("true", "yes", "oui", "1")
FALSE_WORDS = ("false", "no", "non", "0")
#: Fields whose value is free text: ``#`` does not start a comment there.
FREE_TEXT = ("title",)


class SourceError(ValueError):
    """A problem in a source text at ``line``:``column`` (1-based) of ``filename``."""

    def __init__(self, message: str, line: int, column: int = 1, filename: str = "<source>"):
        super().__init__(f"{filename}:{line}:{column}: {message}")
        self.message = message
        self.line = line
        self.column = column
        self.filename = filename


class Field:
    """A header value and the line it sits on."""

    def __init__(self, name: str, value: str, line: int) -> None:
        self.name, self.value, self.line = name, value, line


def read_fields(lines: Iterable[tuple[int, str]], filename: str) -> dict[str, Field]:
    """Read ``name: value`` lines; blank lines are skipped, and so is ``# comment`` after a
    space (except in the free text of ``title``)."""
    fields: dict[str, Field] = {}
    for number, raw in lines:
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        found = _FIELD.fullmatch(text)
        if found is None:
            raise SourceError("expected 'name: value' in the header", number, 1, filename)
        name, value = found.group(1).lower(), found.group(2)
        value = unquote((value if name in FREE_TEXT else _COMMENT.sub("", value)).strip())
        if name in fields:
            first = fields[name].line
            raise SourceError(
                f"'{name}' is given twice (first at line {first})", number, 1, filename
            )
        fields[name] = Field(name, value, number)
    return fields


def unquote(value: str) -> str:
    """A value without the pair of quotes around it (``"a: b"`` → ``a: b``), as YAML reads it."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def quoted(value: str) -> str:
    """``value`` as a header writes it: quoted only when :func:`unquote` would strip its own
    quotes (so a file parses back to the same value)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return f"'{value}'" if value[0] == '"' else f'"{value}"'
    return value


def check_known(fields: dict[str, Field], known: Iterable[str], filename: str) -> None:
    """Refuse a field that is not in ``known`` (typos must not pass silently)."""
    allowed = list(known)
    for field in fields.values():
        if field.name not in allowed:
            raise SourceError(
                f"unknown field '{field.name}' (expected one of: {', '.join(allowed)})",
                field.line,
                1,
                filename,
            )


def as_bool(field: Field, filename: str) -> bool:
    """``true``/``false`` (also yes/no, oui/non, 1/0)."""
    word = field.value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SourceError(
        f"{field.name}: expected true or false, not {field.value!r}", field.line, 1, filename
    )


def as_int(field: Field, filename: str, low: int, high: int) -> int:
    """A whole number between ``low`` and ``high``."""
    value = field.value
    if not re.fullmatch(r"[+]?\d{1,9}", value) or not low <= int(value) <= high:
        raise SourceError(
            f"{field.name}: expected a whole number from {low} to {high}, not {value!r}",
            field.line,
            1,
            filename,
        )
    return int(value)


def as_choice(field: Field, filename: str, choices: Iterable[str]) -> str:
    """One of ``choices``."""
    allowed = list(choices)
    if field.value not in allowed:
        raise SourceError(
            f"{field.name}: expected one of {', '.join(allowed)}, not {field.value!r}",
            field.line,
            1,
            filename,
        )
    return field.value


def as_subset(field: Field, filename: str, choices: Iterable[str]) -> list[str]:
    """A comma-separated subset of ``choices`` (in ``choices`` order; may be empty)."""
    allowed = list(choices)
    words = [w.strip() for w in field.value.split(",") if w.strip()]
    for word in words:
        if word not in allowed:
            raise SourceError(
                f"{field.name}: {word!r} is not one of {', '.join(allowed)}",
                field.line,
                1,
                filename,
            )
    return [c for c in allowed if c in words]


def as_key(field: Field, filename: str) -> str:
    """A stable key: lower-case letters, digits and dashes."""
    if not KEY.fullmatch(field.value):
        raise SourceError(
            f"{field.name}: a key uses lower-case letters, digits and dashes (not {field.value!r})",
            field.line,
            1,
            filename,
        )
    return field.value


def as_text(field: Field, filename: str, limit: int = 300) -> str:
    """Non-empty text of at most ``limit`` characters."""
    if not field.value or len(field.value) > limit:
        raise SourceError(
            f"{field.name}: expected a text of 1 to {limit} characters", field.line, 1, filename
        )
    return field.value


def key_from_name(filename: str) -> str:
    """A key made from a file name: ``01-Quiz final.gift`` gives ``01-quiz-final``."""
    stem = Path(filename).stem.lower()
    key = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:80]
    return key or "instrument"


def title_from_name(filename: str) -> str:
    """A title made from a file name when the header gives none."""
    stem = re.sub(r"^[0-9]+[-_ ]*", "", Path(filename).stem)
    words = re.sub(r"[-_]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else Path(filename).stem
