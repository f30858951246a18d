"""Who may open a run's content: refusals are clear and leak nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from courses.models import Activity, EnrolmentStatus, Module, Progress
from lms.db import db, utcnow
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run

SECRET = "Contenu de la leçon 1.1."


def first_activity(course) -> Activity:
    """The first activity of the course's outline."""
    return db.session.scalar(
        sa.select(Activity)
        .join(Module)
        .where(Activity.course_id == course.id)
        .order_by(Module.position, Activity.position)
        .limit(1)
    )


@pytest.fixture
def world(make_user):
    """A run with one enrolled learner, its first activity turned into a memo sheet."""
    trainer = make_user("trainer", name="Claire Formatrice", email="claire@example.org")
    course = make_course("secret")
    run = make_run(course, trainers=[trainer])
    owner = make_user(name="Inscrite")
    enrolment = enrol(run, owner)
    activity = first_activity(course)
    activity.kind = "memo"
    db.session.commit()
    return {"run": run, "activity": activity, "enrolment": enrolment, "owner": owner}


def pages(world) -> list[str]:
    """Every learner GET page of the run."""
    run, activity = world["run"], world["activity"]
    base = f"/parcours/sessions/{run.id}"
    act = f"{base}/activites/{activity.id}"
    return [base, act, f"{act}/telecharger"]


def test_anonymous_visitors_are_sent_to_login(client, world):
    for page in ["/parcours", *pages(world)]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.location.startswith("/compte/connexion"), page


def test_anonymous_post_is_refused(client, world):
    run, activity = world["run"], world["activity"]
    token = csrf_token(client)
    response = client.post(
        f"/parcours/sessions/{run.id}/activites/{activity.id}/terminer",
        data={"csrf_token": token},
    )
    assert response.status_code == 302
    assert response.location.startswith("/compte/connexion")


def test_another_learner_gets_not_found_and_no_content(client, make_user, login, world):
    stranger = make_user()
    enrol(make_run(make_course("autre")), stranger)
    login(stranger)
    for page in pages(world):
        response = client.get(page)
        assert response.status_code == 404, page
        html = response.get_data(as_text=True)
        assert SECRET not in html and "Formation secret" not in html
    assert "Formation secret" not in client.get("/parcours").get_data(as_text=True)


def test_another_learner_cannot_mark_done(client, make_user, login, world):
    run, activity = world["run"], world["activity"]
    login(make_user())
    token = csrf_token(client, "/parcours")
    response = client.post(
        f"/parcours/sessions/{run.id}/activites/{activity.id}/terminer",
        data={"csrf_token": token},
    )
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Progress.id))) == 0


def test_ended_access_gets_a_403_page_with_date_and_contact(client, login, world):
    world["enrolment"].access_ends_at = utcnow() - timedelta(days=3)
    db.session.commit()
    login(world["owner"])
    for page in pages(world):
        response = client.get(page)
        assert response.status_code == 403, page
        html = response.get_data(as_text=True)
        assert "Votre période d'accès à cette formation a pris fin le" in html
        assert "claire@example.org" in html
        assert SECRET not in html


def test_ended_access_cannot_mark_done(client, login, world):
    run, activity = world["run"], world["activity"]
    world["enrolment"].access_ends_at = utcnow() - timedelta(days=3)
    db.session.commit()
    login(world["owner"])
    token = csrf_token(client, "/parcours")
    response = client.post(
        f"/parcours/sessions/{run.id}/activites/{activity.id}/terminer",
        data={"csrf_token": token},
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(Progress.id))) == 0


def test_invited_learner_is_told_to_use_the_invitation(client, make_user, login, world):
    learner = make_user()
    enrol(world["run"], learner, status=EnrolmentStatus.INVITED)
    login(learner)
    response = client.get(pages(world)[1])
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert "Utilisez le lien reçu dans votre e-mail d'invitation" in html
    assert SECRET not in html


def test_withdrawn_learner_is_refused(client, make_user, login, world):
    learner = make_user()
    enrol(world["run"], learner, status=EnrolmentStatus.WITHDRAWN)
    login(learner)
    response = client.get(pages(world)[0])
    assert response.status_code == 403
    assert "a été retirée" in response.get_data(as_text=True)


def test_archived_or_foreign_activity_is_not_found(client, make_user, login, world):
    run = world["run"]
    other = first_activity(make_course("ailleurs"))
    archived = db.session.scalars(
        sa.select(Activity).where(Activity.course_id == run.course_id).order_by(Activity.id)
    ).all()[1]
    archived.archived = True
    db.session.commit()
    login(world["owner"])
    for activity in (other, archived):
        response = client.get(f"/parcours/sessions/{run.id}/activites/{activity.id}")
        assert response.status_code == 404
    assert client.get("/parcours/sessions/9999").status_code == 404


def test_activity_of_an_archived_module_is_not_found(client, login, world):
    world["activity"].module.archived = True
    db.session.commit()
    login(world["owner"])
    assert client.get(pages(world)[1]).status_code == 404


def test_mark_done_without_csrf_token_is_refused(client, login, world):
    run, activity = world["run"], world["activity"]
    login(world["owner"])
    response = client.post(f"/parcours/sessions/{run.id}/activites/{activity.id}/terminer")
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Progress.id))) == 0
