"""The quizzes plugin's JSON API (read-only): attempts with their scores, answers, follow-ups.

May import: ``quizzes``, ``courses``, ``lms``.
"""

from __future__ import annotations

from lms.api import api_blueprint

bp = api_blueprint("quizzes_api", __name__, "Quiz results, questionnaire answers, follow-ups")

from quizzes.api import views  # noqa: E402,F401 - routes register on import
