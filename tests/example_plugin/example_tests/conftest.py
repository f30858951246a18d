"""Fixtures of the example plugin's own tests: the host's fixtures, a compiled catalog, a course.

Run them with the plugin enabled: ``LMS_PLUGINS=courses,quizzes,example pytest
tests/example_plugin/example_tests`` (tests/lms/test_plugins.py does, on SQLite and PostgreSQL).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.e2e.conftest import _playwright, axe, page, server  # noqa: F401 - browser fixtures

HERE = Path(__file__).resolve()
#: The plugin's catalogs, then the host's.
CATALOGS = (HERE.parents[1] / "lms_example/translations", HERE.parents[3] / "lms/translations")

COURSE = """\
key: atelier
title: Préparer un atelier
language: fr
modules:
  - 01-preparer
"""
MODULE = """\
key: preparer
title: Préparer
activities:
  - 01-intro.md
  - salle.checklist
"""
LESSON = """\
---
key: intro
kind: lesson
title: Introduction
---
Lisez ceci avant de préparer la salle.
"""
CHECKLIST = """\
Préparer la salle
- Réserver la salle
- Imprimer les fiches
- Tester le vidéoprojecteur
"""


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """Compile the plugin's .po files (what ``make translations`` does) so English works."""
    for po in (po for folder in CATALOGS for po in folder.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as source:
            catalog = read_po(source)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)


def write_course(root: Path, checklist: str = CHECKLIST) -> Path:
    """Write the example course folder (a lesson then a checklist) under ``root``."""
    files = {
        "course.yml": COURSE,
        "01-preparer/module.yml": MODULE,
        "01-preparer/01-intro.md": LESSON,
        "01-preparer/salle.checklist": checklist,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root
