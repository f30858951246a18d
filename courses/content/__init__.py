"""Content as plain text: course folders read, checked, imported and exported.

- :mod:`courses.content.reader` reads a folder into plain data, reporting every error
  (:class:`ContentError`: file, line, message) without touching the database;
- :mod:`courses.content.loader` writes that data in one transaction (matching by key);
- :mod:`courses.content.writer` exports a course back to a folder;
- :mod:`courses.content.kinds` holds the loaders/dumpers of the lesson, memo and live kinds.

The format is documented for authors in ``docs/authoring.md``.

May import: ``lms``, :mod:`courses.models`. Never ``quizzes``, the views or the demo.
"""

from courses.content.errors import ContentError, ContentErrors

__all__ = ["ContentError", "ContentErrors"]
