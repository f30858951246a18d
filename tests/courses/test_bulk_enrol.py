"""Bulk enrolment: statements that do not grow with the rows, invitations queued then delivered."""

import re

import sqlalchemy as sa

from courses.bulk_enrol import import_learners
from courses.enrolments import invitation_progress
from courses.models import Enrolment, EnrolmentStatus
from lms.db import db
from lms.mail import render_mail, send_queued
from lms.mail.models import MailStatus, OutboxMessage
from lms.models import UserToken
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run


def _file(count: int, start: int = 0) -> bytes:
    lines = ["Nom;Prénom;E-mail;Organisme;Fonction"]
    lines += [f"Nom{i};Prénom{i};p{i}@example.org;Org;Agent" for i in range(start, start + count)]
    return "\r\n".join(lines).encode("cp1252")


def _statements(app, count_queries, run, data) -> int:
    with app.test_request_context(), count_queries() as counter:
        result = import_learners(run, data)
    assert result.enrolled and not result.report.errors
    db.session.rollback()
    return counter.count


def test_statements_do_not_grow_with_the_rows(app, count_queries, make_user):
    """Constant up to 1,000 rows; beyond, each INSERT takes one more statement per 1,000 rows."""
    run = make_run(make_course(), trainers=[make_user("trainer")])
    run.capacity = None
    db.session.commit()
    # a mix of new people and existing accounts (one of them withdrawn from the run)
    withdrawn = make_user(email="p1@example.org")
    enrol(run, withdrawn, status=EnrolmentStatus.WITHDRAWN)
    make_user(email="p2@example.org")
    small = _statements(app, count_queries, run, _file(10))
    large = _statements(app, count_queries, run, _file(600))
    assert small == large
    assert large <= 15


def test_bulk_invitation_is_the_same_mail_as_one_by_one(app, make_user):
    run = make_run(make_course(), trainers=[make_user("trainer", name="Claire Dupont")])
    data = "Nom;Prénom;Email\nRoy & Fils;Zoé <b>;zoe@example.org\n".encode()
    with app.test_request_context():
        result = import_learners(run, data)
        db.session.commit()
        message = db.session.scalar(sa.select(OutboxMessage))
        enrolment = db.session.scalar(sa.select(Enrolment))
        link = re.search(r"http://\S+/invitation/\S+", message.body_text).group(0)
        subject, text, html = render_mail(
            "courses/mail/invitation",
            None,
            user=enrolment.user,
            run=run,
            course=run.course,
            trainers="Claire Dupont",
            link=link,
            valid_days=30,
            needs_password=True,
        )
    assert result.queued == 1
    assert (message.subject, message.body_text, message.body_html) == (subject, text, html)
    assert "Bonjour Zoé &lt;b&gt;," in message.body_html
    assert message.key == f"invite:{enrolment.id}:1" and message.category == "invitation"
    token = db.session.scalar(sa.select(UserToken))
    assert token.data == {"enrolment_id": enrolment.id} and token.user_id == enrolment.user_id


def test_queued_invitations_are_sent_by_the_sender_and_the_link_works(
    app, client, make_user, login
):
    run = make_run(make_course())
    admin = make_user("admin")
    login(admin)
    with app.test_request_context():
        import_learners(run, _file(3))
    db.session.commit()
    page = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert "3 en attente d'envoi, 0 envoyées, 0 en échec" in page
    assert send_queued() == 3  # what `flask lms tick` does
    page = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert "0 en attente d'envoi, 3 envoyées, 0 en échec" in page
    db.session.execute(sa.update(OutboxMessage).values(status=MailStatus.FAILED))
    db.session.commit()
    assert invitation_progress(run) == {"queued": 0, "sent": 0, "failed": 3}
    # the imported learner accepts through the link of the e-mail
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
    body = db.session.scalars(sa.select(OutboxMessage.body_text)).first()
    path = re.search(r"http://[^/\s]+(/invitation/\S+)", body).group(1)
    form = {"password": "un mot de passe solide", "confirm": "un mot de passe solide"}
    response = client.post(path, data={**form, "csrf_token": csrf_token(client, path)})
    assert response.status_code == 302


def test_progress_counts_only_this_runs_invitations(app, make_user):
    course = make_course()
    first, second = make_run(course, title="A"), make_run(course, title="B")
    with app.test_request_context():
        import_learners(first, _file(2))
        import_learners(second, _file(3))
    db.session.commit()
    assert invitation_progress(first)["queued"] == 2
    assert invitation_progress(second)["queued"] == 3


ADDRESSES = [
    "Agnes@Example.ORG",
    "a.b+tag@ex.fr",
    "a..b@ex.fr",
    "a@exemple",
    "a@b.local",
    "x@münchen.de",
    "é@x.fr",
    "a@-x.fr",
    "a@x..fr",
    '"a b"@x.fr',
    "a@[1.2.3.4]",
    "a@x.fr.",
    "a" * 65 + "@x.fr",
]


def test_fast_address_check_agrees_with_email_validator(app):
    from email_validator import EmailNotValidError, validate_email

    from courses.csv_import import check_email

    for address in ADDRESSES:
        try:
            expected = validate_email(
                address, check_deliverability=False, allow_smtputf8=False
            ).normalized.lower()
        except EmailNotValidError:
            expected = None
        with app.test_request_context():
            assert check_email(address)[0] == expected, address
