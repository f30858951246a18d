"""Helpers shared by the campaign pages: loading a run and one of its waves, or 404."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, current_app, render_template

from courses.models import CourseRun
from lms.db import db, utcnow
from lms.mail import send_queued
from quizzes.campaigns.models import Campaign, FollowUpWave
from quizzes.results import reports
from quizzes.taking.opening import local_today
from quizzes.taking.pages import attempt_items


def today() -> date:
    """Today in the platform's time zone."""
    return local_today(utcnow())


def run_or_404(run_id: int) -> CourseRun:
    """The run with its course, or 404."""
    return reports.load_run(run_id) or abort(404)


def run_and_wave(run_id: int, wave_id: int) -> tuple[CourseRun, FollowUpWave]:
    """The run and a wave of its course's plan; 404 if the wave belongs to another course."""
    run = run_or_404(run_id)
    wave = db.session.get(FollowUpWave, wave_id)
    if wave is None or wave.plan.course_id != run.course_id:
        abort(404)
    return run, wave


def sketch_campaign(run: CourseRun, wave: FollowUpWave) -> Campaign:
    """The campaign row if it exists, else an unsaved one (for previews)."""
    found = db.session.scalar(
        sa.select(Campaign).where(Campaign.run_id == run.id, Campaign.wave_id == wave.id)
    )
    return found or Campaign(run_id=run.id, wave_id=wave.id, run=run, wave=wave, paused=False)


def questionnaire_page(template: str, invitation, attempt, missing=None, status=200, **extra):
    """Render a follow-up questionnaire (public link or phone entry) with its saved answers."""
    items = attempt_items(attempt, missing={q.id for q in missing or ()})
    page = render_template(
        template,
        invitation=invitation,
        attempt=attempt,
        instrument=attempt.instrument,
        run=invitation.campaign.run,
        items=items,
        missing=[i for i in items if i.missing],
        **extra,
    )
    return page, status


def drain() -> None:
    """Send what was just queued when the platform sends on commit (else the next tick will)."""
    if current_app.config["MAIL_SEND_ON_COMMIT"]:
        send_queued()
