"""Parcours as an LTI 1.3 tool (PyLTI1p3): an LMS such as Moodle or Canvas adds a course or an
activity as an external tool.

Modules: :mod:`~courses.lti.models` (platforms, tool keys, accounts, nonces, resource links,
the AGS score queue), :mod:`~courses.lti.keys` (the tool's RSA key pair and its JWKS),
:mod:`~courses.lti.config` (the library's tool configuration and nonces, in the database),
:mod:`~courses.lti.accounts` (platform users mapped to accounts, enrolment),
:mod:`~courses.lti.links` (where a launch leads), :mod:`~courses.lti.launch` (OIDC login
initiation, launch, JWKS), :mod:`~courses.lti.errors` (refusals explained),
:mod:`~courses.lti.deep_linking` (the content picker), :mod:`~courses.lti.ags` and
:mod:`~courses.lti.sender` (scores queued with the submission, posted by ``flask lms tick``),
:mod:`~courses.lti.admin` (« Plateformes LTI »).

May import: ``lms`` and the courses modules (models, enrolments, blueprint). Never ``quizzes``
(quizzes hands a submitted attempt's score to :func:`courses.lti.ags.queue_score`),
``courses.views`` or the demo.
"""

from courses.lti import admin, deep_linking, launch  # noqa: F401 - routes register on import
