"""Support requests of a session's learners, answered within a deadline (48 hours by default).

Modules: :mod:`~courses.support.models`, :mod:`~courses.support.clock` (deadline in calendar or
business hours), :mod:`~courses.support.files` (attachments: size and sniffed type),
:mod:`~courses.support.service` (opening, messages, routing, e-mails),
:mod:`~courses.support.report` (figures per session and period), and the pages in
:mod:`~courses.support.views` (learners) and :mod:`~courses.support.staff` (queue, report).

May import: ``lms`` and the courses modules (models, progress, access, queries, blueprint).
Never ``quizzes``, ``courses.views`` or the demo.
"""

from courses.support import staff, views  # noqa: F401 - routes register on import
