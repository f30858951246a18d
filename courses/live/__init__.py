"""Live sessions scheduled per session (CourseRun): dates, links, calendar files, attendance.

A live activity keeps its duration and description in the course folder; its date, time zone,
place, join link and replay link belong to each run (:class:`LiveSchedule`), with the folder's
values as defaults when a run is created. Trainers record attendance (:class:`LiveAttendance`),
which completes the activity through :mod:`courses.progress`.

May import: ``lms`` and the courses modules (models, progress, access, queries, blueprint).
Never ``quizzes``, ``courses.views`` or the demo.
"""

from courses.live import views  # noqa: F401 - routes register on import
