"""Open data: a course's anonymised aggregates over a period, as CSV tables described by a
Frictionless Data Package (``datapackage.json``), in one ZIP.

Only counts are published, never free texts nor the trainers' evaluations; every group of
counts goes through :func:`quizzes.evidence.suppression.suppress` (k = 5 with secondary
suppression), every indicator needs 5 people. Text cells are neutralised against spreadsheet
formulas (:func:`safe_cell`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from courses.models import Course
from lms.exports import safe_cell
from quizzes.evidence.indicators import indicator_items
from quizzes.evidence.report import merged, runs_in_period
from quizzes.evidence.suppression import K, publishable, suppress
from quizzes.models import InstrumentKind, Purpose
from quizzes.results import reports
from quizzes.results.item_analysis import question_name

#: Licences an administrator may choose; the first is the default.
LICENCES = {
    "etalab-2.0": (
        "Licence Ouverte / Open Licence version 2.0",
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
}
#: Questionnaires whose answers are published (the trainers' evaluation never is).
PUBLISHED = (
    Purpose.NEEDS,
    Purpose.PRE,
    Purpose.POST,
    Purpose.SATISFACTION,
    Purpose.FOLLOWUP_6M,
    Purpose.FOLLOWUP_12M,
    Purpose.SURVEY,
)
ANSWER_FIELDS = [
    ("question", "string", "Identifiant de la question"),
    ("intitule", "string", "Intitulé de la question"),
    ("option", "string", "Identifiant de la réponse"),
    ("reponse", "string", "Réponse proposée"),
    ("nombre", "integer", "Nombre de personnes (vide : moins de 5, ou masqué)"),
    ("repondants", "integer", "Personnes ayant répondu à la question (vide : masqué)"),
    ("part", "number", "Part des répondants à la question (0 à 1)"),
]
INDICATOR_FIELDS = [
    ("indicateur", "string", "Indicateur"),
    ("valeur", "number", "Valeur : une part (0 à 1), ou un nombre de stagiaires"),
    ("personnes", "integer", "Personnes sur lesquelles il est calculé (vide : moins de 5)"),
]


@dataclass
class DataTable:
    """One CSV file of the package."""

    name: str
    title: str
    fields: list[tuple[str, str, str]]
    rows: list[list] = field(default_factory=list)

    def csv(self) -> bytes:
        """The table as UTF-8 CSV (comma, dot decimals), header first, cells neutralised."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([name for name, _type, _title in self.fields])
        for row in self.rows:
            writer.writerow(["" if v is None else safe_cell(_number(v)) for v in row])
        return out.getvalue().encode("utf-8")


def _number(value):
    return round(value, 4) if isinstance(value, float) else value


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "table"


def answer_table(result) -> DataTable:
    """Counts per option of each closed question, suppressed; free texts left out."""
    instrument = result.instrument
    table = DataTable(f"reponses-{_slug(instrument.key)}", instrument.title, ANSWER_FIELDS)
    for item in result.questions:
        if not item.options:
            continue
        shown = suppress([o.count for o in item.options], item.answered, K)
        for option, count in zip(item.options, shown.counts, strict=True):
            share = count / shown.total if count is not None and shown.total else None
            table.rows.append(
                [
                    item.question.key,
                    question_name(item.question),
                    option.key,
                    option.label,
                    count,
                    shown.total,
                    share,
                ]
            )
    return table


def indicator_table(run_ids: list[int]) -> DataTable:
    """The result indicators of the period, each published only from 5 people."""
    table = DataTable("indicateurs", "Indicateurs de résultats", INDICATOR_FIELDS)
    for item in indicator_items(run_ids):
        people = publishable(item.people, K)
        value = item.value if people is not None else None
        table.rows.append([item.key, value, people])
    return table


def tables(course: Course, start: date, end: date) -> list[DataTable]:
    """Every table of the package: indicators, then one per published questionnaire."""
    runs = runs_in_period(course.id, start, end)
    run_ids = [run.id for run in runs]
    found = [indicator_table(run_ids)]
    if not runs:
        return found
    for instrument in reports.run_instruments(runs[0], purposes=PUBLISHED):
        if instrument.kind != InstrumentKind.QUIZ:
            found.append(answer_table(merged(instrument, run_ids, texts=False)))
    return found


def descriptor(course, start: date, end: date, licence: str, found, now: datetime) -> dict:
    """The Frictionless Data Package descriptor of a course's tables over a period."""
    return build_descriptor(
        _slug(f"{course.key}-{start.isoformat()}-{end.isoformat()}"),
        f"{course.title} — {start.isoformat()} / {end.isoformat()}",
        "Résultats agrégés et anonymisés des sessions terminées pendant la période. "
        f"Tout chiffre calculé sur moins de {K} personnes est masqué (cellule vide), ainsi "
        "qu'assez d'autres pour qu'il ne puisse pas être recalculé à partir des totaux. "
        "Les réponses libres ne sont jamais publiées.",
        licence,
        found,
        now,
    )


def build_descriptor(
    name: str, title: str, description: str, licence: str, found, now: datetime
) -> dict:
    """A Frictionless Data Package descriptor of ``found`` tables (any source)."""
    licence_title, path = LICENCES[licence]
    return {
        "profile": "tabular-data-package",
        "name": _slug(name),
        "title": title,
        "description": description,
        "created": now.replace(microsecond=0).isoformat() + "Z",
        "licenses": [{"name": licence, "title": licence_title, "path": path}],
        "resources": [_resource(table) for table in found],
    }


def _resource(table: DataTable) -> dict:
    return {
        "name": table.name,
        "title": table.title,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": True},
        "schema": {
            "fields": [{"name": n, "type": t, "title": title} for n, t, title in table.fields],
            "missingValues": [""],
        },
    }


def package(course: Course, start: date, end: date, licence: str, now: datetime) -> bytes:
    """The ZIP: ``datapackage.json`` and one CSV per table."""
    found = tables(course, start, end)
    return zip_package(descriptor(course, start, end, licence, found, now), found)


def zip_package(meta: dict, found: list[DataTable]) -> bytes:
    """A ZIP of ``datapackage.json`` (``meta``) and one CSV per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(meta, ensure_ascii=False, indent=2))
        for table in found:
            archive.writestr(f"{table.name}.csv", table.csv())
    return buffer.getvalue()
