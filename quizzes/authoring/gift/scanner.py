"""Low-level GIFT reading: question blocks, comments, escapes, positions and text clean-up."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from quizzes.authoring.gift.parts import GiftError, Text

#: Characters a backslash escapes (``\n`` is a newline, ``\\`` a backslash).
ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "\\": "\\", "n": "\n"}
FORMAT_TAG = re.compile(r"\s*\[(moodle|html|markdown|plain)\]")
_SPACES = re.compile(r"\s\s+")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]\[\x00-\x1f\x7f])+)\]")


@dataclass
class Block:
    """One question's source: its non-comment lines joined by newlines, and its comments."""

    text: str
    filename: str
    line_numbers: list[int]
    line_starts: list[int]
    comments: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def add_line(self, number: int, line: str) -> None:
        """Append a source line (``text`` is joined once all lines are in)."""
        start = self.line_starts[-1] + len(self.lines[-1]) + 1 if self.lines else 0
        self.line_numbers.append(number)
        self.line_starts.append(start)
        self.lines.append(line)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the file of ``offset`` in ``text``."""
        index = max(bisect_right(self.line_starts, offset) - 1, 0)
        return self.line_numbers[index], offset - self.line_starts[index] + 1

    def error(self, offset: int, message: str) -> GiftError:
        """A ``GiftError`` located at ``offset`` of the block text."""
        line, column = self.position(offset)
        return GiftError(message, line, column, self.filename)


def split_blocks(source: str, filename: str) -> list[Block]:
    """Cut the file into question blocks: blank lines separate them, ``//`` lines are dropped."""
    text = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[Block] = []
    current: Block | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            current = None
        elif line.lstrip().startswith("//"):
            current = current or _new_block(blocks, filename)
            current.comments.append(line)
        else:
            current = current or _new_block(blocks, filename)
            current.add_line(number, line)
    for block in blocks:
        block.text = "\n".join(block.lines)
    return [b for b in blocks if b.lines]


def _new_block(blocks: list[Block], filename: str) -> Block:
    block = Block("", filename, [], [])
    blocks.append(block)
    return block


def skip_space(text: str, start: int, end: int | None = None) -> int:
    """Offset of the first non-white-space character from ``start`` (``end`` if none)."""
    end = len(text) if end is None else end
    while start < end and text[start].isspace():
        start += 1
    return start


def id_and_tags(comments: list[str]) -> tuple[str | None, list[str]]:
    """Moodle's ``// [id:...]`` and ``// [tag:...]`` markers (``\\]`` escapes a bracket)."""
    joined = "\n".join(comments)
    found = _ID.search(joined)
    idnumber = found.group(1).replace("\\]", "]").strip() if found else None
    tags = [t.replace("\\]", "]").strip() for t in _TAG.findall(joined)]
    return idnumber or None, [t for t in tags if t]


def find(text: str, targets: str, start: int, end: int | None = None) -> int:
    """Offset of the first unescaped character of ``targets`` in ``text[start:end]``, or -1."""
    end = len(text) if end is None else end
    i = start
    while i < end:
        char = text[i]
        if char == "\\" and i + 1 < end and text[i + 1] in ESCAPES:
            i += 2
            continue
        if char in targets:
            return i
        i += 1
    return -1


def find_seq(text: str, sequence: str, start: int, end: int | None = None) -> int:
    """Offset of the first unescaped occurrence of ``sequence`` in ``text[start:end]``, or -1."""
    end = len(text) if end is None else end
    i = start
    while i < end:
        if text[i] == "\\" and i + 1 < end and text[i + 1] in ESCAPES:
            i += 2
            continue
        if text.startswith(sequence, i) and i + len(sequence) <= end:
            return i
        i += 1
    return -1


def unescape(raw: str) -> str:
    """Replace GIFT escapes by the characters they stand for; other backslashes stay."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        char = raw[i]
        if char == "\\" and i + 1 < len(raw) and raw[i + 1] in ESCAPES:
            out.append(ESCAPES[raw[i + 1]])
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def clean(raw: str, fmt: str) -> str:
    """Trim, collapse white space (except in html and markdown) and unescape."""
    raw = raw.strip()
    if fmt not in ("html", "markdown"):
        raw = _SPACES.sub(" ", raw.replace("\n", " "))
    return unescape(raw)


def split_format(raw: str, inherited: str) -> tuple[str, str]:
    """Remove a leading ``[format]`` tag: return (format, rest of the raw text)."""
    found = FORMAT_TAG.match(raw)
    if found is None:
        return inherited, raw
    return found.group(1), raw[found.end() :]


def formatted(raw: str, inherited: str) -> Text:
    """A ``Text`` from raw GIFT: optional ``[format]`` tag, then the cleaned text."""
    fmt, rest = split_format(raw, inherited)
    return Text(clean(rest, fmt), fmt)


def optional_text(raw: str, inherited: str) -> Text | None:
    """Like ``formatted`` but ``None`` when there is no text (e.g. an empty ``#`` feedback)."""
    text = formatted(raw, inherited)
    return text if text.text else None


def escape(text: str) -> str:
    """Escape a model text for GIFT output (the reverse of ``unescape``)."""
    out = []
    for char in text:
        if char == "\n":
            out.append("\\n")
        elif char in "~=#{}:\\":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)
