"""A small valid course folder, as a mapping of relative paths to contents, for content tests."""

from __future__ import annotations

from pathlib import Path

COURSE = """\
key: demo
code: DEMO
title: Formation de démonstration
language: fr
duration_hours: 7
description: |
  Une formation **courte**.
objectives:
  - key: comprendre
    text: Comprendre le format
modules:
  - 01-intro
  - 02-direct
"""

MODULE_1 = """\
key: intro
title: "Introduction : le format"
duration: 1 jour
summary: |
  Le résumé du module.
activities:
  - 01-bienvenue.md
  - fiche.md
"""

LESSON = """\
---
key: bienvenue
kind: lesson
title: Bienvenue
duration_minutes: 20
video: https://www.youtube-nocookie.com/embed/abc
---
## Bonjour

Un paragraphe.
"""

MEMO = """\
---
key: fiche-intro
kind: memo
title: Fiche mémo
attachment: fiche.pdf
---
## L'essentiel

- un point
"""

MODULE_2 = """\
key: direct
title: En direct
activities:
  - 01-classe.md
"""

LIVE = """\
---
key: classe
kind: live
title: Classe virtuelle
starts_at: 2022-06-01T09:30
duration_minutes: 90
join_url: https://visio.example.org/demo
---
Ce que couvre la séance.
"""

PDF = b"%PDF-1.4 fake\n"


def valid_files() -> dict[str, str | bytes]:
    """The files of the valid folder, by path relative to the course folder."""
    return {
        "course.yml": COURSE,
        "01-intro/module.yml": MODULE_1,
        "01-intro/01-bienvenue.md": LESSON,
        "01-intro/fiche.md": MEMO,
        "01-intro/fiche.pdf": PDF,
        "02-direct/module.yml": MODULE_2,
        "02-direct/01-classe.md": LIVE,
    }


def write_folder(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write ``files`` under ``root`` (None values are skipped) and return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for relative, content in files.items():
        if content is None:
            continue
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def course_folder(root: Path, changes: dict[str, str | bytes | None] | None = None) -> Path:
    """Write the valid folder under ``root``, with ``changes`` (None deletes a file)."""
    return write_folder(root, {**valid_files(), **(changes or {})})
