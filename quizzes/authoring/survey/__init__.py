"""The ``.survey`` format of self-assessments and questionnaires: parse and export.

May import: the standard library, :mod:`quizzes.authoring.headers`, :mod:`quizzes.authoring.gift`.
"""

from quizzes.authoring.survey.export import export
from quizzes.authoring.survey.parser import TYPES, SurveyError, parse

__all__ = ["TYPES", "SurveyError", "export", "parse"]
