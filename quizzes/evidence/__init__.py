"""Evidence: what an organisation shows an auditor (Qualiopi) or the public.

The session report (:mod:`~quizzes.evidence.report`: one printable page and PDF per session, or
per course over a period) gathers the figures of the other rooms: enrolments, needs, pre/post
self-assessments per objective, quiz pass rates, satisfaction with the comments a trainer
selected (:mod:`~quizzes.evidence.comments`), the trainers' evaluation and the 6/12-month
follow-ups. :mod:`~quizzes.evidence.figures` holds its own SQL aggregates,
:mod:`~quizzes.evidence.pdf` the WeasyPrint rendering, :mod:`~quizzes.evidence.views` the pages.

May import: ``lms``, ``courses``, :mod:`quizzes.models`, :mod:`quizzes.results`,
:mod:`quizzes.campaigns` (models, figures, results) and :mod:`quizzes.blueprint`. Never
:mod:`quizzes.views`, :mod:`quizzes.taking` internals or the demo.
"""
