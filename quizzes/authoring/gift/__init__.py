"""GIFT (Moodle's quiz text format): parse, export, and the GIFT-grammar-PEG.js JSON model.

Pure Python, no Flask and no database: the quizzes plugin stores each parsed question as its
``type`` name plus ``to_settings()`` JSON, and rebuilds it with ``from_settings``.

May import: the standard library only.
"""

from quizzes.authoring.gift.export import export
from quizzes.authoring.gift.model import (
    FORMATS,
    ITEM_TYPES,
    Category,
    Choice,
    ChoiceQuestion,
    Description,
    Essay,
    GiftError,
    Item,
    Matching,
    MatchPair,
    MultipleChoice,
    Numerical,
    NumericAnswer,
    Question,
    ShortAnswer,
    SingleChoice,
    Text,
    TrueFalse,
    from_settings,
)
from quizzes.authoring.gift.parser import parse
from quizzes.authoring.gift.peg_json import to_peg_json

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
    "export",
    "from_settings",
    "parse",
    "to_peg_json",
]
