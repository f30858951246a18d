"""An outside plugin: a "checklist" activity kind, a page and migrations of its own.

It touches nothing in lms/, courses/ or quizzes/; the tests enable it with LMS_PLUGINS. It is the
example of ``docs/plugins.md``: the checklist is shown inside the standard activity page, the
learner ticks its items (kept in the plugin's own table), it is completed when every item is
ticked, and ``flask lms export`` writes it back as the ``.checklist`` file it was imported from.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from lms.plugins import ActivityKind, NavItem, Plugin
from lms_example import checklist
from lms_example.views import bp

HERE = Path(__file__).resolve().parent

plugin = Plugin(
    name="example",
    requires=("courses",),
    blueprint=bp,
    models="lms_example.models",
    migrations=str(HERE / "migrations"),
    translations=str(HERE / "translations"),
    nav=lambda user: [NavItem(_l("Exemple"), "example.index", 90)],
    activity_kinds=(
        ActivityKind(
            "checklist",
            _l("Liste de contrôle"),
            suffixes=(".checklist",),
            loader=checklist.load,
            dumper=checklist.dump,
            on_import=checklist.on_import,
            render=checklist.render,
            submit=checklist.submit,
            icon="checklist",
        ),
    ),
)
