"""The mail log: newest first, status filter, pages, a message shown safely with usable links."""

import re

import pytest

from lms.db import db
from lms.mail import queue_mail, send_queued
from lms.mail.models import MailStatus, OutboxMessage


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


def _subjects(html: str) -> list[str]:
    return re.findall(r'<a href="/admin/courriels/\d+">([^<]+)</a>', html)


@pytest.mark.parametrize("role", [None, "learner", "trainer"])
def test_mail_log_is_for_admins_only(client, make_user, login, role):
    message = queue_mail("k", "a@example.org", "Secret", "Le lien secret", "<p>secret</p>")
    db.session.commit()
    if role:
        login(make_user(role))
    for path in (
        "/admin/courriels",
        f"/admin/courriels/{message.id}",
        f"/admin/courriels/{message.id}/html",
    ):
        response = client.get(path)
        assert response.status_code == (403 if role else 302), path
        assert "Le lien secret" not in response.get_data(as_text=True)


def test_newest_first_filter_and_pages(client, admin):
    for i in range(35):
        queue_mail(f"m{i}", f"p{i}@example.org", f"Objet {i:02d}", "Texte")
    db.session.commit()
    send_queued(limit=5)  # the five oldest are sent
    failed = db.session.get(OutboxMessage, 6)
    failed.status, failed.last_error = MailStatus.FAILED, "550 mailbox unavailable"
    db.session.commit()
    first = client.get("/admin/courriels").get_data(as_text=True)
    assert _subjects(first)[:3] == ["Objet 34", "Objet 33", "Objet 32"]
    assert len(_subjects(first)) == 30 and "Page 1 sur 2" in first
    second = client.get("/admin/courriels?page=2").get_data(as_text=True)
    assert _subjects(second) == ["Objet 04", "Objet 03", "Objet 02", "Objet 01", "Objet 00"]
    sent = client.get("/admin/courriels?status=sent").get_data(as_text=True)
    assert _subjects(sent) == ["Objet 04", "Objet 03", "Objet 02", "Objet 01", "Objet 00"]
    failed_page = client.get("/admin/courriels?status=failed").get_data(as_text=True)
    assert _subjects(failed_page) == ["Objet 05"] and "550 mailbox unavailable" in failed_page


def test_message_page_shows_headers_text_links_and_sandboxed_html(client, admin):
    message = queue_mail(
        "invite:1:1",
        "agnes@example.org",
        "Invitation",
        "Bonjour,\nouvrez http://localhost/invitation/abc123.\n<script>alert(1)</script>",
        '<p>Bonjour <a href="http://localhost/invitation/abc123">ici</a></p><script>alert(1)</script>',
        to_name="Agnès Martin",
    )
    db.session.commit()
    response = client.get(f"/admin/courriels/{message.id}")
    html = response.get_data(as_text=True)
    assert "Agnès Martin &lt;agnes@example.org&gt;" in html
    assert message.message_id.replace("<", "&lt;").replace(">", "&gt;") in html
    assert '<pre class="mail">' in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert '<a href="http://localhost/invitation/abc123"' in html
    assert re.search(
        r'<iframe[^>]+sandbox="[^"]*"[^>]+src=|<iframe[^>]+src="[^"]+"[^>]+sandbox', html
    )
    body = client.get(f"/admin/courriels/{message.id}/html")
    assert body.status_code == 200
    assert body.headers["Content-Security-Policy"].startswith("sandbox")
    assert "script-src" not in body.headers["Content-Security-Policy"]
    assert "default-src 'none'" in body.headers["Content-Security-Policy"]


def test_unknown_message_is_404(client, admin):
    assert client.get("/admin/courriels/999").status_code == 404
    text_only = queue_mail("t", "a@example.org", "Texte seul", "Rien d'autre")
    db.session.commit()
    assert client.get(f"/admin/courriels/{text_only.id}/html").status_code == 404
