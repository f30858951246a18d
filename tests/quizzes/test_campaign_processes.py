"""Reliability of follow-up sending with real processes, a real database and a real SMTP server:
a tick killed in the middle of a batch, two ticks started together, an SMTP server that is down."""

import signal
import time
from collections import defaultdict
from datetime import timedelta

import sqlalchemy as sa

from lms.db import db, utcnow
from lms.mail.models import MailStatus, OutboxMessage
from quizzes.campaigns.models import Invitation
from tests.quizzes.campaign_builders import bulk_learners, followup_setup, start_tick, tick
from tests.support.smtp import SmtpSink


def _by_recipient(messages) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for message in messages:
        found[message["To"].addresses[0].addr_spec].append(message["Message-ID"])
    return found


def _wait(process, timeout: float = 120) -> str:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, out + err
    return out


def test_killed_tick_then_tick_again_delivers_each_message_once(app, smtp_server):
    """A ``flask lms tick`` process sending 1,000 invitations is killed (SIGKILL) once the SMTP
    server has received some of them; ``tick`` then runs again, 16 minutes later (after the
    15-minute lease of the dead process's claimed messages).

    Every recipient ends up with exactly one distinct Message-ID at the server. The raw number
    of messages received may exceed 1,000 by at most the messages in flight at the kill: the
    outbox sends, then marks sent, so the message whose 250 reply the dead process had not yet
    recorded is sent again, with the same stable Message-ID, which lets the receiver discard
    it. With one SMTP connection sending one message at a time, that is at most one.
    """
    run, _plan, _enrolments = followup_setup(learners=0)
    bulk_learners(run, 1000)
    start = utcnow()
    process = start_tick(app, smtp_server.port, start)
    deadline = time.monotonic() + 90
    while len(smtp_server.messages) < 150 and process.poll() is None:
        assert time.monotonic() < deadline, "the tick sent nothing"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)  # reap it and close its pipes
    received_before = len(smtp_server.messages)
    assert 0 < received_before < 1000, "kill the process in the middle of the batch"

    _wait(start_tick(app, smtp_server.port, start + timedelta(minutes=16)))

    per_person = _by_recipient(smtp_server.messages)
    assert len(per_person) == 1000
    assert all(len(set(ids)) == 1 for ids in per_person.values())
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 1000
    assert len(smtp_server.messages) - 1000 <= 1
    statuses = set(db.session.scalars(sa.select(OutboxMessage.status)))
    assert statuses == {MailStatus.SENT}
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 1000


def test_two_ticks_started_together_send_nothing_twice(app, smtp_server):
    run, _plan, _enrolments = followup_setup(learners=0)
    bulk_learners(run, 300)
    moment = utcnow()
    first = start_tick(app, smtp_server.port, moment)
    second = start_tick(app, smtp_server.port, moment)
    outputs = [_wait(first), _wait(second)]

    assert len(smtp_server.messages) == 300
    assert all(len(ids) == 1 for ids in _by_recipient(smtp_server.messages).values())
    sent = [int(out.split(": ")[1].split()[0]) for out in outputs]
    assert sum(sent) == 300
    assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 300
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 300


def test_smtp_server_down_loses_nothing_and_sends_once_back(app, smtp_server):
    app.config.update(smtp_server.config())
    port = smtp_server.port
    smtp_server.stop()
    _run, _plan, enrolments = followup_setup(learners=3)
    now = utcnow()

    tick(app, now)
    tick(app, now + timedelta(seconds=30))
    rows = list(db.session.scalars(sa.select(OutboxMessage)))
    assert len(rows) == 3 and {r.status for r in rows} == {MailStatus.QUEUED}
    assert all(r.last_error and "cannot connect" in r.last_error for r in rows[:1])

    back = SmtpSink(port)
    back.start()
    try:
        tick(app, now + timedelta(minutes=2))
        tick(app, now + timedelta(minutes=10))
        tick(app, now + timedelta(hours=2))
        assert sorted(m["To"].addresses[0].addr_spec for m in back.messages) == sorted(
            e.user.email for e in enrolments
        )
        assert set(db.session.scalars(sa.select(OutboxMessage.status))) == {MailStatus.SENT}
    finally:
        back.stop()


def test_bounced_address_is_recorded_on_the_invitation(app, smtp_server):
    app.config.update(smtp_server.config())
    _run, _plan, enrolments = followup_setup(learners=2)
    smtp_server.refuse.add(enrolments[0].user.email)
    now = utcnow()
    tick(app, now)
    failed = db.session.scalar(
        sa.select(Invitation).where(Invitation.user_id == enrolments[0].user_id)
    )
    assert failed.state == "failed" and "550" in failed.failure_reason
    tick(app, now + timedelta(days=11))  # reminders: never to the bounced address
    tick(app, now + timedelta(days=21))
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages].count(
        enrolments[1].user.email
    ) == 3
