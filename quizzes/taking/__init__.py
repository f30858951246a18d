"""Taking an instrument: when it opens (:mod:`~quizzes.taking.opening`), its rules
(:mod:`~quizzes.taking.rules`: pass mark, attempts, time, review), the layout of an attempt
(:mod:`~quizzes.taking.layout`), starting, saving, submitting and **scoring** an attempt
(:mod:`~quizzes.taking.attempts`, :mod:`~quizzes.taking.scoring`), manual grading of essays
(:mod:`~quizzes.taking.grading`), what a learner may review (:mod:`~quizzes.taking.review`) and
the data of the learner's pages
(:mod:`~quizzes.taking.pages`).

May import: ``lms``, ``courses``, :mod:`quizzes.models`, :mod:`quizzes.qtypes`. Never the
results, authoring, views or demo packages.
"""
