"""The README's « Configuration » table is what administrators read: one table, every setting
`lms/config.py` reads from the environment listed once."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _configuration_section() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return section.splitlines()


def test_every_setting_is_in_the_one_configuration_table():
    lines = _configuration_section()
    table_starts = [i for i, line in enumerate(lines) if line.startswith("|---")]
    assert len(table_starts) == 1, "the configuration table is split in two"
    rows = []
    for line in lines[table_starts[0] + 1 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    orphans = [line for line in lines[table_starts[0] + len(rows) + 1 :] if line.startswith("|")]
    assert not orphans, f"table rows outside the table: {orphans}"
    named = [name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])]
    assert len(named) == len(set(named)), "a setting is listed twice"
    read = set(re.findall(r'env\.get\("([A-Z0-9_]+)"', (ROOT / "lms/config.py").read_text()))
    assert read, "lms/config.py reads no variable?"
    assert read - set(named) == set(), "settings read but not documented"
