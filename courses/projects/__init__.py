"""Projects of a session and their jury: the ``project`` activity kind (module 6 of GCU07).

Modules: :mod:`~courses.projects.folder` (the kind in a course folder: instructions, deadline,
accepted files, rubric, pass mark), :mod:`~courses.projects.models`,
:mod:`~courses.projects.files` (uploads: size and sniffed type), :mod:`~courses.projects.service`
(submitting, grading, the final mark, release and its e-mails),
:mod:`~courses.projects.jury` (who is on a run's jury, inviting a juror by e-mail),
:mod:`~courses.projects.queries` (the jury's table), and the pages:
:mod:`~courses.projects.learner`, :mod:`~courses.projects.grading` (jurors),
:mod:`~courses.projects.staff` (trainers: jury, settings, release, slots, export).

May import: ``lms`` and the courses modules (models, progress, access, queries, blueprint,
content). Never ``quizzes``, ``courses.views`` or the demo.
"""

from courses.projects import grading, learner, staff  # noqa: F401 - routes register on import
