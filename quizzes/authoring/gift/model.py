"""The GIFT question model: plain dataclasses, stored by the app as a type name + JSON settings.

Every item has a ``type`` (a Parcours question type name, or ``category``), ``to_settings()``
returning a JSON-able dict and a ``from_settings()`` class method rebuilding it. The model keeps
what GIFT can express, so that ``export`` writes an equivalent GIFT text back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from quizzes.authoring.gift.parts import (
    FORMATS,
    Choice,
    GiftError,
    MatchPair,
    NumericAnswer,
    Text,
    text_settings,
)

__all__ = [
    "FORMATS",
    "ITEM_TYPES",
    "Category",
    "Choice",
    "ChoiceQuestion",
    "Description",
    "Essay",
    "GiftError",
    "Item",
    "MatchPair",
    "Matching",
    "MultipleChoice",
    "NumericAnswer",
    "Numerical",
    "Question",
    "ShortAnswer",
    "SingleChoice",
    "Text",
    "TrueFalse",
    "from_settings",
]


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
            "general_feedback": text_settings(self.general_feedback),
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
            "incorrect_feedback": text_settings(self.incorrect_feedback),
            "correct_feedback": text_settings(self.correct_feedback),
        }

    @classmethod
    def _extra_kwargs(cls, settings: dict[str, Any]) -> dict[str, Any]:
        return {
            "correct_answer": bool(settings["correct_answer"]),
            "incorrect_feedback": Text.from_settings(settings.get("incorrect_feedback")),
            "correct_feedback": Text.from_settings(settings.get("correct_feedback")),
        }


@dataclass
class ChoiceQuestion(Question):
    """Base of single and multiple choice questions: ``choices`` introduced by ``=`` or ``~``."""

    choices: list[Choice] = field(default_factory=list)

    def _extra_settings(self) -> dict[str, Any]:
        return {"choices": [c.to_settings() for c in self.choices]}

    @classmethod
    def _extra_kwargs(cls, settings: dict[str, Any]) -> dict[str, Any]:
        return {"choices": [Choice.from_settings(c) for c in settings["choices"]]}


@dataclass
class SingleChoice(ChoiceQuestion):
    """Multiple choice with at least one ``=`` answer: the learner picks one."""

    type: ClassVar[str] = "single_choice"


@dataclass
class MultipleChoice(ChoiceQuestion):
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
