"""Course import never reads a file outside the course folder, whatever links it holds."""

from __future__ import annotations

import pytest

from courses.content.errors import ContentErrors
from courses.content.reader import read_course
from tests.courses.content_folder import MODULE_2, course_folder

SECRET = b"%PDF-1.4 SECRET-OF-THE-SERVER\n"


@pytest.fixture
def secret(tmp_path):
    """A file (and a folder) outside the course folder that nobody may import."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(SECRET)
    (outside / "module").mkdir()
    (outside / "module" / "module.yml").write_text(MODULE_2, encoding="utf-8")
    (outside / "module" / "01-classe.md").write_text("secret lesson", encoding="utf-8")
    return outside


def _errors(root) -> list[tuple[str, str]]:
    with pytest.raises(ContentErrors) as caught:
        read_course(root)
    return [(e.file, e.message) for e in caught.value.errors]


def _link(root, relative: str, target) -> None:
    link = root / relative
    if link.exists() or link.is_symlink():
        link.unlink()
    link.symlink_to(target)


def test_attachment_linked_outside_is_refused(app, tmp_path, secret):
    root = course_folder(tmp_path / "course")
    _link(root, "01-intro/fiche.pdf", secret / "secret.pdf")
    errors = _errors(root)
    assert any(
        file == "01-intro/fiche.md" and "fiche.pdf" in message and "outside" in message
        for file, message in errors
    ), errors


def test_text_files_linked_outside_are_refused(app, tmp_path, secret):
    for relative in ("course.yml", "01-intro/module.yml", "01-intro/01-bienvenue.md"):
        root = course_folder(tmp_path / relative.replace("/", "-"))
        target = secret / "copy.txt"
        target.write_bytes((root / relative).read_bytes())
        _link(root, relative, target)
        errors = _errors(root)
        name = relative.rsplit("/", 1)[-1]
        assert any(name in file + msg and "outside" in msg for file, msg in errors), errors


def test_unlisted_file_linked_outside_is_refused(app, tmp_path, secret):
    root = course_folder(tmp_path / "course", {"01-intro/module.yml": None})
    (root / "01-intro" / "zz-extra.md").symlink_to(secret / "module" / "01-classe.md")
    errors = _errors(root)
    assert any(f == "01-intro/zz-extra.md" and "outside" in m for f, m in errors), errors


def test_module_folder_linked_outside_is_refused(app, tmp_path, secret):
    root = course_folder(tmp_path / "course")
    for path in sorted((root / "02-direct").iterdir()):
        path.unlink()
    (root / "02-direct").rmdir()
    (root / "02-direct").symlink_to(secret / "module", target_is_directory=True)
    errors = _errors(root)
    assert any("02-direct" in f + m and "outside" in m for f, m in errors), errors


def test_links_that_stay_inside_the_folder_are_fine(app, tmp_path):
    root = course_folder(tmp_path / "course")
    (root / "01-intro" / "original.pdf").write_bytes((root / "01-intro" / "fiche.pdf").read_bytes())
    _link(root, "01-intro/fiche.pdf", root / "01-intro" / "original.pdf")
    course = read_course(root)
    memo = course.modules[0].activities[1]
    assert memo.files[0].filename == "fiche.pdf"
