"""Reading a course folder: the data it gives, and every error with its file and line."""

from __future__ import annotations

import pytest

from courses.content.errors import ContentError, ContentErrors
from courses.content.reader import read_course
from lms.plugins import ActivityKind, get_registry
from tests.courses.content_folder import LESSON, LIVE, MEMO, MODULE_1, course_folder, valid_files


def errors_of(root) -> list[ContentError]:
    with pytest.raises(ContentErrors) as caught:
        read_course(root)
    return caught.value.errors


def changed(path: str, old: str, new: str) -> dict:
    text = valid_files()[path]
    assert old in text, old
    return {path: text.replace(old, new, 1)}


def test_valid_folder_gives_the_course_data(app, tmp_path):
    course = read_course(course_folder(tmp_path / "demo"))
    assert (course.key, course.title, course.duration_hours) == ("demo", course.title, 7)
    assert course.objectives == [{"key": "comprendre", "text": "Comprendre le format"}]
    assert [m.key for m in course.modules] == ["intro", "direct"]
    lesson, memo = course.modules[0].activities
    assert lesson.settings == {"video": "https://www.youtube-nocookie.com/embed/abc"}
    assert lesson.body == "## Bonjour\n\nUn paragraphe."
    assert (lesson.duration_minutes, lesson.filename) == (20, "01-bienvenue.md")
    assert memo.settings == {"attachment": "fiche.pdf"}
    assert [(f.filename, f.content_type, f.data) for f in memo.files] == [
        ("fiche.pdf", "application/pdf", b"%PDF-1.4 fake\n")
    ]
    live = course.modules[1].activities[0]
    assert live.settings == {
        "starts_at": "2022-06-01T09:30",
        "join_url": "https://visio.example.org/demo",
    }
    assert live.duration_minutes == 90


BIG = "x" * (1024 * 1024 + 1)

CASES = {
    "course.yml missing": (
        {"course.yml": None},
        ("course.yml", 1, "missing file course.yml"),
    ),
    "course.yml not YAML": (
        changed("course.yml", "language: fr", "language: [fr"),
        ("course.yml", 5, "invalid YAML"),
    ),
    "course.yml a list": (
        {"course.yml": "- key: demo\n"},
        ("course.yml", 1, "must hold fields ('name: value' lines), but it is a list"),
    ),
    "course title missing": (
        changed("course.yml", "title: Formation de démonstration\n", ""),
        ("course.yml", 1, "missing required field 'title'"),
    ),
    "bad course key": (
        changed("course.yml", "key: demo", "key: Demo_1"),
        ("course.yml", 1, "key: 'Demo_1' is not a valid key"),
    ),
    "unknown field": (
        changed("course.yml", "code: DEMO", "cod: DEMO"),
        ("course.yml", 2, "unknown field 'cod'; expected one of: key, code, title"),
    ),
    "field given twice": (
        changed("course.yml", "language: fr", "title: Encore"),
        ("course.yml", 4, "field 'title' is given twice (first at line 3)"),
    ),
    "duration not a number": (
        changed("course.yml", "duration_hours: 7", "duration_hours: sept"),
        ("course.yml", 5, "'duration_hours' must be a positive whole number, not 'sept'"),
    ),
    "module folder missing": (
        changed("course.yml", "  - 02-direct", "  - 02-direct\n  - 03-absent"),
        ("course.yml", 14, "module folder '03-absent' does not exist"),
    ),
    "module folder outside": (
        changed("course.yml", "  - 02-direct", "  - ../02-direct"),
        ("course.yml", 13, "'../02-direct' must be a plain name of this folder"),
    ),
    "module folder unlisted": (
        changed("course.yml", "  - 02-direct\n", ""),
        ("course.yml", 12, "folder '02-direct' has a module.yml but is not listed in 'modules'"),
    ),
    "module.yml missing": (
        {"02-direct/module.yml": None},
        ("02-direct/module.yml", 1, "missing file 02-direct/module.yml"),
    ),
    "module activities missing": (
        {"01-intro/module.yml": MODULE_1.split("activities:")[0]},
        ("01-intro/module.yml", 1, "missing required field 'activities'"),
    ),
    "activity file missing": (
        {"01-intro/fiche.md": None},
        ("01-intro/module.yml", 8, "activity file 'fiche.md' does not exist in 01-intro/"),
    ),
    "activity listed twice": (
        changed("01-intro/module.yml", "  - fiche.md", "  - fiche.md\n  - fiche.md"),
        ("01-intro/module.yml", 9, "'fiche.md' is listed twice"),
    ),
    "activity file unlisted": (
        {"01-intro/brouillon.md": LESSON.replace("bienvenue", "brouillon")},
        ("01-intro/module.yml", 6, "file 'brouillon.md' is not listed in 'activities'"),
    ),
    "gift file unlisted": (
        {"01-intro/quiz.gift": "::Q:: 1+1 {=2}"},
        ("01-intro/module.yml", 6, "file 'quiz.gift' is not listed in 'activities'"),
    ),
    "suffix without a kind": (
        {
            **changed("01-intro/module.yml", "  - fiche.md", "  - fiche.md\n  - notes.txt"),
            "01-intro/notes.txt": "notes",
        },
        ("01-intro/notes.txt", 1, "no activity kind reads '.txt' files"),
    ),
    "activity key used twice": (
        changed("02-direct/01-classe.md", "key: classe", "key: bienvenue"),
        (
            "02-direct/01-classe.md",
            2,
            "activity key 'bienvenue' is already used in 01-intro/01-bienvenue.md (line 2)",
        ),
    ),
    "module key used twice": (
        changed("02-direct/module.yml", "key: direct", "key: intro"),
        ("02-direct/module.yml", 1, "module key 'intro' is already used in 01-intro/module.yml"),
    ),
    "no front matter": (
        {"01-intro/01-bienvenue.md": "## Bonjour\n"},
        ("01-intro/01-bienvenue.md", 1, "missing front matter"),
    ),
    "front matter not closed": (
        {"01-intro/01-bienvenue.md": LESSON.replace("---\n## Bonjour", "## Bonjour")},
        ("01-intro/01-bienvenue.md", 1, "never closed by a line '---'"),
    ),
    "front matter not YAML": (
        changed("01-intro/01-bienvenue.md", "title: Bienvenue", "title: [Bienvenue"),
        ("01-intro/01-bienvenue.md", 5, "invalid YAML"),
    ),
    "unknown kind": (
        changed("01-intro/01-bienvenue.md", "kind: lesson", "kind: lecon"),
        (
            "01-intro/01-bienvenue.md",
            3,
            "unknown kind 'lecon'; known kinds: lesson, live, memo, project",
        ),
    ),
    "kind missing": (
        changed("01-intro/01-bienvenue.md", "kind: lesson\n", ""),
        ("01-intro/01-bienvenue.md", 2, "missing required field 'kind'"),
    ),
    "activity title missing": (
        changed("01-intro/01-bienvenue.md", "title: Bienvenue\n", ""),
        ("01-intro/01-bienvenue.md", 2, "missing required field 'title'"),
    ),
    "video host not allowed": (
        changed("01-intro/01-bienvenue.md", "www.youtube-nocookie.com", "evil.example.com"),
        ("01-intro/01-bienvenue.md", 6, "host 'evil.example.com' is not allowed"),
    ),
    "video not https": (
        changed("01-intro/01-bienvenue.md", "https://www", "http://www"),
        ("01-intro/01-bienvenue.md", 6, "'video' must be an https:// address"),
    ),
    "empty lesson": (
        {"01-intro/01-bienvenue.md": LESSON.split("## Bonjour")[0].replace("video", "#video")},
        ("01-intro/01-bienvenue.md", 8, "the page is empty"),
    ),
    "level-1 heading": (
        changed("01-intro/01-bienvenue.md", "Un paragraphe.", "# Titre"),
        ("01-intro/01-bienvenue.md", 10, "level-1 heading"),
    ),
    "raw HTML": (
        changed("01-intro/01-bienvenue.md", "Un paragraphe.", "Un <script>x</script>."),
        ("01-intro/01-bienvenue.md", 10, "raw HTML ('<script') is not allowed"),
    ),
    "attachment missing": (
        {"01-intro/fiche.pdf": None},
        ("01-intro/fiche.md", 5, "attachment 'fiche.pdf' is not a file of this module's folder"),
    ),
    "attachment too big": (
        {"01-intro/fiche.pdf": b"0" * (5 * 1024 * 1024 + 1)},
        ("01-intro/fiche.md", 5, "attachment 'fiche.pdf' is 5.0 MB; the limit is 5 MB"),
    ),
    "live date invalid": (
        changed("02-direct/01-classe.md", "2022-06-01T09:30", "2022-13-01T09:30"),
        ("02-direct/01-classe.md", 5, "'starts_at' must be a local date and time like"),
    ),
    "live date without time": (
        changed("02-direct/01-classe.md", "2022-06-01T09:30", "2022-06-01"),
        ("02-direct/01-classe.md", 5, "'starts_at' must be a local date and time like"),
    ),
    "live date with offset": (
        changed("02-direct/01-classe.md", "2022-06-01T09:30", "2022-06-01T09:30+02:00"),
        ("02-direct/01-classe.md", 5, "without an offset"),
    ),
    "live duration zero": (
        changed("02-direct/01-classe.md", "duration_minutes: 90", "duration_minutes: 0"),
        ("02-direct/01-classe.md", 6, "'duration_minutes' must be a positive whole number"),
    ),
    "live duration missing": (
        changed("02-direct/01-classe.md", "duration_minutes: 90\n", ""),
        ("02-direct/01-classe.md", 2, "missing required field 'duration_minutes'"),
    ),
    "live join link missing": (
        changed("02-direct/01-classe.md", "join_url: https://visio.example.org/demo\n", ""),
        ("02-direct/01-classe.md", 2, "missing required field 'join_url'"),
    ),
    "live replay not https": (
        changed("02-direct/01-classe.md", "---\nCe", "replay_url: ftp://x.org/r\n---\nCe"),
        ("02-direct/01-classe.md", 8, "'replay_url' must be an https:// address"),
    ),
    "not UTF-8": (
        {"02-direct/01-classe.md": LIVE.replace("séance", "s\xe9ance").encode("latin-1")},
        ("02-direct/01-classe.md", 9, "the file is not UTF-8 text (byte 0xe9 at offset"),
    ),
    "control character": (
        changed("01-intro/fiche.md", "- un point", "- un\x00point"),
        ("01-intro/fiche.md", 9, "control character U+0000"),
    ),
    "Markdown over 1 MB": (
        {"01-intro/fiche.md": MEMO + BIG},
        ("01-intro/fiche.md", 1, "text files are limited to 1 MB"),
    ),
    "objective key twice": (
        changed("course.yml", "modules:", "  - key: comprendre\n    text: Encore\nmodules:"),
        ("course.yml", 11, "objective key 'comprendre' is given twice"),
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_each_error_names_its_file_and_line(app, tmp_path, files, expected):
    errors = errors_of(course_folder(tmp_path / "demo", files))
    file, line, message = expected
    found = [(e.file, e.line) for e in errors if message in e.message]
    assert found == [(file, line)], [str(e) for e in errors]


def test_every_error_is_reported_not_only_the_first(app, tmp_path):
    root = course_folder(
        tmp_path / "demo",
        {
            **changed("course.yml", "duration_hours: 7", "duration_hours: -1"),
            **changed("01-intro/01-bienvenue.md", "kind: lesson", "kind: lecon"),
            **changed("02-direct/01-classe.md", "2022-06-01T09:30", "demain"),
        },
    )
    assert [(e.file, e.line) for e in errors_of(root)] == [
        ("01-intro/01-bienvenue.md", 3),
        ("02-direct/01-classe.md", 5),
        ("course.yml", 5),
    ]


def test_errors_print_as_file_line_message(app, tmp_path):
    root = course_folder(tmp_path / "demo", changed("course.yml", "key: demo", "key: -x"))
    (error,) = errors_of(root)
    assert str(error).startswith("course.yml:1: key: '-x' is not a valid key")
    assert error.location() == f"{root}/course.yml:1"


def test_video_hosts_come_from_the_setting(app, tmp_path):
    app.config["LMS_VIDEO_HOSTS"] = "player.vimeo.com"
    (error,) = errors_of(course_folder(tmp_path / "demo"))
    assert "allowed hosts: player.vimeo.com (setting LMS_VIDEO_HOSTS)" in error.message


def _dump(activity):
    """A kind read from its own files must write them back (not exercised here)."""
    return activity.filename, f"# {activity.title}\n"


def _checklist_loader(path, text):
    if not text.startswith("#"):
        raise ContentError(path, 2, "a checklist starts with '# title'")
    title, *items = text.splitlines()
    return {"key": path.stem, "title": title[1:].strip(), "settings": {"items": items}}


def _register_checklist(app):
    get_registry(app).add_activity_kind(
        ActivityKind(
            "checklist", "Liste", suffixes=(".check",), loader=_checklist_loader, dumper=_dump
        )
    )


def with_checklist(text: str) -> dict:
    return {
        **changed("02-direct/module.yml", "  - 01-classe.md", "  - 01-classe.md\n  - todo.check"),
        "02-direct/todo.check": text,
    }


def test_other_suffixes_go_to_the_kind_registered_for_them(app, tmp_path):
    _register_checklist(app)
    course = read_course(course_folder(tmp_path / "demo", with_checklist("# À faire\nlire")))
    checklist = course.modules[1].activities[1]
    assert (checklist.key, checklist.kind, checklist.title) == ("todo", "checklist", "À faire")
    assert checklist.settings == {"items": ["lire"]}


def test_a_kind_loader_error_is_reported_relative_to_the_folder(app, tmp_path):
    _register_checklist(app)
    errors = errors_of(course_folder(tmp_path / "demo", with_checklist("lire")))
    assert [str(e) for e in errors] == ["02-direct/todo.check:2: a checklist starts with '# title'"]


def test_a_crashing_kind_loader_becomes_an_error(app, tmp_path):
    def broken(path, text):
        raise RuntimeError("boom")

    get_registry(app).add_activity_kind(
        ActivityKind("checklist", "Liste", suffixes=(".check",), loader=broken, dumper=_dump)
    )
    errors = errors_of(course_folder(tmp_path / "demo", with_checklist("x")))
    assert [str(e) for e in errors] == [
        "02-direct/todo.check:1: the 'checklist' reader failed: boom"
    ]


def test_a_suffix_kind_cannot_be_named_in_markdown(app, tmp_path):
    _register_checklist(app)
    files = changed("01-intro/01-bienvenue.md", "kind: lesson", "kind: checklist")
    errors = errors_of(course_folder(tmp_path / "demo", files))
    assert [str(e) for e in errors] == [
        "01-intro/01-bienvenue.md:3: kind 'checklist' is written in .check files, not Markdown"
    ]


def test_a_broken_course_yml_does_not_hide_the_errors_of_the_modules(app, tmp_path):
    files = {
        "course.yml": "key: demo\ntitle: [oops\n",
        **changed("02-direct/01-classe.md", "2022-06-01T09:30", "2022-06-31T09:30"),
    }
    errors = errors_of(course_folder(tmp_path / "demo", files))
    assert [(e.file, e.line) for e in errors] == [("02-direct/01-classe.md", 5), ("course.yml", 3)]


def test_a_broken_module_yml_does_not_hide_the_errors_of_its_activities(app, tmp_path):
    files = {
        "01-intro/module.yml": "key: intro\nactivities: {\n",
        **changed("01-intro/fiche.md", "kind: memo", "kind: fiche"),
    }
    errors = errors_of(course_folder(tmp_path / "demo", files))
    assert [(e.file, e.line) for e in errors] == [
        ("01-intro/fiche.md", 3),
        ("01-intro/module.yml", 3),
    ]
