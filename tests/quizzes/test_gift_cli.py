"""``inspect`` command (``flask lms quiz inspect FILE.gift``), run through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizzes.authoring.gift.cli import inspect

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "gift" / "giftFormatPhpExamples.gift"


@pytest.fixture
def runner():
    """A runner keeping stderr apart from stdout, whatever the click version."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:  # click >= 8.2 always separates them
        return CliRunner()


def test_json_output_is_the_peg_model(runner):
    result = runner.invoke(inspect, [str(FIXTURE), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = json.loads(FIXTURE.with_suffix(".json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == expected


def test_text_output_summarises_each_question(runner):
    result = runner.invoke(inspect, [str(FIXTURE), "--format", "text"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].endswith("10 question(s), 0 category line(s)")
    assert "single_choice" in lines[1] and "Who's buried in Grant's tomb?" in lines[1]
    assert "numerical" in lines[-1] and "[Numerical example]" in lines[-1]
    assert "(2 answer(s))" in lines[-1]


def test_bad_file_reports_location_and_exits_1(runner, tmp_path):
    bad = tmp_path / "bad.gift"
    bad.write_text("Good {T}\n\n// comment\nBad {\n  ~%x%a =b\n}\n", encoding="utf-8")
    result = runner.invoke(inspect, [str(bad), "--format", "json"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"{bad}:5:4: bad weight '%x%'")


def test_non_utf8_file_is_a_gift_error(runner, tmp_path):
    bad = tmp_path / "latin1.gift"
    bad.write_bytes("Ok {T}\n\nCaf\u00e9 {T}\n".encode("latin-1"))
    result = runner.invoke(inspect, [str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}:3:4: ")
