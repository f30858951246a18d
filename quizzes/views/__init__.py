"""Views of the quizzes plugin: taking (learners), results (trainers), instrument editing."""

from quizzes.views import instruments, learner, trainer  # noqa: F401
