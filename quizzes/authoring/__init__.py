"""Authoring: where instruments come from. The course-folder files (GIFT quizzes with a
``// ---`` settings header, ``.survey`` questionnaires), their activity kinds (load, dump,
import), the sync of Instrument/Question rows with an activity's settings, and the web editor.

- :mod:`quizzes.authoring.gift`, :mod:`quizzes.authoring.survey`: the two text formats;
- :mod:`quizzes.authoring.headers`, :mod:`quizzes.authoring.quizfile`: file headers, quiz files;
- :mod:`quizzes.authoring.kinds`: the ``quiz`` and ``survey`` activity kinds;
- :mod:`quizzes.authoring.sync`: rows kept in step with the files;
- :mod:`quizzes.authoring.editor`, :mod:`quizzes.authoring.forms`: editing in the browser.

May import: ``lms``, ``courses``, :mod:`quizzes.models`, :mod:`quizzes.qtypes`. Never the
taking, results, views or demo packages.
"""
