"""Pages of follow-up campaigns: the public link pages and the administrators' pages."""

from quizzes.campaigns.views import actions, admin, phone, public, reporting  # noqa: F401
