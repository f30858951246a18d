"""GIFT text -> model: titles, stems, categories, comments' id and tags, the answer block."""

from __future__ import annotations

from quizzes.authoring.gift.answers import parse_answers
from quizzes.authoring.gift.model import Category, Description, Item, Question
from quizzes.authoring.gift.scanner import (
    Block,
    clean,
    find,
    find_seq,
    formatted,
    id_and_tags,
    skip_space,
    split_blocks,
)

CATEGORY = "$CATEGORY:"


def parse(text: str, filename: str = "<gift>") -> list[Item]:
    """Parse a whole GIFT file into questions and categories, in file order.

    Raises ``GiftError`` (with ``line`` and ``column``) on the first invalid question;
    nothing is returned then.
    """
    items: list[Item] = []
    for block in split_blocks(text, filename):
        items.extend(_parse_block(block))
    return items


def _parse_block(block: Block) -> list[Item]:
    text = block.text
    items: list[Item] = []
    start = skip_space(text, 0)
    while text.startswith(CATEGORY, start):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        path = text[start + len(CATEGORY) : end].strip()
        if not path:
            raise block.error(start, "empty category: write $CATEGORY: followed by a path")
        items.append(Category(path=path, line=block.position(start)[0]))
        start = skip_space(text, end)
    if start < len(text):
        items.append(_parse_question(block, start))
    return items


def _parse_question(block: Block, start: int) -> Question:
    text = block.text
    line = block.position(start)[0]
    title, start = _parse_title(block, start)
    opening = find(text, "{}", start)
    if opening == -1:
        question: Question = Description(stem=formatted(text[start:], "moodle"))
        if not question.stem.text:
            raise block.error(start, "question without text")
    else:
        closing = _check_braces(block, opening)
        stem = formatted(text[start:opening], "moodle")
        question = parse_answers(block, opening + 1, closing, stem.format)
        question.stem = stem
        question.stem_after = clean(text[closing + 1 :], stem.format) or None
        if not stem.text and question.stem_after is None:
            raise block.error(opening, "question text is empty before '{'")
    question.title = title
    question.idnumber, question.tags = id_and_tags(block.comments)
    question.line = line
    return question


def _parse_title(block: Block, start: int) -> tuple[str | None, int]:
    text = block.text
    if not text.startswith("::", start):
        return None, start
    closing = find_seq(text, "::", start + 2)
    if closing == -1:
        raise block.error(start, "unclosed question title: missing the closing '::'")
    return clean(text[start + 2 : closing], "moodle") or None, closing + 2


def _check_braces(block: Block, opening: int) -> int:
    """Validate the answer block starting at ``opening``; return the offset of its ``}``."""
    text = block.text
    if text[opening] == "}":
        raise block.error(opening, "unexpected '}' (write \\} for a literal brace)")
    closing = find(text, "{}", opening + 1)
    if closing == -1:
        raise block.error(
            opening,
            "unclosed '{': no matching '}' before the end of the question"
            " (a blank line ends a question)",
        )
    if text[closing] == "{":
        raise block.error(closing, "'{' inside an answer block (write \\{ for a literal brace)")
    extra = find(text, "{}", closing + 1)
    if extra != -1:
        if text[extra] == "}":
            raise block.error(extra, "unexpected '}' (write \\} for a literal brace)")
        raise block.error(extra, "only one answer block {...} is allowed per question")
    return closing
