"""The enrolments page of a run: add one learner, re-send, withdraw, refusals."""

import re

import pytest
import sqlalchemy as sa

from courses.models import Enrolment, EnrolmentStatus
from lms.db import db
from lms.mail.models import OutboxMessage
from lms.models import User, UserToken
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


@pytest.fixture
def run(app):
    return make_run(make_course(), title="Session GCU07")


def _enrol(client, run, name, email):
    path = f"/admin/sessions/{run.id}"
    return client.post(
        f"{path}/inscrire",
        data={"name": name, "email": email, "csrf_token": csrf_token(client, path)},
    )


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def test_add_one_learner_creates_account_enrolment_and_invitation(client, admin, run):
    response = _enrol(client, run, "Agnès Martin", "  Agnes.Martin@Exemple.FR ")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "agnes.martin@exemple.fr est inscrit" in page
    assert "Agnès Martin" in page and "Invité" in page
    user = db.session.scalar(sa.select(User).where(User.email == "agnes.martin@exemple.fr"))
    assert user.role == "learner" and user.password_hash is None
    enrolment = db.session.scalar(sa.select(Enrolment))
    assert enrolment.status == EnrolmentStatus.INVITED and enrolment.invitations_sent == 1
    assert enrolment.access_starts_at is None
    message = db.session.scalar(sa.select(OutboxMessage))
    assert message.key == f"invite:{enrolment.id}:1"
    assert message.to_addr == "agnes.martin@exemple.fr" and message.category == "invitation"
    assert "Formation demo" in message.subject


def test_existing_account_is_reused(client, admin, run, make_user):
    trainer = make_user("trainer", email="bruno@example.org", name="Bruno")
    assert _enrol(client, run, "Autre nom", "BRUNO@example.org").status_code == 302
    enrolment = db.session.scalar(sa.select(Enrolment))
    assert enrolment.user_id == trainer.id
    assert _count(User) == 2  # the admin and Bruno, no new account
    db.session.refresh(trainer)
    assert trainer.name == "Bruno" and trainer.role == "trainer"


def test_add_one_refuses_bad_input_already_enrolled_and_full_run(client, admin, run, make_user):
    response = _enrol(client, run, "", "pas-une-adresse")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Indiquez le nom." in html
    enrolled = make_user(email="deja@example.org")
    enrol(run, enrolled)
    response = _enrol(client, run, "Déjà", "deja@example.org")
    assert response.status_code == 400
    assert "deja@example.org est déjà inscrit à cette session" in response.get_data(as_text=True)
    response = _enrol(client, run, "Invalide", "invalide@@example.org")
    assert "adresse e-mail invalide" in response.get_data(as_text=True)
    run.capacity = 1
    db.session.commit()
    response = _enrol(client, run, "Trop", "trop@example.org")
    assert "La session est complète (1 places)" in response.get_data(as_text=True)
    assert _count(Enrolment) == 1 and _count(OutboxMessage) == 0
    assert db.session.scalar(sa.select(User).where(User.email == "trop@example.org")) is None


def _action(client, run, enrolment, verb):
    path = f"/admin/sessions/{run.id}"
    return client.post(
        f"{path}/inscriptions/{enrolment.id}/{verb}", data={"csrf_token": csrf_token(client, path)}
    )


def test_resend_issues_a_new_token_and_expires_the_old_one(client, admin, run):
    _enrol(client, run, "Agnès", "agnes@example.org")
    enrolment = db.session.scalar(sa.select(Enrolment))
    response = _action(client, run, enrolment, "renvoyer")
    assert response.status_code == 302
    page = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert "Une nouvelle invitation est envoyée à agnes@example.org" in page
    tokens = db.session.scalars(sa.select(UserToken).order_by(UserToken.id)).all()
    assert len(tokens) == 2
    assert not tokens[0].is_usable() and tokens[1].is_usable()
    keys = db.session.scalars(sa.select(OutboxMessage.key).order_by(OutboxMessage.id)).all()
    assert keys == [f"invite:{enrolment.id}:1", f"invite:{enrolment.id}:2"]
    db.session.refresh(enrolment)
    assert enrolment.invitations_sent == 2
    assert re.search(r'<td class="num">2</td>', page)


def test_withdraw_asks_confirmation_then_withdraws(client, admin, run):
    _enrol(client, run, "Agnès Martin", "agnes@example.org")
    enrolment = db.session.scalar(sa.select(Enrolment))
    path = f"/admin/sessions/{run.id}/inscriptions/{enrolment.id}/retirer"
    confirm = client.get(path).get_data(as_text=True)
    assert "Retirer Agnès Martin de la session ?" in confirm
    db.session.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.INVITED
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    db.session.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    assert not db.session.scalar(sa.select(UserToken)).is_usable()
    page = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert "Retiré" in page and "0 / 12" in page
    response = _action(client, run, enrolment, "renvoyer")
    assert "a été retiré de la session" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert _count(UserToken) == 1


def test_withdrawn_learner_can_be_enrolled_again(client, admin, run, make_user):
    learner = make_user(email="retour@example.org")
    enrol(run, learner, status=EnrolmentStatus.WITHDRAWN)
    assert _enrol(client, run, "Retour", "retour@example.org").status_code == 302
    enrolment = db.session.scalar(sa.select(Enrolment))
    assert enrolment.status == EnrolmentStatus.INVITED and _count(Enrolment) == 1


def test_actions_on_an_enrolment_of_another_run_are_404(client, admin, run, make_user):
    other = make_run(run.course, title="Autre")
    enrolment = enrol(other, make_user())
    assert _action(client, run, enrolment, "renvoyer").status_code == 404
    assert _action(client, run, enrolment, "retirer").status_code == 404


def test_posts_without_csrf_are_refused(client, admin, run, make_user):
    enrolment = enrol(run, make_user())
    base = f"/admin/sessions/{run.id}"
    for path in (
        f"{base}/inscrire",
        f"{base}/import-csv",
        f"{base}/inscriptions/{enrolment.id}/renvoyer",
        f"{base}/inscriptions/{enrolment.id}/retirer",
    ):
        assert client.post(path, data={"name": "X", "email": "x@example.org"}).status_code == 400
    db.session.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.ACTIVE and _count(OutboxMessage) == 0


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_enrolment_actions_are_refused_to_non_admins(client, make_user, login, run, role):
    user = make_user(role)
    if role == "trainer":
        run.trainers.append(user)
        db.session.commit()
    enrolment = enrol(run, make_user())
    login(user)
    token = csrf_token(client, "/admin/sessions")  # the 403 page has the sign-out form
    base = f"/admin/sessions/{run.id}"
    for path in (
        f"{base}/inscrire",
        f"{base}/inscriptions/{enrolment.id}/renvoyer",
        f"{base}/inscriptions/{enrolment.id}/retirer",
    ):
        response = client.post(
            path, data={"csrf_token": token, "name": "X", "email": "x@example.org"}
        )
        assert response.status_code == 403
    db.session.refresh(enrolment)
    assert enrolment.status == EnrolmentStatus.ACTIVE and _count(Enrolment) == 1


def test_pages_do_not_query_per_learner_or_run(client, admin, run, make_user, count_queries):
    enrol(run, make_user())
    with count_queries() as few:
        assert client.get(f"/admin/sessions/{run.id}").status_code == 200
    with count_queries() as few_runs:
        client.get("/admin/sessions")
    for i in range(8):
        enrol(run, make_user(), status=EnrolmentStatus.INVITED)
        make_run(run.course, title=f"Autre {i}", trainers=[make_user("trainer")])
    with count_queries() as many:
        html = client.get(f"/admin/sessions/{run.id}").get_data(as_text=True)
    assert html.count("Renvoyer l&#39;invitation") + html.count("Renvoyer l'invitation") == 9
    assert many.count == few.count
    with count_queries() as many_runs:
        client.get("/admin/sessions")
    assert many_runs.count == few_runs.count
