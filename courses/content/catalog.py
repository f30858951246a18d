"""The courses shipped with Parcours, under ``courses/catalog/`` (one folder per course)."""

from __future__ import annotations

from pathlib import Path

from courses.content.loader import ImportReport, import_folders
from courses.content.reader import COURSE_FILE

#: Folder of the shipped courses.
CATALOG = Path(__file__).resolve().parents[1] / "catalog"


def catalog_folders() -> list[Path]:
    """The course folders of the catalog, in name order."""
    return sorted(p for p in CATALOG.iterdir() if (p / COURSE_FILE).is_file())


def import_catalog() -> list[ImportReport]:
    """Import (or update) every shipped course, all or nothing; raise ContentErrors if invalid."""
    return import_folders(catalog_folders())
