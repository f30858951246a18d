"""Property tests: malformed course folders give ContentErrors, never a crash or a half-import."""

from __future__ import annotations

import re
import string
import tempfile
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.content.errors import ContentErrors
from courses.content.loader import import_folders
from courses.models import Activity, ActivityFile, Course, Module
from lms.db import db
from tests.courses.content_folder import valid_files, write_folder

LESSON, MEMO, LIVE = "01-intro/01-bienvenue.md", "01-intro/fiche.md", "02-direct/01-classe.md"
REQUIRED = {
    "course.yml": ["key", "title", "modules"],
    "01-intro/module.yml": ["key", "title", "activities"],
    "02-direct/module.yml": ["key", "title", "activities"],
    LESSON: ["key", "kind", "title"],
    MEMO: ["key", "kind", "title"],
    LIVE: ["key", "kind", "title", "starts_at", "duration_minutes", "join_url"],
}
TEXT_FILES = list(REQUIRED)
BROKEN_YAML = ["{", "[oops", 'title: "unterminated', "*undefined", "bad: [1, 2", "- item"]
BAD_DATES = ["2022-13-01T09:30", "2022-02-30T10:00", "demain", "2022-06-01", "09:30", "T"]
BAD_NUMBERS = ["0", "-5", "1.5", "abc", "[1]", "{a: 1}", "true"]
BAD_URLS = ["http://www.youtube-nocookie.com/x", "javascript:x", "a b", "https://", "[x]"]


def _set_field(text: str, field: str, value: str | None) -> str:
    """Replace (or with None, remove) the line ``field: ...`` and its indented continuation."""
    lines, out, skipping = text.split("\n"), [], False
    for line in lines:
        if skipping and line.startswith(" "):
            continue
        skipping = False
        if line.startswith(f"{field}:"):
            skipping = True
            if value is not None:
                out.append(f"{field}: {value}")
            continue
        out.append(line)
    return "\n".join(out)


def _pick(files, draw, paths) -> str | None:
    """One of ``paths`` still holding text (earlier mutations may have removed or garbled it)."""
    left = [path for path in paths if isinstance(files.get(path), str)]
    return draw(st.sampled_from(left)) if left else None


def drop_required(files, draw):
    path = _pick(files, draw, TEXT_FILES)
    if path is None:
        return False
    files[path] = _set_field(files[path], draw(st.sampled_from(REQUIRED[path])), None)
    return True


def corrupt_yaml(files, draw):
    path = _pick(files, draw, TEXT_FILES)
    if path is None:
        return False
    lines = files[path].split("\n")
    end = lines.index("---", 1) if path.endswith(".md") else len(lines)
    top = [i for i, line in enumerate(lines[:end]) if line[:1].isalpha()]
    lines.insert(draw(st.sampled_from(top)), draw(st.sampled_from(BROKEN_YAML)))
    files[path] = "\n".join(lines)
    return True


def duplicate_key(files, draw):
    choice = draw(st.sampled_from(["activity", "module", "field"]))
    if choice == "field":
        path = _pick(files, draw, TEXT_FILES)
        if path is None or "title:" not in files[path]:
            return False
        files[path] = files[path].replace("title:", "title: Un\ntitle:", 1)
        return True
    pair = [LESSON, MEMO, LIVE] if choice == "activity" else ["01-intro/module.yml"] * 2
    first, second = draw(st.permutations(pair))[:2]
    if choice == "module":
        second = "02-direct/module.yml"
    texts = [files.get(first), files.get(second)]
    key = re.search(r"^key: (.+)$", texts[0], re.M) if isinstance(texts[0], str) else None
    if key is None or not isinstance(texts[1], str):
        return False
    files[second] = _set_field(texts[1], "key", key.group(1))
    return True


def bad_kind(files, draw):
    kind = draw(st.text(string.ascii_lowercase + "-_ ", max_size=8))
    kind = kind if kind.strip() not in ("lesson", "memo", "live") else "quizz"
    path = draw(st.sampled_from([LESSON, MEMO, LIVE]))
    files[path] = _set_field(valid_files()[path], "kind", kind)
    return True


def missing_file(files, draw):
    files[draw(st.sampled_from(sorted(files)))] = None
    return True


def random_bytes(files, draw):
    path = draw(st.sampled_from(TEXT_FILES))
    data = draw(st.binary(min_size=1, max_size=64))
    if draw(st.booleans()):
        files[path] = data
        return True
    if files.get(path) is None:
        return False
    raw = files[path] if isinstance(files[path], bytes) else files[path].encode()
    at = draw(st.integers(0, len(raw)))
    files[path] = raw[:at] + data + raw[at:]
    return False


def bad_value(files, draw):
    field, values = draw(
        st.sampled_from(
            [
                ("starts_at", BAD_DATES),
                ("duration_minutes", BAD_NUMBERS),
                ("join_url", BAD_URLS),
                ("video", [*BAD_URLS, "https://evil.example/x"]),
            ]
        )
    )
    path = LESSON if field == "video" else LIVE
    files[path] = _set_field(valid_files()[path], field, draw(st.sampled_from(values)))
    return True


def outside_names(files, draw):
    name = draw(st.sampled_from(["../x", "/etc", ".hidden", "a/b", "..", "nope"]))
    path = draw(st.sampled_from(["course.yml", "02-direct/module.yml"]))
    files[path] = valid_files()[path] + f"  - {name}\n"
    return True


MUTATIONS = [
    drop_required,
    corrupt_yaml,
    duplicate_key,
    bad_kind,
    missing_file,
    random_bytes,
    bad_value,
    outside_names,
]


def snapshot() -> list:
    """Every row of the content tables."""
    tables = (Course, Module, Activity, ActivityFile)
    return [db.session.execute(sa.select(t.__table__)).all() for t in tables]


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_malformed_folders_give_content_errors_and_change_nothing(app, data):
    files, sure = valid_files(), False
    for mutation in data.draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        sure = mutation(files, data.draw) or sure
    with tempfile.TemporaryDirectory() as tmp:
        if not db.session.scalar(sa.select(sa.func.count()).select_from(Course)):
            import_folders([write_folder(Path(tmp) / "valid", valid_files())])
        before = snapshot()
        root = write_folder(Path(tmp) / "demo", files)
        try:
            import_folders([root])
        except ContentErrors as exc:
            assert exc.errors
            for error in exc.errors:
                assert not Path(error.file).is_absolute() and error.line >= 1 and error.message
                assert error.location().startswith(f"{root}/")
            db.session.rollback()
            assert snapshot() == before
        else:
            assert not sure, "a surely malformed folder was imported"
