"""Parts of GIFT questions: formatted texts, answers, matching pairs, and the parse error."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORMATS = ("moodle", "html", "markdown", "plain")


class GiftError(ValueError):
    """Invalid GIFT text, located at a 1-based ``line`` and ``column`` of ``filename``."""

    def __init__(self, message: str, line: int, column: int, filename: str = "<gift>"):
        super().__init__(f"{filename}:{line}:{column}: {message}")
        self.message = message
        self.line = line
        self.column = column
        self.filename = filename


@dataclass(frozen=True)
class Text:
    """A piece of text and its Moodle format (moodle, html, markdown or plain)."""

    text: str
    format: str = "moodle"

    def to_settings(self) -> dict[str, str]:
        """Return ``{"text": ..., "format": ...}``."""
        return {"text": self.text, "format": self.format}

    @classmethod
    def from_settings(cls, data: dict[str, Any] | None) -> Text | None:
        """Rebuild a text from ``to_settings()`` output (``None`` stays ``None``)."""
        if data is None:
            return None
        return cls(data["text"], data.get("format", "moodle"))


def text_settings(value: Text | None) -> dict[str, str] | None:
    """``value.to_settings()``, or ``None`` for no text."""
    return None if value is None else value.to_settings()


def _fraction(weight: float | None, correct: bool) -> float:
    if weight is not None:
        return weight / 100
    return 1.0 if correct else 0.0


@dataclass
class Choice:
    """An answer of a choice or short-answer question: ``=`` (correct) or ``~``, ``%weight%``."""

    text: Text
    correct: bool = False
    weight: float | None = None
    feedback: Text | None = None

    @property
    def fraction(self) -> float:
        """Share of the mark this answer earns, from -1 to 1."""
        return _fraction(self.weight, self.correct)

    def to_settings(self) -> dict[str, Any]:
        """JSON-able form (``fraction`` is derived and ignored when reading back)."""
        return {
            "text": self.text.to_settings(),
            "correct": self.correct,
            "weight": self.weight,
            "feedback": text_settings(self.feedback),
            "fraction": self.fraction,
        }

    @classmethod
    def from_settings(cls, data: dict[str, Any]) -> Choice:
        """Rebuild an answer from ``to_settings()`` output."""
        return cls(
            Text.from_settings(data["text"]),
            bool(data.get("correct", False)),
            data.get("weight"),
            Text.from_settings(data.get("feedback")),
        )


@dataclass
class NumericAnswer:
    """A numerical answer: exact ``value``, ``value`` ± ``tolerance``, or ``low..high``.

    With none of them it is Moodle's catch-all wrong answer (``~#feedback``).
    """

    value: float | None = None
    tolerance: float | None = None
    low: float | None = None
    high: float | None = None
    correct: bool = True
    weight: float | None = None
    feedback: Text | None = None

    @property
    def kind(self) -> str:
        """``exact``, ``tolerance``, ``range`` or ``any``."""
        if self.low is not None:
            return "range"
        if self.value is None:
            return "any"
        return "exact" if self.tolerance is None else "tolerance"

    @property
    def fraction(self) -> float:
        """Share of the mark this answer earns, from -1 to 1."""
        return _fraction(self.weight, self.correct)

    def to_settings(self) -> dict[str, Any]:
        """JSON-able form (``kind`` and ``fraction`` are derived)."""
        return {
            "kind": self.kind,
            "value": self.value,
            "tolerance": self.tolerance,
            "low": self.low,
            "high": self.high,
            "correct": self.correct,
            "weight": self.weight,
            "feedback": text_settings(self.feedback),
            "fraction": self.fraction,
        }

    @classmethod
    def from_settings(cls, data: dict[str, Any]) -> NumericAnswer:
        """Rebuild a numerical answer from ``to_settings()`` output."""
        return cls(
            data.get("value"),
            data.get("tolerance"),
            data.get("low"),
            data.get("high"),
            bool(data.get("correct", True)),
            data.get("weight"),
            Text.from_settings(data.get("feedback")),
        )


@dataclass
class MatchPair:
    """A matching pair: a (formatted) sub-question and its plain-text answer.

    An empty ``question`` is a distractor: an extra answer matched by nothing.
    """

    question: Text
    answer: str

    def to_settings(self) -> dict[str, Any]:
        """JSON-able form."""
        return {"question": self.question.to_settings(), "answer": self.answer}

    @classmethod
    def from_settings(cls, data: dict[str, Any]) -> MatchPair:
        """Rebuild a pair from ``to_settings()`` output."""
        return cls(Text.from_settings(data["question"]), data["answer"])
