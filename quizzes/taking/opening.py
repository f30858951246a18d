"""When an instrument opens for a learner.

Quizzes, the needs questionnaire and the pre self-assessment open with the enrolment (its
access period); the post self-assessment, the satisfaction questionnaire and the trainer's
evaluation open on the run's end date (``CourseRun.ends_on``, in the platform's time zone). An
instrument's ``opens`` setting (``enrolment`` or ``run_end``) overrides the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from courses.models import CourseRun, Enrolment
from lms.db import utcnow
from quizzes.models import Instrument, InstrumentKind, Purpose

ENROLMENT = "enrolment"
RUN_END = "run_end"
#: Purposes answered at the end of the run unless the instrument says otherwise.
AT_RUN_END = (Purpose.POST, Purpose.SATISFACTION, Purpose.TRAINER_REVIEW)


@dataclass(frozen=True)
class Opening:
    """Whether the instrument is open now; if not, the date it opens and a message saying so."""

    is_open: bool
    opens_on: date | None = None
    message: str = ""


def local_today(now: datetime | None = None) -> date:
    """Today's date in the platform's time zone (``now`` is naive UTC)."""
    moment = (now or utcnow()).replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(current_app.config["LMS_TIMEZONE"])).date()


def opens_at(instrument: Instrument) -> str:
    """``enrolment`` or ``run_end``: the event that opens the instrument."""
    if instrument.kind == InstrumentKind.QUIZ:
        return ENROLMENT
    chosen = (instrument.settings or {}).get("opens")
    if chosen in (ENROLMENT, RUN_END):
        return chosen
    return RUN_END if instrument.purpose in AT_RUN_END else ENROLMENT


def opening(
    instrument: Instrument,
    run: CourseRun,
    enrolment: Enrolment | None,
    now: datetime | None = None,
) -> Opening:
    """Tell whether ``instrument`` is open in ``run`` for the holder of ``enrolment``."""
    now = now or utcnow()
    if opens_at(instrument) == RUN_END:
        return _from_run_end(run, now)
    return _from_enrolment(enrolment, now)


def _from_run_end(run: CourseRun, now: datetime) -> Opening:
    if local_today(now) >= run.ends_on:
        return Opening(True)
    message = _(
        "Ce questionnaire s'ouvrira le %(date)s, à la fin de la session. "
        "Revenez à partir de cette date pour y répondre.",
        date=format_date(run.ends_on, "long"),
    )
    return Opening(False, run.ends_on, message)


def _from_enrolment(enrolment: Enrolment | None, now: datetime) -> Opening:
    starts = enrolment.access_starts_at if enrolment is not None else None
    if starts is None or now >= starts:
        return Opening(True)
    opens_on = local_today(starts)
    message = _(
        "Ce questionnaire s'ouvrira le %(date)s, au début de votre accès à la formation.",
        date=format_date(opens_on, "long"),
    )
    return Opening(False, opens_on, message)
