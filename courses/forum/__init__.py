"""A discussion forum per session (CourseRun), organised by module plus a general space.

Modules: :mod:`~courses.forum.models` (threads, posts, read states, reports, digest opt-outs),
:mod:`~courses.forum.queries` (lists with counts in a fixed number of queries),
:mod:`~courses.forum.posting` (writing, editing, moderating, e-mails),
:mod:`~courses.forum.digest` (the daily digest, run by ``flask lms tick``),
:mod:`~courses.forum.views` and :mod:`~courses.forum.moderation` (pages).

Who may read: the session's learners whose access is open, its trainers and administrators.

May import: ``lms`` and the courses modules (models, progress, access, queries, blueprint).
Never ``quizzes``, ``courses.views`` or the demo.
"""

from courses.forum import moderation, views  # noqa: F401 - routes register on import
