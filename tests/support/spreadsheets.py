"""Checks shared by the export tests: no cell of a CSV or XLSX file is a live formula."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

#: Learner names (and answers) that a spreadsheet would run as formulas if left alone.
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd", "-2+3", "@SUM(A1)"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _number(text: str) -> bool:
    """A signed number (decimal comma or point) is data, not a formula."""
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def csv_cells(body: bytes, delimiter: str = ";") -> list[list[str]]:
    """The rows of a CSV download (UTF-8 with BOM)."""
    assert body.startswith(b"\xef\xbb\xbf"), "a CSV for Excel starts with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def assert_csv_safe(body: bytes, expected: list[str], delimiter: str = ";") -> list[list[str]]:
    """No cell starts a formula; each of ``expected`` comes back as ``'`` + itself."""
    rows = csv_cells(body, delimiter)
    cells = [cell for row in rows for cell in row]
    live = [c for c in cells if c.startswith(DANGEROUS) and not _number(c)]
    assert not live, f"cells a spreadsheet would run as formulas: {live}"
    for text in expected:
        assert "'" + text in cells, f"{text!r} missing (or not neutralised) in {cells[:40]}"
    return rows


def assert_xlsx_safe(body: bytes, expected: list[str]) -> list[list]:
    """No cell is a formula; each of ``expected`` is a plain string cell holding exactly it."""
    book = load_workbook(io.BytesIO(body))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [c.value for c in cells if c.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    strings = {c.value for c in cells if c.data_type == "s"}
    for text in expected:
        assert text in strings, f"{text!r} is not a plain string cell"
    return [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]
