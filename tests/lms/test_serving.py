"""The entry point gunicorn loads (``wsgi:app``) tunes the garbage collector for a long-lived
worker; the setting turns it off; the application built elsewhere keeps CPython's defaults."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lms.serving import YOUNG_THRESHOLD, settle

ROOT = Path(__file__).resolve().parents[2]
PROBE = "import gc, json, wsgi; print(json.dumps([gc.get_freeze_count(), gc.get_threshold()]))"


def _worker_state(tmp_path, **settings) -> tuple[int, list[int]]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite'}",
        "LMS_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "probe-secret",
        **settings,
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    frozen, threshold = json.loads(done.stdout.strip().splitlines()[-1])
    return frozen, threshold


def test_the_served_application_freezes_its_start_up_objects(tmp_path):
    frozen, threshold = _worker_state(tmp_path)
    assert frozen > 10_000  # the application's modules, mappers, templates, catalogs
    assert threshold[0] == YOUNG_THRESHOLD


def test_the_setting_keeps_cpythons_collector_as_it_is(tmp_path):
    frozen, threshold = _worker_state(tmp_path, LMS_GC_TUNING="false")
    assert frozen == 0
    assert threshold == [700, 10, 10]  # CPython 3.11's own


def test_an_application_built_for_tests_or_scripts_is_left_alone(app):
    assert gc.get_freeze_count() == 0  # create_app() alone never freezes


@pytest.fixture
def restore_collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_settle_never_lowers_a_threshold_set_higher(app, restore_collector):
    gc.set_threshold(50_000, 10, 10)
    assert settle(app)
    assert gc.get_threshold()[0] == 50_000
    assert gc.get_freeze_count() > 0
    app.config["LMS_GC_TUNING"] = False
    gc.unfreeze()
    assert not settle(app)
    assert gc.get_freeze_count() == 0
