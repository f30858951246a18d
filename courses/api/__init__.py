"""The courses plugin's JSON API: courses, sessions, enrolments, progress (``/api/v1``).

May import: ``courses``, ``lms``. Never ``quizzes``.
"""

from __future__ import annotations

from lms.api import api_blueprint

bp = api_blueprint("courses_api", __name__, "Courses, sessions, enrolments and progress")

from courses.api import enrolments, views  # noqa: E402,F401 - routes register on import
