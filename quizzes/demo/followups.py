"""Demo data of follow-up campaigns: GCU07's plan (6 and 12 months) and, for its past runs, the
waves already sent and partly answered (by link and by phone), except the last run's 12-month
wave, left for the administrator to send. Safe to run again: nothing is invited or answered
twice."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from courses.models import Course, CourseRun
from lms.db import db
from lms.mail.models import MailStatus, OutboxMessage
from lms.models import Role, User
from quizzes.campaigns import answers
from quizzes.campaigns.mailing import mail_key
from quizzes.campaigns.models import Invitation, InvitationState
from quizzes.campaigns.plans import default_plan
from quizzes.campaigns.scheduling import (
    ensure_campaign,
    expire_links,
    issue_invitations,
    queue_reminders,
)
from quizzes.campaigns.timing import add_months
from quizzes.models import Channel
from quizzes.taking.layout import field_name, layout_options, layout_questions

COMMENTS = (
    "Nous avons mis en ligne un portail de démarches et le nombre de demandes papier a baissé.",
    "Le budget participatif a été lancé, avec un vote en ligne et des urnes en mairie.",
    "Manque de temps : les projets sont restés en attente, mais l'équipe est sensibilisée.",
    "Un premier jeu de données a été publié sur le portail open data de l'intercommunalité.",
)


def plausible_answers(attempt, rng) -> MultiDict:
    """Plausible answers to every question of the attempt."""
    form = MultiDict()
    for question in layout_questions(attempt):
        name, keys = field_name(question), layout_options(attempt, question)
        if question.type in ("scale", "single") and keys:
            form[name] = rng.choice(keys[len(keys) // 3 :])
        elif question.type == "yesno":
            form[name] = "yes" if rng.random() < 0.7 else "no"
        elif question.type == "multiple" and keys:
            for key in rng.sample(keys, k=min(2, len(keys))):
                form.add(name, key)
        elif question.type == "score":
            form[name] = str(rng.randint(6, 10))
        elif question.type == "text" and rng.random() < 0.6:
            form[name] = rng.choice(COMMENTS)
    return form


def _answer_some(invitations: list[Invitation], rng, staff: User | None, when: datetime) -> int:
    """Answer about two thirds of the invitations; one of them typed in by staff on the phone."""
    count = 0
    for index, invitation in enumerate(invitations):
        if rng.random() > 0.66:
            invitation.phone_call = index % 2 == 0
            continue
        by_phone = staff is not None and count == 0
        channel = Channel.PHONE if by_phone else Channel.EMAIL_LINK
        attempt = answers.open_attempt(invitation, channel, staff.id if by_phone else None, when)
        answers.save(
            invitation, plausible_answers(attempt, rng), channel, staff.id if by_phone else None
        )
        answers.submit(invitation, attempt, when + timedelta(days=rng.randint(1, 9)))
        count += 1
    db.session.flush()
    return count


def _past_wave(run: CourseRun, wave, rng, staff: User | None, now: datetime) -> int:
    """Send the wave as on its due date and answer part of it (only the first time)."""
    campaign = ensure_campaign(run.id, wave.id)
    due = datetime.combine(add_months(run.ends_on, wave.offset_months), time(8, 0))
    if due > now or issue_invitations(campaign.id, due) == 0:
        return 0
    fresh = db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.campaign_id == campaign.id, Invitation.state == InvitationState.INVITED)
        .order_by(Invitation.id)
    ).all()
    db.session.execute(  # these e-mails "went out" on the due date
        sa.update(OutboxMessage)
        .where(OutboxMessage.key.in_([mail_key(i.id, 0) for i in fresh]))
        .values(status=MailStatus.SENT, sent_at=due, attempts=1)
    )
    answered = _answer_some(list(fresh), rng, staff, due)
    _remind_non_respondents(campaign.id, wave, fresh, due)
    return answered


def _remind_non_respondents(campaign_id: int, wave, invitations, due: datetime) -> None:
    """The first reminder, as sent on its date to those who had not answered by then."""
    reminded_at = due + timedelta(days=wave.first_reminder_days)
    queue_reminders(reminded_at, campaign_id)
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.key.in_([mail_key(i.id, 1) for i in invitations]))
        .values(status=MailStatus.SENT, sent_at=reminded_at, attempts=1)
    )


def load(rng, now: datetime) -> list[str]:
    """GCU07's follow-up plan and, for runs ended six months ago or more, the due waves sent."""
    course = db.session.scalar(sa.select(Course).where(Course.key == "gcu07"))
    if course is None:
        return []
    plan = default_plan(course)
    waves = sorted(plan.waves, key=lambda w: w.offset_months)
    staff = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN).order_by(User.id))
    past = db.session.scalars(
        sa.select(CourseRun)
        .where(CourseRun.course_id == course.id, CourseRun.ends_on <= add_months(now.date(), -6))
        .order_by(CourseRun.ends_on)
    ).all()
    answered = 0
    for run in past:
        for wave in waves:
            left_to_send = run is past[-1] and wave is waves[-1] and len(waves) > 1
            if wave.instrument_id is not None and not left_to_send:
                answered += _past_wave(run, wave, rng, staff, now)
    expire_links(now)
    db.session.commit()
    return [
        f"Suivi à froid : plan de GCU07 (6 et 12 mois), {len(past)} session(s) passée(s), "
        f"{answered} réponse(s) de démonstration — menu « Suivi à froid »."
    ]
