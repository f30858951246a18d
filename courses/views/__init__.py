"""Views of the courses plugin, one module per audience."""

from courses.views import admin, invitations, learner, trainer  # noqa: F401
