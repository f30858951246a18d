"""Views of the quizzes plugin: taking (learners), results (trainers), instrument editing."""

from quizzes.campaigns import views as campaign_views  # noqa: F401 - follow-up campaign pages
from quizzes.views import instruments, learner, trainer, trainer_questionnaires  # noqa: F401
