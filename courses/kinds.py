"""Activity kinds of the courses plugin: lesson, memo sheet, live session."""

from flask_babel import lazy_gettext as _l

from courses.content.kinds import dump_markdown, load_lesson, load_live, load_memo
from lms.plugins import ActivityKind

ACTIVITY_KINDS = (
    ActivityKind(
        "lesson",
        _l("Leçon"),
        endpoint="courses.activity",
        icon="lesson",
        loader=load_lesson,
        dumper=dump_markdown,
        learner_marks_done=True,
    ),
    ActivityKind(
        "memo",
        _l("Fiche mémo"),
        endpoint="courses.activity",
        icon="memo",
        loader=load_memo,
        dumper=dump_markdown,
        learner_marks_done=True,
    ),
    ActivityKind(
        "live",
        _l("Classe virtuelle"),
        endpoint="courses.activity",
        icon="live",
        loader=load_live,
        dumper=dump_markdown,
        learner_marks_done=True,
    ),
)
