"""Pages of survey campaigns: the administrators' pages and the respondents' (no sign-in).

May import: ``lms``, ``courses``, :mod:`quizzes.surveys` and the quizzes packages it uses.
"""

from quizzes.surveys.views import admin, public, results  # noqa: F401
