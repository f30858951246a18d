"""Plugin discovery, the allow-list, and an outside plugin extending the platform."""

import os
import subprocess
import sys
import textwrap

import pytest

from lms import create_app
from lms.plugins import ActivityKind, PluginError, get_registry
from tests.conftest import EXAMPLE_PLUGIN

ROOT = EXAMPLE_PLUGIN.parents[1]


def _env(**extra) -> dict:
    """Environment of a subprocess that loads the example plugin from this checkout."""
    path = os.pathsep.join([str(EXAMPLE_PLUGIN), str(ROOT), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path, **extra}


def test_first_party_plugins_load_through_entry_points(app):
    registry = get_registry(app)
    assert list(registry.plugins) == ["courses", "quizzes"]
    assert {"lesson", "memo", "live"} <= set(registry.activity_kinds)


def test_unknown_plugin_stops_start_up_with_its_name(tmp_path):
    with pytest.raises(PluginError, match="'nosuchplugin'"):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x",
                "INSTANCE_PATH": str(tmp_path),
                "LMS_PLUGINS": "courses,nosuchplugin",
            }
        )


def test_missing_requirement_is_named(tmp_path):
    with pytest.raises(PluginError, match="requires 'courses'"):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x",
                "INSTANCE_PATH": str(tmp_path),
                "LMS_PLUGINS": "quizzes",
            }
        )


def test_installed_plugin_not_in_allow_list_is_not_loaded(app):
    assert "example" not in get_registry(app).plugins
    assert "example.index" not in app.view_functions


SCRIPT = textwrap.dedent(
    """
    import sqlalchemy as sa
    from lms import create_app
    from lms.db import db
    from lms.models import User

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        tables = sa.inspect(db.engine).get_table_names()
        assert "example_checklist_items" in tables, tables
        registry = app.extensions["lms"]
        assert "checklist" in registry.activity_kinds
        assert registry.kind_for_suffix(".checklist").name == "checklist"
        user = User(email="a@example.org", name="Ada", role="learner")
        user.set_password("a long password")
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    client.post("/compte/connexion", data={"email": "a@example.org", "password": "a long password"})
    page = client.get("/exemple/").get_data(as_text=True)
    assert "Page du greffon d'exemple" in page, page
    assert 'href="/exemple/"' in page  # the plugin's nav entry is in the shell
    print("OK")
    """
)


def test_outside_plugin_adds_kind_page_and_migration(tmp_path):
    env = _env(
        LMS_PLUGINS="courses,quizzes,example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'plugin.sqlite'}",
        LMS_INSTANCE_PATH=str(tmp_path / "instance"),
    )
    flask = [sys.executable, "-m", "flask", "--app", "wsgi.py", "db", "upgrade"]
    migrated = subprocess.run(flask, env=env, capture_output=True, text=True, timeout=120)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("OK")


def test_a_kind_read_from_files_must_write_them_back(app):
    kind = ActivityKind("form", "Form", suffixes=(".form",), loader=lambda p, t: {})
    with pytest.raises(PluginError, match="'form'.*needs both a loader and a dumper"):
        get_registry(app).add_activity_kind(kind)


def test_a_kind_has_its_own_page_or_the_standard_one_not_both(app):
    kind = ActivityKind("form", "Form", endpoint="x.page", render=lambda a, e, d: "")
    with pytest.raises(PluginError, match="either an endpoint"):
        get_registry(app).add_activity_kind(kind)


def _example_suite(request, marker: str) -> subprocess.CompletedProcess:
    """Run the example plugin's own tests with it enabled, on this session's database kind."""
    command = [sys.executable, "-m", "pytest", "-q"]
    command += ["--db", request.config.getoption("--db"), "-m", marker]
    command.append(str(EXAMPLE_PLUGIN / "example_tests"))
    env = _env(LMS_PLUGINS="courses,quizzes,example")
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_example_plugin_kind_is_shown_completed_and_round_tripped(request):
    """tests/example_plugin/example_tests: the checklist kind behaves like a built-in kind."""
    result = _example_suite(request, "not browser")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout


@pytest.mark.browser
def test_example_plugin_journey_in_a_browser(request):
    """A learner ticks the example checklist in chromium until it is completed."""
    result = _example_suite(request, "browser")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout
