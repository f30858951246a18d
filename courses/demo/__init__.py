"""Demo data of the courses plugin (``flask lms demo``), apart from the code that runs in
production: the demo people and sessions (:mod:`~courses.demo.data`), idempotent builders
(:mod:`~courses.demo.base`), the current and finished sessions (:mod:`~courses.demo.loader`,
:mod:`~courses.demo.past`).

May import ``lms`` and ``courses``; nothing in production imports it (only the plugin's
``demo`` hook).
"""
