"""Property tests: malformed learner files always give a report, never a crash or a half import."""

import csv
import io

import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from courses.bulk_enrol import import_learners
from courses.csv_import import CsvReport, parse_learners
from courses.models import Enrolment
from lms.db import db
from lms.mail.models import OutboxMessage
from lms.models import User, UserToken
from tests.factories import make_course, make_run

HEADERS = [
    ["nom", "email"],
    ["Name", "E-mail"],
    ["courriel", "nom", "x"],
    ["Nom", "Prénom", "Adresse électronique", "Organisme"],
    ["NOM DE FAMILLE", "prenom", "Mail", "Fonction", "Civilité"],
    ["nom"],
    ["a", "b"],
    [],
]
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", " ", '"', ";", ",", "\t", "\n", "\r\n", "\x00", "Agnès", "a@b", "été@x.fr", "Œ’"]
    ),
    st.builds(lambda n: f"user{n}@example.org", st.integers(0, 20)),
    st.builds(lambda n: f"Personne {n}", st.integers(0, 20)),
)
rows = st.lists(st.lists(cells, max_size=4), max_size=15)


@st.composite
def csv_files(draw) -> bytes:
    """CSV-like bytes: a header (good or bad), random rows, a delimiter and an encoding."""
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(draw(st.sampled_from(HEADERS)))
    writer.writerows(draw(rows))
    text = buffer.getvalue()
    if draw(st.booleans()):
        text += draw(st.text(max_size=20))  # trailing junk, unbalanced quotes...
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "cp1252"]))
    return text.encode(encoding, errors="replace")


@st.composite
def nearly_clean_files(draw) -> bytes:
    """A well-formed file of distinct learners, sometimes with one cell spoiled."""
    numbers = draw(st.lists(st.integers(0, 50), min_size=1, max_size=8, unique=True))
    table = [[f"Personne {n}", f"user{n}@example.org"] for n in numbers]
    if draw(st.booleans()):
        row = draw(st.integers(0, len(table) - 1))
        table[row][draw(st.integers(0, 1))] = draw(cells)
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    lines = [delimiter.join(["nom", "email"])]
    lines += [delimiter.join(f'"{c}"' if delimiter in c else c for c in r) for r in table]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return newline.join(lines).encode(encoding, errors="replace")


@st.composite
def workbooks(draw) -> bytes:
    """An .xlsx file whose first sheet holds a header and random cells (numbers, text, None)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(draw(st.sampled_from(HEADERS)))
    value = st.one_of(cells.filter(lambda c: "\x00" not in c), st.none(), st.integers(-5, 10**9))
    for row in draw(st.lists(st.lists(value, max_size=5), max_size=8)):
        sheet.append([_printable(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _printable(cell):
    """openpyxl refuses control characters in cells; a spreadsheet holds none either."""
    if isinstance(cell, str):
        return "".join(c for c in cell if c.isprintable() or c in "\n\t") or None
    return cell


any_bytes = st.one_of(nearly_clean_files(), csv_files(), workbooks(), st.binary(max_size=300))


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count(model.id)))
        for model in (User, Enrolment, UserToken, OutboxMessage)
    )


@settings(max_examples=400, deadline=None)
@given(data=any_bytes)
def test_parser_never_raises_and_reports_with_lines(data):
    report = parse_learners(data)
    assert isinstance(report, CsvReport)
    assert report.ok or report.errors
    assert all(error.line >= 0 and error.message for error in report.errors)
    assert len({row.email for row in report.rows}) == len(report.rows)
    assert all(row.name and "@" in row.email for row in report.rows)
    assert all("\n" not in row.name and len(row.name) <= 200 for row in report.rows)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=any_bytes, capacity=st.sampled_from([None, 3, 30]))
def test_import_is_all_or_nothing(app, data, capacity):
    run = _the_run(capacity)
    before = _counts()
    with app.test_request_context():
        result = import_learners(run, data)
    report = result.report
    after = _counts()
    event("refused" if report.errors else "imported")
    if report.errors:
        assert after == before
    else:
        added = result.enrolled
        assert added + result.already == len(report.rows) > 0
        assert after[1] == before[1] + added and after[3] == before[3] + result.queued
        assert result.queued == added
        assert after[0] - before[0] <= added
    db.session.rollback()
    assert _counts() == before


def _the_run(capacity):
    from courses.models import CourseRun

    run = db.session.scalar(sa.select(CourseRun))
    if run is None:
        run = make_run(make_course())
    run.capacity = capacity
    db.session.commit()
    return run
