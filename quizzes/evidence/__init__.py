"""Evidence: what an organisation shows an auditor (Qualiopi) or the public.

The session report (:mod:`~quizzes.evidence.report`: one printable page and PDF per session, or
per course over a period) gathers the figures of the other rooms: enrolments, needs, pre/post
self-assessments per objective, quiz pass rates, satisfaction with the comments a trainer
selected (:mod:`~quizzes.evidence.comments`), the trainers' evaluation and the 6/12-month
follow-ups. :mod:`~quizzes.evidence.figures` holds its own SQL aggregates,
:mod:`~quizzes.evidence.pdf` the WeasyPrint rendering, :mod:`~quizzes.evidence.views` the pages.
Public result indicators (:mod:`~quizzes.evidence.indicators`, :mod:`~quizzes.evidence.public`),
open data with small-count suppression (:mod:`~quizzes.evidence.opendata`,
:mod:`~quizzes.evidence.suppression`, :mod:`~quizzes.evidence.opendata_views`), and the
plugin's part of the RGPD: what it holds about a person and its erasure
(:mod:`~quizzes.evidence.personal_data`), anonymisation after the retention period
(:mod:`~quizzes.evidence.retention`).

May import: ``lms``, ``courses``, :mod:`quizzes.models`, :mod:`quizzes.results`,
:mod:`quizzes.campaigns` (models, figures, results) and :mod:`quizzes.blueprint`. Never
:mod:`quizzes.views`, :mod:`quizzes.taking` internals or the demo.
"""
