"""The rules of an instrument read from its settings: pass mark, attempts, time, review options."""

from __future__ import annotations

from dataclasses import dataclass, field

from quizzes.models import Instrument, InstrumentKind

#: What a review may show, in Moodle's spirit.
REVIEW_ITEMS = ("score", "correctness", "feedback", "correct_answers")
DEFAULT_AFTER_ATTEMPT = frozenset({"score", "correctness", "feedback"})
DEFAULT_AFTER_CLOSE = frozenset(REVIEW_ITEMS)


def _as_bool(value, default: bool = False) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "oui", "on")
    return default if value is None else bool(value)


def _as_number(value, default: float | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def _as_items(value, default: frozenset[str]) -> frozenset[str]:
    if value is None:
        return default
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple | set | frozenset):
        return default
    return frozenset(str(v).strip() for v in value if str(v).strip() in REVIEW_ITEMS)


@dataclass(frozen=True)
class Rules:
    """How an instrument is taken. ``attempts`` 0 means unlimited; ``time_limit`` in minutes."""

    is_quiz: bool = True
    pass_mark: float = 50.0
    attempts: int = 0
    time_limit: int | None = None
    shuffle_questions: bool = False
    shuffle_answers: bool = False
    review_after_attempt: frozenset[str] = field(default=DEFAULT_AFTER_ATTEMPT)
    review_after_close: frozenset[str] = field(default=DEFAULT_AFTER_CLOSE)

    @classmethod
    def of(cls, instrument: Instrument) -> Rules:
        """Read the rules from ``instrument.settings``, tolerating missing or odd values.

        Quizzes default to unlimited attempts; self-assessments and questionnaires are
        answered once unless their settings say otherwise.
        """
        s = instrument.settings or {}
        is_quiz = instrument.kind == InstrumentKind.QUIZ
        attempts = int(_as_number(s.get("attempts"), 0 if is_quiz else 1) or 0)
        limit = _as_number(s.get("time_limit"), None)
        return cls(
            is_quiz=is_quiz,
            pass_mark=min(100.0, max(0.0, _as_number(s.get("pass_mark"), 50.0) or 0.0)),
            attempts=max(0, attempts),
            time_limit=int(limit) if limit and limit > 0 and is_quiz else None,
            shuffle_questions=is_quiz and _as_bool(s.get("shuffle_questions")),
            shuffle_answers=is_quiz and _as_bool(s.get("shuffle_answers")),
            review_after_attempt=_as_items(s.get("review_after_attempt"), DEFAULT_AFTER_ATTEMPT),
            review_after_close=_as_items(s.get("review_after_close"), DEFAULT_AFTER_CLOSE),
        )
