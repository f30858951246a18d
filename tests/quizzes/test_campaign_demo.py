"""The demo hook: GCU07's follow-up plan, and a sent, partly answered 6-month wave for past runs."""

import random
from datetime import timedelta

import sqlalchemy as sa

from courses.models import Course
from lms.db import db, utcnow
from lms.mail.models import MailStatus, OutboxMessage
from quizzes.campaigns.models import FollowUpPlan, Invitation, InvitationState
from quizzes.demo import followups as demo
from quizzes.models import Attempt, Channel
from quizzes.taking.opening import local_today
from tests.quizzes.campaign_builders import followup_setup


def test_demo_sends_the_six_month_wave_of_past_runs_once(app, client, make_user, login):
    admin = make_user("admin")
    run, _plan, _enrolments = followup_setup(
        learners=6, ends_on=local_today(utcnow()) - timedelta(days=300)
    )
    db.session.get(Course, run.course_id).key = "gcu07"
    db.session.execute(sa.delete(FollowUpPlan))
    db.session.commit()

    lines = demo.load(random.Random(7), utcnow())
    assert "Suivi à froid" in lines[0]
    rows = list(db.session.scalars(sa.select(Invitation)))
    assert len(rows) == 6
    answered = [i for i in rows if i.state == InvitationState.ANSWERED]
    assert answered and all(i.attempt.submitted_at is not None for i in answered)
    assert {i.attempt.channel for i in answered} >= {Channel.PHONE}
    assert {i.state for i in rows} <= {InvitationState.ANSWERED, InvitationState.EXPIRED}
    assert set(db.session.scalars(sa.select(OutboxMessage.status))) == {MailStatus.SENT}

    demo.load(random.Random(7), utcnow())
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 6
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == len(answered)

    login(admin)
    page = client.get(f"/admin/suivi/sessions/{run.id}").get_data(as_text=True)
    assert "Suivi à 6 mois" in page and "Suivi à 12 mois" in page
    results = client.get(f"/admin/suivi/sessions/{run.id}/reponses")
    assert results.status_code == 200
