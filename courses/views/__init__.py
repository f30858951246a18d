"""Views of the courses plugin, one module per audience.

May import: ``lms`` and the courses modules. Never ``quizzes`` or the demo.
"""

from courses.views import admin, imports, invitations, learner, trainer  # noqa: F401
