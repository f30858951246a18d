"""Activity kinds of the courses plugin: lesson, memo sheet, live session."""

from flask_babel import lazy_gettext as _l

from lms.plugins import ActivityKind

ACTIVITY_KINDS = (
    ActivityKind("lesson", _l("Leçon"), endpoint="courses.activity", icon="lesson"),
    ActivityKind("memo", _l("Fiche mémo"), endpoint="courses.activity", icon="memo"),
    ActivityKind("live", _l("Classe virtuelle"), endpoint="courses.activity", icon="live"),
)
