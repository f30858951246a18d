"""The non-respondents of a follow-up wave as an administrator works through a big run: 50 a
page, search by name, e-mail or organisation, filters (state, to call, answers started), sort,
the wave's figures of the whole run, and the phone-call mark that brings back the same page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lms.db import db, utcnow
from lms.models import User
from quizzes.campaigns.models import Invitation, InvitationState
from tests.conftest import csrf_token
from tests.quizzes.campaign_builders import bulk_learners, followup_setup, tick, wave

ROW = re.compile(r'<th scope="row">([^<]+?)(?: <span class="muted">\(([^)]*)\)</span>)?<br>')


@pytest.fixture
def big(app, make_user, login):
    """A run of 120 people (« Personne 0 » … « Personne 119 ») invited to the 6-month wave;
    every 4th works at « Mairie de Lyon »; 10 and 11 have an expired link."""
    run, plan, _enrolments = followup_setup(learners=0)
    bulk_learners(run, 120)
    for user in db.session.scalars(sa.select(User).where(User.name.like("Personne %"))):
        if int(user.name.split()[1]) % 4 == 0:
            user.organisation = "Mairie de Lyon"
    db.session.commit()
    tick(app, utcnow())
    for name in ("Personne 10", "Personne 11"):
        invitation = db.session.scalar(
            sa.select(Invitation).join(User, User.id == Invitation.user_id).where(User.name == name)
        )
        invitation.state = InvitationState.EXPIRED
    db.session.commit()
    login(make_user("admin", name="Claire Admin"))
    return f"/admin/suivi/sessions/{run.id}/vagues/{wave(plan, 6).id}/sans-reponse"


def people(html: str) -> list[str]:
    """Names in the table of non-respondents, in order."""
    start = html.index('<table class="data">')
    return [m[0] for m in ROW.findall(html[start : html.index("</table>", start)])]


def test_fifty_a_page_with_the_figures_of_the_whole_wave(big, client):
    html = client.get(big).get_data(as_text=True)
    assert len(people(html)) == 50 and people(html)[:3] == [
        "Personne 0",
        "Personne 1",
        "Personne 10",
    ]
    assert "Lignes 1 à 50 sur 120" in html and "0 réponses sur 120 invitations." in html
    assert 'aria-label="Pages de la liste des personnes sans réponse"' in html
    last = client.get(big + "?page=3").get_data(as_text=True)
    assert len(people(last)) == 20 and "Lignes 101 à 120 sur 120" in last


def test_search_by_organisation_filters_and_sort(big, client):
    lyon = client.get(big + "?q=mairie+lyon").get_data(as_text=True)
    assert "Lignes 1 à 30 sur 30" in lyon and people(lyon)[0] == "Personne 0"
    assert "Mairie de Lyon" in lyon
    expired = client.get(big + "?state=expired").get_data(as_text=True)
    assert people(expired) == ["Personne 10", "Personne 11"]
    by_mail = client.get(big + "?sort=email&desc=1").get_data(as_text=True)
    assert people(by_mail)[0] == "Personne 119"
    assert "Personne ne correspond" in client.get(big + "?q=zzz").get_data(as_text=True)


def test_marking_a_call_puts_them_first_and_comes_back_to_the_same_page(big, client):
    target = db.session.scalar(
        sa.select(Invitation)
        .join(User, User.id == Invitation.user_id)
        .where(User.name == "Personne 99")
    )
    page = big + "?q=personne&page=2"
    response = client.post(
        f"/admin/suivi/invitations/{target.id}/appel?q=personne&page=2",
        data={"csrf_token": csrf_token(client, page)},
    )
    assert response.status_code == 303
    assert response.location.endswith(big + "?q=personne&page=2")
    first = client.get(big).get_data(as_text=True)
    assert people(first)[0] == "Personne 99" and "à appeler" in first
    to_call = client.get(big + "?call=yes").get_data(as_text=True)
    assert people(to_call) == ["Personne 99"]


def test_a_page_runs_the_same_queries_and_size_for_60_and_120(big, client, count_queries):
    client.get(big)
    with count_queries() as many:
        html_many = client.get(big).get_data(as_text=True)
    ids = db.session.scalars(sa.select(Invitation.id).order_by(Invitation.id).limit(60)).all()
    db.session.execute(sa.delete(Invitation).where(Invitation.id.in_(ids)))
    db.session.commit()
    client.get(big)
    with count_queries() as few:
        html_few = client.get(big).get_data(as_text=True)
    assert len(many.statements) == len(few.statements)
    assert len(people(html_many)) == len(people(html_few)) == 50
    assert abs(len(html_many) - len(html_few)) < 400  # the totals' digits, never a row more
