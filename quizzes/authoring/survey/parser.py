"""The ``.survey`` format: front matter, Markdown intro, ``## sections`` and ``? TYPE KEY`` blocks.

``parse(text, filename)`` returns plain JSON-able data::

    {"meta": {"key", "title", "kind", "purpose", "opens", "respondent", "hidden"},
     "intro": str,
     "questions": [{"type", "key", "text", "options": [{"key", "label"}], "required",
                    "competency", "other", "lines", "section", "line"}]}

and raises :class:`SurveyError` (with ``line`` and ``column``) on the first problem.
"""

from __future__ import annotations

import re

from quizzes.authoring.headers import SourceError
from quizzes.authoring.survey.meta import read_meta

TYPES = ("scale", "score", "single", "multiple", "yesno", "text", "info")
WITH_OPTIONS = ("scale", "single", "multiple")
QKEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,119}")
OPTION = re.compile(r"-\s+(\S+)(?:\s+(.*))?")
MAX_LINES = 30


class SurveyError(SourceError):
    """A problem in a ``.survey`` file, at ``line``:``column``."""


def _lines(text: str) -> list[str]:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def parse(text: str, filename: str = "<survey>") -> dict:
    """Parse a whole ``.survey`` file; raise :class:`SurveyError` on the first problem."""
    lines = _lines(text)
    try:
        meta, start = read_meta(lines, filename)
    except SourceError as error:
        raise SurveyError(error.message, error.line, error.column, filename) from None
    reader = _Reader(lines, filename)
    intro, index = reader.intro(start)
    questions = reader.blocks(index)
    return {"meta": meta, "intro": intro, "questions": questions}


class _Reader:
    """Walks the body lines; keeps the current section and the keys seen."""

    def __init__(self, lines: list[str], filename: str) -> None:
        self.lines, self.filename = lines, filename
        self.section: str | None = None
        self.keys: dict[str, int] = {}
        self.infos = 0

    def error(self, message: str, index: int, column: int = 1) -> SurveyError:
        """A ``SurveyError`` at line ``index + 1``."""
        return SurveyError(message, index + 1, column, self.filename)

    def intro(self, index: int) -> tuple[str, int]:
        """Markdown until the first ``##`` or ``?`` line."""
        start = index
        while index < len(self.lines) and not _starts_block(self.lines[index]):
            index += 1
        return "\n".join(line.rstrip() for line in self.lines[start:index]).strip("\n"), index

    def blocks(self, index: int) -> list[dict]:
        """Sections and question blocks from ``index`` to the end."""
        questions: list[dict] = []
        while index < len(self.lines):
            line = self.lines[index]
            if not line.strip():
                index += 1
            elif line.startswith("##"):
                self.section = self._section(line, index)
                index += 1
            elif line.startswith("?"):
                question, index = self._block(index)
                questions.append(question)
            elif line.lstrip().startswith("- "):
                raise self.error(
                    "option line outside a question: a blank line ends a question block, "
                    "remove the blank line before the options",
                    index,
                )
            else:
                raise self.error(
                    "text outside a question: start a question with '? TYPE KEY' "
                    "(a blank line ends a question block)",
                    index,
                )
        return questions

    def _section(self, line: str, index: int) -> str:
        if line.startswith("###"):
            raise self.error("a section title starts with '## ' (two '#')", index)
        title = line[2:].strip()
        if not title:
            raise self.error("empty section title after '##'", index)
        return title

    def _block(self, index: int) -> tuple[dict, int]:
        question = self._head(index)
        index += 1
        text: list[str] = []
        while index < len(self.lines) and self.lines[index].strip():
            line = self.lines[index]
            if _starts_block(line):
                break
            is_option = question["type"] in WITH_OPTIONS and line.lstrip().startswith("-")
            if is_option:
                question["options"].append(self._option(question, line, index))
            elif question["options"]:
                raise self.error("text after the options: options end the question", index)
            else:
                text.append(line.rstrip())
            index += 1
        question["text"] = "\n".join(text)
        self._check(question, index)
        return question, index

    def _head(self, index: int) -> dict:
        line = self.lines[index]
        tokens = [(m.group(), m.start() + 1) for m in re.finditer(r"\S+", line[1:])]
        if not tokens:
            raise self.error(f"'?' must be followed by a type: {', '.join(TYPES)}", index)
        kind, column = tokens[0]
        if kind not in TYPES:
            raise self.error(
                f"unknown question type {kind!r} (expected one of: {', '.join(TYPES)})",
                index,
                column + 1,
            )
        question = _new_question(kind, self.section, index + 1)
        rest = tokens[1:]
        if rest and "=" not in rest[0][0] and rest[0][0] not in ("required", "other"):
            question["key"] = self._key(rest[0][0], index, rest[0][1] + 1)
            rest = rest[1:]
        elif kind != "info":
            raise self.error("a question needs a key after its type: '? TYPE KEY'", index)
        else:
            self.infos += 1
            question["key"] = f"info-{self.infos}"
        for token, col in rest:
            self._attribute(question, token, index, col + 1)
        return question

    def _key(self, key: str, index: int, column: int) -> str:
        if not QKEY.fullmatch(key):
            raise self.error(
                f"bad question key {key!r}: use letters, digits, '-', '_' or '.'", index, column
            )
        if key in self.keys:
            raise self.error(
                f"question key {key!r} is used twice (first at line {self.keys[key]})",
                index,
                column,
            )
        self.keys[key] = index + 1
        return key

    def _attribute(self, question: dict, token: str, index: int, column: int) -> None:
        name, _, value = token.partition("=")
        kind = question["type"]
        allowed = _allowed_attributes(kind)
        if name not in allowed:
            hint = ", ".join(allowed) or "none"
            raise self.error(
                f"attribute {name!r} is not allowed on a {kind} question (allowed: {hint})",
                index,
                column,
            )
        done = question.setdefault("_seen", set())
        if name in done:
            raise self.error(f"attribute {name!r} is given twice", index, column)
        done.add(name)
        if name in ("required", "other"):
            if value:
                raise self.error(f"attribute {name!r} takes no value", index, column)
            question[name] = True
        elif name == "competency":
            if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", value):
                raise self.error(
                    "competency=KEY needs an objective key of course.yml", index, column
                )
            question["competency"] = value
        elif name == "lines":
            if not value.isdigit() or not 1 <= int(value) <= MAX_LINES:
                raise self.error(f"lines=N needs a number from 1 to {MAX_LINES}", index, column)
            question["lines"] = int(value)

    def _option(self, question: dict, line: str, index: int) -> dict:
        found = OPTION.fullmatch(line.strip())
        column = len(line) - len(line.lstrip()) + 1
        if found is None or not (found.group(2) or "").strip():
            raise self.error("an option is written '- KEY Label'", index, column)
        key, label = found.group(1), found.group(2).strip()
        if question["type"] == "scale" and not re.fullmatch(r"-?\d{1,6}", key):
            raise self.error(f"scale option keys are whole numbers, not {key!r}", index, column + 2)
        if not QKEY.fullmatch(key.lstrip("-")) or key == "_other":
            raise self.error(f"bad option key {key!r}", index, column + 2)
        if any(o["key"] == key for o in question["options"]):
            raise self.error(
                f"option key {key!r} is used twice in this question", index, column + 2
            )
        return {"key": key, "label": label}

    def _check(self, question: dict, after: int) -> None:
        question.pop("_seen", None)
        where = question["line"] - 1
        if question["type"] in WITH_OPTIONS and not question["options"]:
            following = self._next_line(after)
            if following is not None and self.lines[following].lstrip().startswith("- "):
                raise self.error(
                    "a blank line ends a question block: remove the blank line before the options",
                    following,
                )
        if not question["text"].strip():
            raise self.error("question without text: write it on the line after '?'", where)
        needed = {"scale": 2, "single": 1, "multiple": 1}.get(question["type"], 0)
        if len(question["options"]) < needed:
            raise self.error(
                f"a {question['type']} question needs at least {needed} option(s) '- KEY Label'",
                where,
            )

    def _next_line(self, index: int) -> int | None:
        """Index of the next non-blank line from ``index``, if any."""
        while index < len(self.lines):
            if self.lines[index].strip():
                return index
            index += 1
        return None


def _new_question(kind: str, section: str | None, line: int) -> dict:
    return {
        "type": kind,
        "key": None,
        "text": "",
        "options": [],
        "required": False,
        "competency": None,
        "other": False,
        "lines": None,
        "section": section,
        "line": line,
    }


def _allowed_attributes(kind: str) -> tuple[str, ...]:
    if kind == "info":
        return ()
    extra = {"single": ("other",), "multiple": ("other",), "text": ("lines",)}.get(kind, ())
    return ("required", "competency", *extra)


def _starts_block(line: str) -> bool:
    return line.startswith("##") or line.startswith("?")
