"""Importing course folders into the database: all or nothing, and re-imports that keep progress."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from courses.cli import import_command
from courses.content.catalog import CATALOG, import_catalog
from courses.content.errors import ContentErrors
from courses.content.loader import import_folders
from courses.models import Activity, ActivityFile, Course, Module, Progress
from courses.progress import complete_activity
from lms.db import db
from lms.plugins import ActivityKind, get_registry
from tests.courses.content_folder import LESSON, MODULE_1, course_folder, valid_files
from tests.factories import enrol, make_run

TABLES = (Course, Module, Activity, ActivityFile, Progress)


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in TABLES)


def activity(key: str) -> Activity:
    return db.session.scalar(sa.select(Activity).where(Activity.key == key))


def test_import_writes_the_course_with_rendered_html_and_attachments(app, tmp_path):
    (report,) = import_folders([course_folder(tmp_path / "demo")])
    assert (report.created, report.added, report.modules, report.activities) == (True, 3, 2, 3)
    course = db.session.scalar(sa.select(Course))
    assert (course.key, course.code, course.duration_hours) == ("demo", "DEMO", 7)
    assert course.description_html == "<p>Une formation <strong>courte</strong>.</p>"
    assert [(m.key, m.position, m.duration) for m in course.modules] == [
        ("intro", 1, "1 jour"),
        ("direct", 2, None),
    ]
    lesson = activity("bienvenue")
    assert (lesson.kind, lesson.position, lesson.filename) == ("lesson", 1, "01-bienvenue.md")
    assert lesson.body_html.startswith('<h2 id="bonjour">Bonjour</h2>')
    memo = activity("fiche-intro")
    assert [(f.filename, f.content_type, f.data) for f in memo.files] == [
        ("fiche.pdf", "application/pdf", b"%PDF-1.4 fake\n")
    ]
    live = activity("classe")
    assert (live.module.key, live.settings["starts_at"], live.duration_minutes) == (
        "direct",
        "2022-06-01T09:30",
        90,
    )


def test_nothing_is_written_when_any_folder_has_an_error(app, tmp_path):
    import_folders([course_folder(tmp_path / "old")])
    before = counts()
    good = course_folder(
        tmp_path / "good",
        {"course.yml": valid_files()["course.yml"].replace("key: demo", "key: other")},
    )
    bad = course_folder(tmp_path / "bad", {"01-intro/fiche.pdf": None})
    with pytest.raises(ContentErrors) as caught:
        import_folders([good, bad])
    assert [e.location() for e in caught.value.errors] == [f"{bad}/01-intro/fiche.md:5"]
    assert counts() == before


def test_two_folders_with_the_same_course_key_are_refused(app, tmp_path):
    first, second = course_folder(tmp_path / "a"), course_folder(tmp_path / "b")
    with pytest.raises(ContentErrors) as caught:
        import_folders([first, second])
    (error,) = caught.value.errors
    assert error.location() == f"{second}/course.yml:1"
    assert f"course key 'demo' is also the key of {first}" in error.message
    assert counts() == (0, 0, 0, 0, 0)


def _learner_progress(make_user):
    course = db.session.scalar(sa.select(Course))
    enrolment = enrol(make_run(course), make_user())
    for key in ("bienvenue", "fiche-intro"):
        complete_activity(enrolment, activity(key))
    db.session.commit()
    return enrolment


def test_reimport_updates_text_keeps_ids_and_progress_and_archives(app, tmp_path, make_user):
    root = course_folder(tmp_path / "demo")
    import_folders([root])
    enrolment = _learner_progress(make_user)
    ids = {a.key: a.id for a in db.session.scalars(sa.select(Activity))}
    progress = db.session.scalars(sa.select(Progress.activity_id).order_by(Progress.id)).all()
    lesson = LESSON.replace("title: Bienvenue", "title: Bienvenue à tous")
    course_folder(
        root,
        {
            "01-intro/01-bienvenue.md": lesson.replace("Un paragraphe.", "Un texte revu."),
            "01-intro/module.yml": MODULE_1.replace(
                "  - 01-bienvenue.md\n  - fiche.md", "  - 01-bienvenue.md"
            ),
        },
    )
    (root / "01-intro" / "fiche.md").unlink()
    (report,) = import_folders([root])
    db.session.expire_all()
    assert (report.created, report.added, report.archived, report.restored) == (False, 0, 1, 0)
    assert {a.key: a.id for a in db.session.scalars(sa.select(Activity))} == ids
    assert (
        db.session.scalars(sa.select(Progress.activity_id).order_by(Progress.id)).all() == progress
    )
    lesson_row = activity("bienvenue")
    assert lesson_row.title == "Bienvenue à tous"
    assert "Un texte revu." in lesson_row.body_html
    assert activity("fiche-intro").archived is True
    assert len(db.session.get(type(enrolment), enrolment.id).run.course.modules) == 2


def test_a_reappearing_activity_is_restored_with_its_id(app, tmp_path):
    root = course_folder(tmp_path / "demo")
    import_folders([root])
    memo_id = activity("fiche-intro").id
    course_folder(root, {"01-intro/module.yml": MODULE_1.replace("  - fiche.md\n", "")})
    (root / "01-intro" / "fiche.md").rename(tmp_path / "fiche.md")
    import_folders([root])
    (tmp_path / "fiche.md").rename(root / "01-intro" / "fiche.md")
    course_folder(root)
    (report,) = import_folders([root])
    db.session.expire_all()
    assert report.restored == 1
    memo = activity("fiche-intro")
    assert (memo.id, memo.archived, memo.position) == (memo_id, False, 2)


def test_moving_an_activity_to_another_module_keeps_its_id(app, tmp_path):
    root = course_folder(tmp_path / "demo")
    import_folders([root])
    memo_id = activity("fiche-intro").id
    files = valid_files()
    (root / "01-intro" / "fiche.md").rename(root / "02-direct" / "fiche.md")
    (root / "01-intro" / "fiche.pdf").rename(root / "02-direct" / "fiche.pdf")
    course_folder(
        root,
        {
            "01-intro/module.yml": MODULE_1.replace("  - fiche.md\n", ""),
            "02-direct/module.yml": files["02-direct/module.yml"] + "  - fiche.md\n",
            "01-intro/fiche.md": None,
            "01-intro/fiche.pdf": None,
        },
    )
    import_folders([root])
    db.session.expire_all()
    memo = activity("fiche-intro")
    assert (memo.id, memo.module.key, memo.position, memo.archived) == (memo_id, "direct", 2, False)


def test_a_removed_module_is_archived_with_its_activities(app, tmp_path):
    root = course_folder(tmp_path / "demo")
    import_folders([root])
    import shutil

    shutil.rmtree(root / "02-direct")
    course_folder(
        root,
        {
            "course.yml": valid_files()["course.yml"].replace("  - 02-direct\n", ""),
            "02-direct/module.yml": None,
            "02-direct/01-classe.md": None,
        },
    )
    (report,) = import_folders([root])
    db.session.expire_all()
    archived = db.session.scalars(sa.select(Module.key).where(Module.archived)).all()
    assert (archived, report.archived, activity("classe").archived) == (["direct"], 1, True)


def test_a_replaced_attachment_is_updated_and_a_dropped_one_removed(app, tmp_path):
    root = course_folder(tmp_path / "demo")
    import_folders([root])
    course_folder(root, {"01-intro/fiche.pdf": b"%PDF-1.7 new"})
    import_folders([root])
    db.session.expire_all()
    assert [f.data for f in activity("fiche-intro").files] == [b"%PDF-1.7 new"]
    memo = valid_files()["01-intro/fiche.md"].replace("attachment: fiche.pdf\n", "")
    course_folder(root, {"01-intro/fiche.md": memo})
    import_folders([root])
    db.session.expire_all()
    assert activity("fiche-intro").files == []
    assert activity("fiche-intro").settings == {}


def test_cli_import_reports_what_it_did(app, tmp_path):
    root = course_folder(tmp_path / "demo")
    result = app.test_cli_runner().invoke(import_command, [str(root)])
    assert result.exit_code == 0, result.output
    assert "Created course demo (Formation de démonstration): 2 module(s), 3 activity(ies)" in (
        result.output
    )
    result = app.test_cli_runner().invoke(import_command, [str(root)])
    assert "Updated course demo" in result.output
    assert "0 added, 0 archived, 0 restored" in result.output


def test_cli_import_lists_every_error_and_exits_1(app, tmp_path):
    lesson = LESSON.replace("kind: lesson", "kind: lecon")
    root = course_folder(
        tmp_path / "demo", {"01-intro/01-bienvenue.md": lesson, "01-intro/fiche.pdf": None}
    )
    result = app.test_cli_runner().invoke(import_command, [str(root)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{root}/01-intro/01-bienvenue.md:3: unknown kind 'lecon'; "
        "known kinds: lesson, live, memo, project",
        f"{root}/01-intro/fiche.md:5: attachment 'fiche.pdf' is not a file of this module's folder",
        "2 error(s); nothing was imported.",
    ]
    assert counts() == (0, 0, 0, 0, 0)


def test_cli_import_through_flask_lms(app, tmp_path):
    root = course_folder(tmp_path / "demo")
    result = app.test_cli_runner().invoke(args=["lms", "import", str(root)])
    assert result.exit_code == 0, result.output
    assert counts()[:3] == (1, 2, 3)


def test_the_shipped_catalog_imports_cleanly_and_again_without_change(app):
    reports = import_catalog()
    folders = sorted(p.name for p in CATALOG.iterdir() if (p / "course.yml").is_file())
    assert [r.course.key for r in reports] == folders
    gcu07 = db.session.scalar(sa.select(Course).where(Course.key == "gcu07"))
    assert len(gcu07.modules) == 6
    before = counts()
    (again,) = [r for r in import_catalog() if r.course.key == "gcu07"]
    assert (again.created, again.added, again.archived) == (False, 0, 0)
    assert counts() == before


def test_kinds_of_other_plugins_are_imported_hidden_and_hooked(app, tmp_path):
    synced = []

    def load(path, text):
        return {"key": path.stem, "title": text.strip(), "settings": {"n": 1}, "hidden": True}

    get_registry(app).add_activity_kind(
        ActivityKind(
            "form",
            "Formulaire",
            suffixes=(".form",),
            loader=load,
            dumper=lambda a: (a.filename, f"{a.title}\n"),
            on_import=lambda a: synced.append((a.id, a.key, a.settings)),
        )
    )
    module = valid_files()["02-direct/module.yml"] + "  - bilan.form\n"
    root = course_folder(
        tmp_path / "demo", {"02-direct/module.yml": module, "02-direct/bilan.form": "Bilan\n"}
    )
    import_folders([root])
    form = activity("bilan")
    assert (form.kind, form.title, form.hidden, form.position) == ("form", "Bilan", True, 2)
    assert synced == [(form.id, "bilan", {"n": 1})]


def _folder_with_lessons(root, count: int):
    names = [f"l{n}.md" for n in range(count)]
    files = {"01-intro/module.yml": MODULE_1 + "".join(f"  - {name}\n" for name in names)}
    for n, name in enumerate(names):
        files[f"01-intro/{name}"] = LESSON.replace("key: bienvenue", f"key: l{n}")
    return course_folder(root, files)


def test_reimport_reads_with_a_fixed_number_of_queries(app, tmp_path, count_queries):
    selects = []
    for count in (2, 8):
        root = _folder_with_lessons(tmp_path / f"c{count}", count)
        import_folders([root])
        with count_queries() as counter:
            import_folders([root])
        kinds = [s.lstrip().split()[0].upper() for s in counter.statements]
        selects.append(kinds.count("SELECT"))
        assert set(kinds) <= {"SELECT", "COMMIT"}, "an unchanged folder writes nothing"
    assert selects[0] == selects[1]
