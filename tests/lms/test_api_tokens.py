"""Personal access tokens: created in the admin page, shown once, hashed, scoped, revocable."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.api.models import ApiToken
from lms.db import db, utcnow
from tests.conftest import csrf_token


def _create(client, email, scope="read", days="90", name="Synchronisation SIRH"):
    token = csrf_token(client, "/admin/jetons-api")
    data = {"csrf_token": token, "name": name, "email": email, "scope": scope, "days": days}
    return client.post("/admin/jetons-api", data=data)


def _bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def test_admin_creates_a_token_shown_once_and_stored_hashed(client, make_user, login):
    admin = make_user("admin")
    trainer = make_user("trainer")
    login(admin)

    page = _create(client, trainer.email).get_data(as_text=True)

    raw = re.search(r'<code id="new-token">(prc_[\w-]+)</code>', page).group(1)
    row = db.session.scalar(sa.select(ApiToken))
    assert row.user_id == trainer.id and row.scope == "read"
    assert raw not in (row.token_hash, row.hint) and len(row.token_hash) == 64
    assert raw[:10] == row.hint[:10]
    again = client.get("/admin/jetons-api").get_data(as_text=True)
    assert raw not in again and f"{row.hint}…" in again and "Synchronisation SIRH" in again
    assert client.get("/api/v1/sessions", headers=_bearer(raw)).status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).last_used_at is not None


def test_a_token_for_a_learner_is_refused_with_a_message(client, make_user, login):
    login(make_user("admin"))
    learner = make_user("learner")

    response = _create(client, learner.email)

    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "Aucun compte actif d'administrateur ou de formateur à cette adresse." in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_revoked_and_expired_tokens_get_a_problem_document(client, make_user, login):
    admin = make_user("admin")
    login(admin)
    revoked, raw_revoked = ApiToken.issue(admin, "a", "read", None, admin)
    _expired, raw_expired = ApiToken.issue(admin, "b", "read", utcnow() - timedelta(days=1), admin)
    db.session.commit()
    form = {"csrf_token": csrf_token(client, "/admin/jetons-api")}
    client.post(f"/admin/jetons-api/{revoked.id}/revoquer", data=form)

    for raw in (raw_revoked, raw_expired, "prc_inconnu"):
        response = client.get("/api/v1/courses", headers=_bearer(raw))
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        problem = response.get_json()
        assert problem["status"] == 401 and problem["title"] == "Unauthorized"
        assert "révoqué" in problem["detail"]
    page = client.get("/admin/jetons-api").get_data(as_text=True)
    assert "révoqué" in page and "expiré" in page


def test_a_session_cookie_alone_does_not_open_the_api(client, make_user, login):
    login(make_user("admin"))

    response = client.get("/api/v1/sessions")

    assert response.status_code == 401


def test_a_read_token_cannot_write(client, make_user):
    admin = make_user("admin")
    _token, raw = ApiToken.issue(admin, "r", "read", None, admin)
    db.session.commit()

    response = client.post(
        "/api/v1/sessions/1/enrolments",
        headers=_bearer(raw),
        json={"name": "A", "email": "a@example.org"},
    )

    assert response.status_code == 403
    assert "lecture" in response.get_json()["detail"]


@pytest.mark.parametrize("app", [{"API_RATE_LIMIT": "3 per minute"}], indirect=True)
def test_requests_beyond_the_rate_limit_get_429_with_retry_after(client, make_user):
    admin = make_user("admin")
    _token, raw = ApiToken.issue(admin, "r", "read", None, admin)
    db.session.commit()

    codes = [client.get("/api/v1/courses", headers=_bearer(raw)).status_code for _ in range(4)]
    last = client.get("/api/v1/courses", headers=_bearer(raw))

    assert codes == [200, 200, 200, 429]
    assert last.mimetype == "application/problem+json" and last.get_json()["status"] == 429
    assert int(last.headers["Retry-After"]) > 0


def test_openapi_document_and_its_docs_page_are_public(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    page = client.get("/api/v1/docs").get_data(as_text=True)

    assert spec["openapi"] == "3.1.0"
    assert "/api/v1/sessions/{run_id}/enrolments" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "<code>POST /api/v1/sessions/{run_id}/enrolments</code>" in page
    assert not re.search(r'(src|href)="https?://', page)  # nothing from another host
