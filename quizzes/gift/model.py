"""The GIFT question model: plain dataclasses, stored by the app as a type name + JSON settings.

Every item has a ``type`` (a Parcours question type name, or ``category``), ``to_settings()``
returning a JSON-able dict and a ``from_settings()`` class method rebuilding it. The model keeps
what GIFT can express, so that ``export`` writes an equivalent GIFT text back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

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


def _text_settings(value: Text | None) -> dict[str, str] | None:
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
            "feedback": _text_settings(self.feedback),
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
            "feedback": _text_settings(self.feedback),
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


@dataclass
class Item:
    """Base of everything ``parse`` returns; ``line`` is where it starts in the source."""

    type: ClassVar[str] = ""
    line: int = field(default=0, compare=False, repr=False, kw_only=True)

    def to_settings(self) -> dict[str, Any]:  # pragma: no cover - overridden
        """JSON-able settings of this item."""
        raise NotImplementedError

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Item:  # pragma: no cover
        """Rebuild the item from ``to_settings()`` output."""
        raise NotImplementedError


@dataclass
class Category(Item):
    """A ``$CATEGORY: path`` line: the following questions go into that category."""

    type: ClassVar[str] = "category"
    path: str = ""

    def to_settings(self) -> dict[str, Any]:
        """``{"path": ...}``."""
        return {"path": self.path}

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Category:
        """Rebuild a category from ``to_settings()`` output."""
        return cls(path=settings["path"])


@dataclass
class Question(Item):
    """Fields shared by all questions.

    ``stem_after`` is the text following the answer block of a missing-word question (the
    blank goes between ``stem`` and ``stem_after``); ``None`` when the block ends the text.
    """

    stem: Text = field(default_factory=lambda: Text(""))
    title: str | None = None
    stem_after: str | None = None
    general_feedback: Text | None = None
    idnumber: str | None = None
    tags: list[str] = field(default_factory=list)

    def _common_settings(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "stem": self.stem.to_settings(),
            "stem_after": self.stem_after,
            "general_feedback": _text_settings(self.general_feedback),
            "idnumber": self.idnumber,
            "tags": list(self.tags),
        }

    @staticmethod
    def _common_kwargs(settings: dict[str, Any]) -> dict[str, Any]:
        return {
            "title": settings.get("title"),
            "stem": Text.from_settings(settings["stem"]),
            "stem_after": settings.get("stem_after"),
            "general_feedback": Text.from_settings(settings.get("general_feedback")),
            "idnumber": settings.get("idnumber"),
            "tags": list(settings.get("tags") or []),
        }

    def _extra_settings(self) -> dict[str, Any]:
        return {}

    @classmethod
    def _extra_kwargs(cls, settings: dict[str, Any]) -> dict[str, Any]:
        return {}

    def to_settings(self) -> dict[str, Any]:
        """Common fields plus the type's own (choices, answers, pairs...)."""
        return self._common_settings() | self._extra_settings()

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Question:
        """Rebuild the question from ``to_settings()`` output."""
        return cls(**cls._common_kwargs(settings), **cls._extra_kwargs(settings))


@dataclass
class Description(Question):
    """Text with no answer block: information shown between questions."""

    type: ClassVar[str] = "description"


@dataclass
class Essay(Question):
    """``{}``: a free-text answer graded by hand."""

    type: ClassVar[str] = "essay"


@dataclass
class TrueFalse(Question):
    """``{T}``/``{F}``: ``{TRUE#shown if wrong#shown if right}`` per Moodle's documentation."""

    type: ClassVar[str] = "true_false"
    correct_answer: bool = True
    incorrect_feedback: Text | None = None
    correct_feedback: Text | None = None

    def _extra_settings(self) -> dict[str, Any]:
        return {
            "correct_answer": self.correct_answer,
            "incorrect_feedback": _text_settings(self.incorrect_feedback),
            "correct_feedback": _text_settings(self.correct_feedback),
        }

    @classmethod
    def _extra_kwargs(cls, settings: dict[str, Any]) -> dict[str, Any]:
        return {
            "correct_answer": bool(settings["correct_answer"]),
            "incorrect_feedback": Text.from_settings(settings.get("incorrect_feedback")),
            "correct_feedback": Text.from_settings(settings.get("correct_feedback")),
        }


@dataclass
class _ChoiceQuestion(Question):
    choices: list[Choice] = field(default_factory=list)

    def _extra_settings(self) -> dict[str, Any]:
        return {"choices": [c.to_settings() for c in self.choices]}

    @classmethod
    def _extra_kwargs(cls, settings: dict[str, Any]) -> dict[str, Any]:
        return {"choices": [Choice.from_settings(c) for c in settings["choices"]]}


@dataclass
class SingleChoice(_ChoiceQuestion):
    """Multiple choice with at least one ``=`` answer: the learner picks one."""

    type: ClassVar[str] = "single_choice"


@dataclass
class MultipleChoice(_ChoiceQuestion):
    """Multiple choice with only ``~%weight%`` answers: the learner ticks several."""

    type: ClassVar[str] = "multiple_choice"


@dataclass
class ShortAnswer(Question):
    """``{=a =%50%b}``: typed answers, all introduced by ``=`` (``choices`` are correct)."""

    type: ClassVar[str] = "short_answer"
    answers: list[Choice] = field(default_factory=list)

    def _extra_settings(self) -> dict[str, Any]:
        return {"answers": [a.to_settings() for a in self.answers]}

    @classmethod
    def _extra_kwargs(cls, settings: dict[str, Any]) -> dict[str, Any]:
        return {"answers": [Choice.from_settings(a) for a in settings["answers"]]}


@dataclass
class Numerical(Question):
    """``{#...}``: one or several numerical answers."""

    type: ClassVar[str] = "numerical"
    answers: list[NumericAnswer] = field(default_factory=list)

    def _extra_settings(self) -> dict[str, Any]:
        return {"answers": [a.to_settings() for a in self.answers]}

    @classmethod
    def _extra_kwargs(cls, settings: dict[str, Any]) -> dict[str, Any]:
        return {"answers": [NumericAnswer.from_settings(a) for a in settings["answers"]]}


@dataclass
class Matching(Question):
    """``{=a -> b =c -> d}``: match each sub-question with its answer."""

    type: ClassVar[str] = "matching"
    pairs: list[MatchPair] = field(default_factory=list)

    def _extra_settings(self) -> dict[str, Any]:
        return {"pairs": [p.to_settings() for p in self.pairs]}

    @classmethod
    def _extra_kwargs(cls, settings: dict[str, Any]) -> dict[str, Any]:
        return {"pairs": [MatchPair.from_settings(p) for p in settings["pairs"]]}


ITEM_TYPES: dict[str, type[Item]] = {
    cls.type: cls
    for cls in (
        Category,
        Description,
        Essay,
        TrueFalse,
        SingleChoice,
        MultipleChoice,
        ShortAnswer,
        Numerical,
        Matching,
    )
}


def from_settings(type_name: str, settings: dict[str, Any]) -> Item:
    """Rebuild an item from its stored ``type`` name and ``to_settings()`` JSON."""
    try:
        cls = ITEM_TYPES[type_name]
    except KeyError:
        raise ValueError(f"unknown GIFT item type: {type_name!r}") from None
    return cls.from_settings(settings)
