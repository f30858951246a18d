"""The ``project`` kind in a course folder: read, errors with file and line, export round trip."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from courses.content.errors import ContentErrors
from courses.content.loader import import_folders
from courses.content.reader import read_course
from courses.content.writer import export_course
from courses.models import Activity
from lms.db import db
from tests.courses.content_folder import MODULE_2, course_folder

PROJECT = """\
---
key: projet-final
kind: project
title: Projet final
due_days: 30
accepted: [pdf, docx]
max_size_mb: 10
pass_mark: 6
rubric:
  - key: diagnostic
    criterion: Diagnostic du territoire
    levels:
      - label: Insuffisant
        points: 0
      - label: Solide
        points: 5
  - key: plan
    criterion: Plan d'action
    levels:
      - label: Absent
        points: 0
      - label: Réaliste
        points: 2.5
      - label: Remarquable
        points: 5
---
## Consignes

Remettez votre **dossier**.
"""


def _folder(tmp_path, text=PROJECT):
    module = MODULE_2.replace("  - 01-classe.md\n", "  - 01-classe.md\n  - 02-projet.md\n")
    return course_folder(
        tmp_path / "demo", {"02-direct/module.yml": module, "02-direct/02-projet.md": text}
    )


def test_a_project_is_imported_with_its_rubric(app, tmp_path):
    import_folders([_folder(tmp_path)])
    project = db.session.scalar(sa.select(Activity).where(Activity.kind == "project"))
    assert project.title == "Projet final"
    assert "<strong>dossier</strong>" in project.body_html
    settings = project.settings
    assert settings["due_days"] == 30 and settings["accepted"] == ["pdf", "docx"]
    assert settings["max_size_mb"] == 10 and settings["max_files"] == 3
    assert settings["pass_mark"] == 6
    assert [c["key"] for c in settings["rubric"]] == ["diagnostic", "plan"]
    assert settings["rubric"][1]["levels"][1] == {"label": "Réaliste", "points": 2.5}


def test_a_project_survives_export_and_reimport(app, tmp_path):
    root = _folder(tmp_path)
    import_folders([root])
    target = export_course("demo", tmp_path / "out")
    assert read_course(target) == read_course(root)
    ids = db.session.scalars(sa.select(Activity.id).order_by(Activity.id)).all()
    (report,) = import_folders([target])
    assert (report.added, report.archived) == (0, 0)
    assert db.session.scalars(sa.select(Activity.id).order_by(Activity.id)).all() == ids


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("accepted: [pdf, docx]", "accepted: [pdf, exe]"), 6, "file type 'exe' is not known"),
        (("pass_mark: 6", "pass_mark: 60"), 8, "above the rubric's maximum (10)"),
        (
            ("        points: 5\n  - key: plan", "        points: beaucoup\n  - key: plan"),
            15,
            "'points' must be a number",
        ),
        (("  - key: plan", "  - key: diagnostic"), 17, "criterion key 'diagnostic' is used twice"),
        (("max_size_mb: 10", "max_size_mb: 500"), 7, "'max_size_mb' is at most 50"),
        (("due_days: 30\n", ""), 2, "missing required field 'due_days'"),
    ],
)
def test_mistakes_are_reported_with_file_and_line(app, tmp_path, change, line, message):
    root = _folder(tmp_path, PROJECT.replace(*change))
    with pytest.raises(ContentErrors) as caught:
        import_folders([root])
    errors = [e for e in caught.value.errors if e.file.endswith("02-projet.md")]
    assert [(e.line, message in e.message) for e in errors] == [(line, True)]
