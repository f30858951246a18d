"""Activity kinds of the courses plugin: lesson, memo sheet, live session, project."""

from flask_babel import lazy_gettext as _l

from courses.content.kinds import dump_markdown, load_lesson, load_live, load_memo
from courses.projects.folder import load_project
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
    ActivityKind(
        "project",
        _l("Projet"),
        endpoint="courses.project_page",
        icon="project",
        loader=load_project,
        dumper=dump_markdown,
    ),
)
