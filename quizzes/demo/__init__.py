"""Demo data of the quizzes plugin (``flask lms demo``), apart from the code that runs in
production: answers of the demo sessions' learners and trainers taken through the real attempt
service (:mod:`~quizzes.demo.loader`, :mod:`~quizzes.demo.taking`,
:mod:`~quizzes.demo.answers`, :mod:`~quizzes.demo.texts`), the 2022 follow-ups
(:mod:`~quizzes.demo.followups`) and the comments quoted in the 2022 session reports
(:mod:`~quizzes.demo.evidence`).

May import anything; nothing in production imports it (only the plugin's ``demo`` hook).
"""
