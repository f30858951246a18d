"""Pages of follow-up campaigns: the public link pages and the administrators' pages.

May import: ``lms``, ``courses``, :mod:`quizzes.campaigns` and the quizzes packages it uses.
"""

from quizzes.campaigns.views import actions, admin, phone, public, reporting  # noqa: F401
