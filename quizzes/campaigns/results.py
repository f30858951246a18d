"""Follow-up answers per run and per course, and the "droit de suite": the thank-you e-mail that
reports a run's satisfaction results back to its participants (aggregates only, once per run).

Per-run figures come from :func:`quizzes.results.questionnaires.instrument_results` (anonymous: free
texts without names); a course's figures merge those of its runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from markupsafe import Markup

from courses.models import CourseRun, Enrolment, EnrolmentStatus
from lms.db import begin_write, db
from lms.mail import queue_mail, render_mail
from lms.models import User
from lms.urls import external_url
from quizzes.campaigns.mailing import unsubscribe_headers
from quizzes.campaigns.models import FollowUpPlan, FollowUpWave, ResultsReport
from quizzes.campaigns.scheduling import opted_out
from quizzes.campaigns.tokens import optout_token
from quizzes.models import Attempt, Instrument, Purpose
from quizzes.results import reports
from quizzes.results.questionnaires import InstrumentResult, QuestionResult, instrument_results

#: Below this many respondents, the summary would reveal individual answers: not sent.
MIN_RESPONDENTS = 3
#: Days after a run's end when its satisfaction questionnaire closes, without a plan.
DEFAULT_SATISFACTION_DAYS = 14


def followup_instruments(course_id: int) -> list[Instrument]:
    """The questionnaires of the course's follow-up waves, by offset (one query)."""
    return list(
        db.session.scalars(
            sa.select(Instrument)
            .join(FollowUpWave, FollowUpWave.instrument_id == Instrument.id)
            .join(FollowUpPlan, FollowUpPlan.id == FollowUpWave.plan_id)
            .where(FollowUpPlan.course_id == course_id)
            .group_by(Instrument.id)
            .order_by(sa.func.min(FollowUpWave.offset_months))
        )
    )


def channel_counts(instrument_ids: list[int], run_id: int | None = None) -> dict[int, dict]:
    """{instrument_id: {channel: finished attempts}}: how the answers arrived (link, phone…),
    for one run or every run (one query)."""
    if not instrument_ids:
        return {}
    query = (
        sa.select(Attempt.instrument_id, Attempt.channel, sa.func.count())
        .where(Attempt.instrument_id.in_(instrument_ids), Attempt.state.in_(reports.FINISHED))
        .group_by(Attempt.instrument_id, Attempt.channel)
    )
    if run_id is not None:
        query = query.where(Attempt.run_id == run_id)
    found: dict[int, dict] = {}
    for instrument_id, channel, n in db.session.execute(query):
        found.setdefault(instrument_id, {})[str(channel or "web")] = n
    return found


def run_results(
    run: CourseRun, instruments: list[Instrument], with_texts: bool = True
) -> list[InstrumentResult]:
    """Anonymous results of each questionnaire in one run (``with_texts=False``: only the
    number of free texts, listed apart a page at a time)."""
    return [instrument_results(i, run.id, named=False, with_texts=with_texts) for i in instruments]


def course_results(instrument: Instrument) -> InstrumentResult:
    """Results of a questionnaire over every run of its course that has answers."""
    run_ids = db.session.scalars(
        sa.select(Attempt.run_id)
        .where(Attempt.instrument_id == instrument.id, Attempt.state.in_(reports.FINISHED))
        .group_by(Attempt.run_id)
    ).all()
    return instrument_results(instrument, list(run_ids), named=False)


def question_text(result: QuestionResult, limit: int = 160) -> str:
    """The question's wording as plain text, shortened (for the e-mail summary)."""
    stem = Markup(result.question.stem_html or "")  # noqa: S704 - sanitised when imported
    text = " ".join(stem.striptags().split())
    text = text or result.question.title or result.question.key
    return text if len(text) <= limit else text[: limit - 1] + "…"


def satisfaction_closes_on(run: CourseRun) -> date:
    """The day the run's satisfaction questionnaire closes (end + the plan's delay)."""
    days = db.session.scalar(
        sa.select(FollowUpPlan.satisfaction_days).where(FollowUpPlan.course_id == run.course_id)
    )
    return run.ends_on + timedelta(days=DEFAULT_SATISFACTION_DAYS if days is None else days)


@dataclass
class ResultsMail:
    """What the "droit de suite" page shows: the summary, whether it may be sent, and why not."""

    results: list[InstrumentResult]
    closes_on: date
    recipients: list[User]
    sent: ResultsReport | None
    blocker: str | None


def summary(run: CourseRun) -> list[InstrumentResult]:
    """Satisfaction results of the run, aggregates only (free texts removed)."""
    found = run_results(run, reports.run_instruments(run, purposes=(Purpose.SATISFACTION,)))
    for result in found:
        result.questions = [q for q in result.questions if q.options or q.mean is not None]
        for question in result.questions:
            question.texts = []
    return found


def recipients(run: CourseRun) -> list[User]:
    """Participants to thank: active or completed enrolments, active accounts, not opted out."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(
                Enrolment.run_id == run.id,
                Enrolment.status.in_((EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)),
                User.active.is_(True),
                ~opted_out(User.id),
            )
            .order_by(User.name, User.id)
        )
    )


def results_mail(run: CourseRun, today: date) -> ResultsMail:
    """Everything about the run's thank-you e-mail; ``blocker`` says why it cannot go now."""
    sent = db.session.scalar(sa.select(ResultsReport).where(ResultsReport.run_id == run.id))
    found = summary(run)
    closes = satisfaction_closes_on(run)
    people = recipients(run)
    respondents = sum(r.respondents for r in found)
    blocker = None
    if sent is not None:
        blocker = "sent"
    elif not found:
        blocker = "no_questionnaire"
    elif today < closes:
        blocker = "open"
    elif respondents < MIN_RESPONDENTS:
        blocker = "too_few"
    elif not people:
        blocker = "no_recipient"
    return ResultsMail(found, closes, people, sent, blocker)


def render_results_mail(run: CourseRun, user: User, found: list[InstrumentResult]):
    """(subject, text, html) of the thank-you e-mail for ``user``."""
    return render_mail(
        "quizzes/campaigns/mail/results",
        user.locale,
        user=user,
        run=run,
        course=run.course,
        trainers=", ".join(t.name for t in run.trainers),
        results=found,
        question_text=question_text,
        unsubscribe_link=external_url("quizzes.followup_unsubscribe", token=optout_token(user.id)),
    )


def send_results(run: CourseRun, sender_id: int, today: date, now: datetime) -> int:
    """Queue the thank-you e-mail to every participant, once per run; return how many.

    Returns 0 if it was sent already or may not be sent (see :func:`results_mail`).
    """
    begin_write()
    db.session.execute(sa.select(CourseRun.id).where(CourseRun.id == run.id).with_for_update())
    state = results_mail(run, today)
    if state.blocker:
        return 0
    for user in state.recipients:
        subject, text, html = render_results_mail(run, user, state.results)
        link = external_url("quizzes.followup_unsubscribe", token=optout_token(user.id))
        queue_mail(
            f"followup-results:{run.id}:{user.id}",
            user.email,
            subject,
            text,
            html,
            to_name=user.name,
            user_id=user.id,
            category="followup",
            headers=unsubscribe_headers(link),
        )
    db.session.add(
        ResultsReport(
            run_id=run.id, sent_at=now, sent_by_id=sender_id, recipients=len(state.recipients)
        )
    )
    db.session.flush()
    return len(state.recipients)
