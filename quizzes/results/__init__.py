"""Results: what trainers read. The SQL aggregates (:mod:`~quizzes.results.reports`), item
analysis (:mod:`~quizzes.results.item_analysis`), questionnaire results
(:mod:`~quizzes.results.questionnaires`), progress per competency
(:mod:`~quizzes.results.competencies`, :mod:`~quizzes.results.chart`), the **results tables**
(:mod:`~quizzes.results.tables`) and their CSV/XLSX exports (:mod:`~quizzes.results.exports`).

May import: ``lms``, ``courses``, :mod:`quizzes.models`, :mod:`quizzes.qtypes`,
:mod:`quizzes.taking`. Never the views or demo packages.
"""
