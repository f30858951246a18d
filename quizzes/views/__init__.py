"""Views of the quizzes plugin: taking (learners), results (trainers), instrument editing.

May import: every quizzes package but the demo; ``lms`` and ``courses``.
"""

from quizzes.campaigns import views as campaign_views  # noqa: F401 - follow-up campaign pages
from quizzes.evidence import opendata_views  # noqa: F401 - open data
from quizzes.evidence import public as evidence_public  # noqa: F401 - public indicators
from quizzes.evidence import views as evidence_views  # noqa: F401 - session reports
from quizzes.surveys import views as survey_views  # noqa: F401 - survey campaigns
from quizzes.views import (  # noqa: F401 - routes register on import
    instruments,
    learner,
    trainer,
    trainer_questionnaires,
    trainer_surveys,
)
