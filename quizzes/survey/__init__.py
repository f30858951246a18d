"""The ``.survey`` format of self-assessments and questionnaires: parse and export."""

from quizzes.survey.export import export
from quizzes.survey.parser import TYPES, SurveyError, parse

__all__ = ["TYPES", "SurveyError", "export", "parse"]
