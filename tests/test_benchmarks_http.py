"""The HTTP benchmark's own code, on tiny inputs and without a server or wrk (the benchmark
itself runs with ``make bench-http``; timings never belong to the test suite)."""

from __future__ import annotations

from argparse import Namespace

import pytest

from benchmarks import http, http_report, load
from benchmarks.dataset import Cohort


def test_the_form_of_an_attempt_is_filled_like_a_person_would():
    html = """<form><input type="hidden" name="csrf_token" value="tok">
      <input type="radio" name="q1" value="b"><input type="radio" name="q1" value="a">
      <input type="checkbox" name="q2" value="x"><input type="text" name="q3">
      <select name="q4"><option value="">—</option><option value="k2">deux</option></select>
      <textarea name="q5"></textarea><input type="number" name="q6">
      <button type="submit" name="action" value="save">Enregistrer</button></form>"""
    fields = load.filled_form(html)
    assert fields["csrf_token"] == "tok" and fields["q1"] == "b" and fields["q2"] == "x"
    assert fields["q3"] and fields["q4"] == "k2" and fields["q5"] and fields["q6"] == "1"
    assert "action" not in fields


def test_every_main_page_is_measured_and_posts_come_last():
    cohort = Cohort(500, 7, "a@b", lesson_id=3, quiz_id=4, quiz_activity_id=5)
    pages = http.pages(cohort, "/parcours/tentatives/9", {"action": "save"})
    names = [p.name for p in pages]
    assert names[-2:] == ["enregistrer-reponses", "envoyer-quiz"]
    assert {"mon-parcours", "lecon", "quiz", "grille-progression", "resultats"} <= set(names)
    assert {"analyse-items", "questionnaires", "admin-session", "admin-suivi"} <= set(names)
    assert pages[-1].path == "/parcours/sessions/7/evaluations/5/commencer"


def _row(name, kind, size, rate, p50=5.0, p99=20.0, errors=0, kbytes=10.0):
    measured = load.Load(int(rate * 10), 10.0, p50, p99, errors, 0, 0, 16)
    return http_report.row(name, kind, size, measured, kbytes)


def test_the_report_checks_every_target_of_the_issue():
    args = Namespace(db="sqlite", sizes=[500, 5000], duration=10, connections=16, workers=2)
    rows = [
        _row("bare", "reference", None, 2000),
        _row("plancher-anonyme", "floor", None, 1200),  # no target, not the reference
        _row("plancher-connecte", "floor", None, 600),
        _row("lecon", "learner", 500, 800, p99=60.0),  # 0.4× but p99 too long
        _row("grille", "staff", 500, 300, p50=20.0),
        _row("grille", "staff", 5000, 300, p50=30.0, kbytes=120.0),  # slower and too big
        _row("envoyer", "submit", 500, 250, errors=2),
    ]
    summary = http_report.summarise(args, rows, [80.0, 160.0], 12345)
    missed = {c["check"] for c in summary["checks"] if not c["ok"]}
    assert missed == {
        "lecon (500): p99 ≤ 50 ms",
        "grille (5000): ≤ 100 KB",
        "grille: p50 at 5000 ≤ 1.3× p50 at 500",
        "envoyer (500): no error",
        "worker RSS ≤ 150 MB",
    }
    text = http_report.render(summary)
    assert "| lecon | 500 | 16 | 800.0 | 5.0 | 60.0 | 0.400 | 0 | 10.0 |" in text
    assert "Worker RSS after 12345 requests: 80.0 MB, 160.0 MB." in text
    assert "empty page of Parcours answers at 0.300× bare Flask for a signed-in person" in text
    assert "(0.600× anonymous)" in text


def test_a_missing_wrk_is_said_clearly(monkeypatch):
    monkeypatch.setattr(load.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit, match="apt-get install wrk"):
        load.wrk_path()


def test_flatness_is_judged_against_the_bare_requests_around_each_size():
    args = Namespace(db="sqlite", sizes=[500, 5000], duration=5, connections=16, workers=2)
    rows = [
        _row("bare", "reference", None, 2000),
        _row("grille", "staff", 500, 300, p50=20.0),  # bare around it: (2000 + 1000) / 2
        _row("resultats", "staff", 500, 300, p50=20.0),
        _row("bare", "reference", None, 1000),  # the machine slowed down
        _row("grille", "staff", 5000, 150, p50=30.0),  # bare around it: 1000
        _row("resultats", "staff", 5000, 150, p50=60.0),
        _row("bare", "reference", None, 1000),
    ]
    checks = {c["check"]: c["ok"] for c in http_report.summarise(args, rows, [], 1)["checks"]}
    assert checks["grille: p50 at 5000 ≤ 1.3× p50 at 500"]  # 30 ms then = 20 ms before
    assert not checks["resultats: p50 at 5000 ≤ 1.3× p50 at 500"]  # twice as long all the same


def test_before_and_after_are_measured_in_turns_neither_always_first():
    from benchmarks import ab

    assert ab.alternate(3) == [("before", "after"), ("after", "before"), ("before", "after")]


def test_the_side_by_side_table_gives_medians_ratios_and_errors():
    from benchmarks import ab

    def runs(*rates, errors=0):
        return [load.Load(int(r * 10), 10.0, 5.0, p99, errors, 0, 0, 16) for r, p99 in rates]

    measured = {
        "resultats": {
            "before": runs((40, 500), (36, 560), (38, 540)),
            "after": runs((60, 300), (64, 330), (62, 320)),
        },
        "quiz": {"before": runs((250, 80)), "after": runs((240, 90), errors=2)},
    }
    rows = ab.compare(measured)
    assert rows[0] == {
        "page": "resultats",
        "before": 38.0,
        "before_p99": 540.0,
        "before_errors": 0,
        "after": 62.0,
        "after_p99": 320.0,
        "after_errors": 0,
        "ratio": 1.63,
    }
    assert rows[1]["ratio"] == 0.96 and rows[1]["after_errors"] == 2
    args = ab.parse_args(["--before", "b95e9c9", "--rounds", "3", "--duration", "3"])
    text = ab.table(rows, args)
    assert "| resultats | 38.0 | 540.0 | 62.0 | 320.0 | 1.63 | 0 |" in text
    assert "| quiz | 250.0 | 80.0 | 240.0 | 90.0 | 0.96 | 2 |" in text


def test_each_version_submits_quizzes_with_its_own_as_many_learners():
    from benchmarks import ab

    takers = [f"apprenant{n}@banc.test" for n in range(15)]
    before, after = (ab.taker_emails(takers, version) for version in ab.VERSIONS)
    assert len(before) == len(after) == 6
    assert not set(before) & set(after)
    assert not set(takers[:2]) & set(before + after)  # the two answer savers
    with pytest.raises(SystemExit, match="at least four learners"):
        ab.taker_emails(takers[:3], "after")


def test_revisions_with_other_migrations_are_refused(monkeypatch):
    from benchmarks import ab

    assert ab.migrations_differ("HEAD") == [] or all(
        "/migrations/" in p or p.startswith("migrations/") for p in ab.migrations_differ("HEAD")
    )
    monkeypatch.setattr(ab, "migrations_differ", lambda rev: ["courses/migrations/c0960_x.py"])
    with pytest.raises(SystemExit, match="different migrations.*c0960_x.py"):
        ab.measure(ab.parse_args(["--before", "v0"]))

    class Reached(Exception):
        pass

    def measuring():
        raise Reached

    monkeypatch.setattr(ab.load, "wrk_path", measuring)  # the first step of measuring
    with pytest.raises(Reached):  # --newer-schema goes on, on the working copy's schema
        ab.measure(ab.parse_args(["--before", "v0", "--newer-schema"]))


def test_the_working_copy_is_served_from_a_copy_taken_at_the_start(tmp_path):
    from contextlib import ExitStack

    from benchmarks import ab

    root = tmp_path / "project"
    (root / "lms" / "templates").mkdir(parents=True)
    (root / "lms" / "templates" / "page.html").write_text("avant")
    (root / "lms" / "__pycache__").mkdir()
    (root / "lms" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    for ignored in (".git", ".venv", "instance"):
        (root / ignored).mkdir()
        (root / ignored / "big").write_text("x")
    with ExitStack() as stack:
        copy = ab.snapshot(stack, root)
        (root / "lms" / "templates" / "page.html").write_text("modifié pendant la mesure")
        assert (copy / "lms" / "templates" / "page.html").read_text() == "avant"
        assert not any((copy / name).exists() for name in (".git", ".venv", "instance"))
        assert not (copy / "lms" / "__pycache__").exists()
    assert not copy.exists()  # removed at the end


def test_the_revision_before_is_checked_out_and_removed_with_its_folder():
    from contextlib import ExitStack

    from benchmarks import ab

    with ExitStack() as stack:
        tree = ab.checkout("HEAD", stack)
        assert (tree / "wsgi.py").exists() and (tree / "lms").is_dir()
    assert not tree.exists() and not tree.parent.exists()
    assert str(tree) not in ab._git("worktree", "list")
