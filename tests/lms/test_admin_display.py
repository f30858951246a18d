"""What an administrator reads: mail categories named in words, one navigation menu (the
header's), not a second one repeating it on every administration page."""

from __future__ import annotations

import re

import pytest

from lms.db import db
from lms.mail import queue_mail
from tests.factories import make_course, make_run


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


def test_mail_log_names_categories_in_words(client, admin):
    followup = queue_mail("k1", "a@example.org", "Suivi", "t", "<p>t</p>", category="followup")
    queue_mail("k2", "b@example.org", "Invitation", "t", "<p>t</p>", category="invitation")
    queue_mail("k3", "c@example.org", "Autre", "t", "<p>t</p>", category="mystery")
    db.session.commit()
    html = client.get("/admin/courriels").get_data(as_text=True)
    cells = re.findall(r"<td>([^<]*)</td>", html)
    assert "Suivi à froid" in cells and "Invitation à une session" in cells
    assert "followup" not in cells and "invitation" not in cells
    assert "mystery" in cells  # a category no plugin names keeps its key
    one = client.get(f"/admin/courriels/{followup.id}").get_data(as_text=True)
    assert "<dd>Suivi à froid</dd>" in one


def test_admin_pages_have_one_navigation_menu(client, admin):
    run = make_run(make_course("nav"))
    for path in (
        "/admin/formations",
        f"/admin/formations/{run.course_id}",
        "/admin/sessions",
        f"/admin/sessions/{run.id}",
        "/admin/utilisateurs",
        "/admin/courriels",
    ):
        html = client.get(path).get_data(as_text=True)
        assert 'aria-label="Administration"' not in html, path
        for label in ("Formations", "Sessions", "Utilisateurs", "Journal des e-mails"):
            assert len(re.findall(rf">{label}</a>", html)) == 1, (path, label)
