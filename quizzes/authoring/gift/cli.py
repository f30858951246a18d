"""``inspect``: check a GIFT file and show what it holds (mounted as ``flask lms quiz inspect``)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from quizzes.authoring.gift.model import (
    Category,
    ChoiceQuestion,
    GiftError,
    Item,
    Matching,
    Numerical,
    Question,
    ShortAnswer,
    TrueFalse,
)
from quizzes.authoring.gift.parser import parse
from quizzes.authoring.gift.peg_json import to_peg_json

PREVIEW = 60


@click.command("inspect")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: the GIFT-grammar-PEG.js question model; text: a readable summary.",
)
def inspect(file: Path, output: str) -> None:
    """Parse a GIFT file and print its questions; exit 1 on the first error."""
    try:
        items = parse(_read(file), filename=str(file))
    except GiftError as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from None
    if output == "json":
        click.echo(json.dumps(to_peg_json(items), ensure_ascii=False, indent=2))
        return
    click.echo(summary(items, str(file)))


def _read(file: Path) -> str:
    data = file.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise GiftError("the file is not UTF-8 text", line, column, str(file)) from None


def summary(items: list[Item], name: str) -> str:
    """A readable, one line per item, summary of parsed GIFT items."""
    questions = sum(1 for i in items if isinstance(i, Question))
    lines = [f"{name}: {questions} question(s), {len(items) - questions} category line(s)"]
    for item in items:
        if isinstance(item, Category):
            lines.append(f"  line {item.line:>4}  category        {item.path}")
            continue
        assert isinstance(item, Question)
        stem = item.stem.text.replace("\n", " ")
        if item.stem_after is not None:
            stem = f"{stem} _____ {item.stem_after}".strip()
        if len(stem) > PREVIEW:
            stem = stem[: PREVIEW - 1] + "…"
        title = f"[{item.title}] " if item.title else ""
        details = _details(item)
        lines.append(
            f"  line {item.line:>4}  {item.type:<15} {title}{stem}"
            + (f"  ({details})" if details else "")
        )
    return "\n".join(lines)


def _details(question: Question) -> str:
    if isinstance(question, ChoiceQuestion):
        right = sum(1 for c in question.choices if c.fraction > 0)
        return f"{len(question.choices)} choices, {right} with credit"
    if isinstance(question, ShortAnswer | Numerical):
        return f"{len(question.answers)} answer(s)"
    if isinstance(question, Matching):
        return f"{len(question.pairs)} pairs"
    if isinstance(question, TrueFalse):
        return "true" if question.correct_answer else "false"
    return ""
