"""Right to erasure: an administrator erases a person; their data goes, the aggregates stay."""

from __future__ import annotations

import html

import sqlalchemy as sa

from lms.db import db
from lms.mail import queue_mail
from lms.mail.models import OutboxMessage
from lms.models import Erasure, User
from quizzes.evidence import comments
from quizzes.evidence.indicators import indicator_items
from quizzes.evidence.report import run_report
from quizzes.models import Answer, Attempt
from tests.conftest import csrf_token
from tests.quizzes.evidence_data import session


def figures(run) -> tuple:
    """Every figure of the session report and of the indicators, as plain values."""
    report = run_report(run)
    satisfaction = [
        (s.result.respondents, s.satisfied, s.scale_answers, s.nps)
        + tuple((q.answered, q.mean, [o.count for o in q.options]) for q in s.result.questions)
        for s in report.satisfaction
    ]
    return (
        report.counts,
        [(o.key, o.pre, o.post, o.pre_n, o.post_n) for o in report.objectives],
        [(q.takers, q.passed, q.mean) for q in report.quizzes],
        satisfaction,
        [(f.rate.invited, f.rate.answered) for f in report.followups],
        [(r.respondents, [(q.answered, q.mean) for q in r.questions]) for r in report.needs],
        [(i.key, i.part, i.whole, i.people) for i in indicator_items([run.id])],
    )


def _alice():
    return db.session.scalar(sa.select(User).where(User.name == "Alice"))


def test_erasure_removes_the_person_and_keeps_every_aggregate(app, client, login, make_user):
    run, _trainer, _made = session(make_user)
    alice = _alice()
    alice_id, address = alice.id, alice.email
    queue_mail("test:alice", address, "Votre attestation, Alice", "Bonjour Alice")
    quoted = [c.answer_id for c in comments.candidates(run.id) if "Excellente" in c.text]
    comments.save_selection(run.id, set(quoted), None)
    db.session.commit()
    before = figures(run)

    admin = make_user("admin")
    login(admin)
    url = f"/admin/utilisateurs/{alice_id}/effacer"
    wrong = client.post(url, data={"csrf_token": csrf_token(client, url), "confirm": "x@y.z"})
    assert wrong.status_code == 400
    assert "n'est pas celle de la personne" in html.unescape(wrong.get_data(as_text=True))
    assert db.session.scalar(sa.select(sa.func.count(Erasure.id))) == 0
    done = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "confirm": address},
        follow_redirects=True,
    )
    assert "Les données personnelles sont effacées." in done.get_data(as_text=True)

    db.session.expire_all()
    alice = db.session.get(User, alice_id)
    assert "Alice" not in alice.name and alice.email.endswith("@efface.invalid")
    assert alice.password_hash is None and not alice.active
    record = db.session.scalar(sa.select(Erasure))
    assert record.user_id == alice_id and record.erased_by_id == admin.id
    mail = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.key == "test:alice"))
    assert address not in mail.to_addr and "Alice" not in mail.subject + mail.body_text
    texts = db.session.scalars(
        sa.select(Answer.response).join(Attempt).where(Attempt.user_id == alice_id)
    ).all()
    assert not any("Excellente" in str(t) for t in texts)
    assert comments.selected_comments([run.id]) == []
    assert figures(run) == before

    again = client.get(url).get_data(as_text=True)
    assert "déjà effacées" in again


def test_administrator_cannot_erase_themselves(app, client, login, make_user):
    admin = make_user("admin")
    login(admin)
    url = f"/admin/utilisateurs/{admin.id}/effacer"
    response = client.post(
        url, data={"csrf_token": csrf_token(client, url), "confirm": admin.email}
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Erasure.id))) == 0
