"""Exporting a course back to a folder: export then import gives the same course."""

from __future__ import annotations

import sqlalchemy as sa

from courses.cli import export_command
from courses.content.catalog import CATALOG, import_catalog
from courses.content.loader import import_folders
from courses.content.reader import read_course
from courses.content.writer import export_course
from courses.models import Activity
from lms.db import db
from lms.plugins import ActivityKind, get_registry
from tests.courses.content_folder import MODULE_1, course_folder, valid_files


def test_export_then_read_gives_the_same_course(app, tmp_path):
    root = course_folder(tmp_path / "demo")
    import_folders([root])
    target = export_course("demo", tmp_path / "out")
    assert target == tmp_path / "out" / "demo"
    assert read_course(target) == read_course(root)
    assert (target / "01-intro" / "fiche.pdf").read_bytes() == b"%PDF-1.4 fake\n"
    assert (target / "02-direct" / "01-classe.md").read_text(encoding="utf-8") == (
        valid_files()["02-direct/01-classe.md"]
    )


def test_the_shipped_catalog_survives_export_and_reimport(app, tmp_path):
    import_catalog()
    target = export_course("gcu07", tmp_path / "out")
    assert read_course(target) == read_course(CATALOG / "gcu07")
    ids = db.session.scalars(sa.select(Activity.id).order_by(Activity.id)).all()
    (report,) = import_folders([target])
    assert (report.added, report.archived, report.restored) == (0, 0, 0)
    assert db.session.scalars(sa.select(Activity.id).order_by(Activity.id)).all() == ids


def test_archived_activities_are_not_exported(app, tmp_path):
    root = course_folder(tmp_path / "demo")
    import_folders([root])
    (root / "01-intro" / "fiche.md").unlink()
    course_folder(
        root,
        {"01-intro/fiche.md": None, "01-intro/module.yml": MODULE_1.replace("  - fiche.md\n", "")},
    )
    import_folders([root])
    target = export_course("demo", tmp_path / "out")
    assert sorted(p.name for p in (target / "01-intro").iterdir()) == [
        "01-bienvenue.md",
        "module.yml",
    ]
    assert read_course(target) == read_course(root)


def test_kinds_of_other_plugins_are_written_by_their_dumper(app, tmp_path):
    def load(path, text):
        title, *items = text.splitlines()
        return {"key": path.stem, "title": title, "settings": {"items": items}}

    def dump(activity):
        return activity.filename, "\n".join([activity.title, *activity.settings["items"]]) + "\n"

    get_registry(app).add_activity_kind(
        ActivityKind("checklist", "Liste", suffixes=(".check",), loader=load, dumper=dump)
    )
    module = valid_files()["02-direct/module.yml"] + "  - todo.check\n"
    files = {"02-direct/module.yml": module, "02-direct/todo.check": "À faire\nlire\nécrire\n"}
    root = course_folder(tmp_path / "demo", files)
    import_folders([root])
    target = export_course("demo", tmp_path / "out")
    assert (target / "02-direct" / "todo.check").read_text(
        encoding="utf-8"
    ) == "À faire\nlire\nécrire\n"
    assert read_course(target) == read_course(root)


def test_cli_export_one_course_and_all(app, tmp_path):
    import_folders([course_folder(tmp_path / "demo")])
    runner = app.test_cli_runner()
    result = runner.invoke(export_command, ["demo", str(tmp_path / "one")])
    assert result.exit_code == 0, result.output
    assert result.output == f"Exported {tmp_path / 'one' / 'demo'}\n"
    result = runner.invoke(args=["lms", "export", "--all", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "all" / "demo" / "course.yml").is_file()


def test_cli_export_refuses_unknown_key_and_a_folder_in_the_way(app, tmp_path):
    import_folders([course_folder(tmp_path / "demo")])
    runner = app.test_cli_runner()
    result = runner.invoke(export_command, ["nope", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no course has the key 'nope'" in result.output
    course_folder(tmp_path / "out" / "demo")
    result = runner.invoke(export_command, ["demo", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "already exists and is not empty" in result.output
    result = runner.invoke(export_command, ["--all"])
    assert result.exit_code == 2
    assert "expected --all DEST" in result.output
