"""Sign-in rate limits: per account and per IP address, and shared by every worker.

The last test starts a real ``redis-server`` on a free loopback port and two gunicorn
processes using it as Flask-Limiter storage; attempts alternate between the two processes and
the limit still holds. Without redis-server the test is skipped locally and fails in CI.
"""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from tests.conftest import TEST_PASSWORD, csrf_token, unavailable
from tests.support.live import Browser, LiveServer, free_port

WRONG = "not the password"


def _attempt(client, email: str, password: str):
    token = csrf_token(client)
    return client.post(
        "/compte/connexion", data={"email": email, "password": password, "csrf_token": token}
    )


@pytest.mark.app_config({"LOGIN_RATE_LIMIT": "3 per 15 minutes"})
def test_a_locked_account_does_not_lock_out_colleagues_on_the_same_network(client, make_user):
    alice, bruno = make_user(), make_user()
    for _ in range(3):
        assert _attempt(client, alice.email, WRONG).status_code == 200
    assert _attempt(client, " " + alice.email.upper(), TEST_PASSWORD).status_code == 429
    assert _attempt(client, bruno.email, TEST_PASSWORD).status_code == 302


@pytest.mark.app_config({"LOGIN_RATE_LIMIT": "3 per 15 minutes", "LOGIN_IP_RATE_LIMIT": "5/hour"})
def test_one_address_trying_many_accounts_is_stopped(client, make_user):
    user = make_user()
    for n in range(5):
        assert _attempt(client, f"guess{n}@example.org", WRONG).status_code == 200
    response = _attempt(client, user.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.get_data(as_text=True)


@pytest.fixture
def redis_url(tmp_path):
    """A throw-away redis-server on a free loopback port (no persistence)."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    try:
        import redis
    except ImportError:
        unavailable("the redis Python package is not installed (pip install redis)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=10)


def test_the_limit_holds_across_workers_with_redis(app, make_user, redis_url):
    alice, bruno = make_user(), make_user()
    env = {
        "RATELIMIT_STORAGE_URI": redis_url,
        "LOGIN_RATE_LIMIT": "4 per 15 minutes",
        "LOGIN_IP_RATE_LIMIT": "8 per 15 minutes",
    }
    servers = [LiveServer(app, workers=1, threads=2, env=env).start() for _ in range(2)]
    try:
        browsers = [Browser(server.url) for server in servers]
        seen = [browsers[n % 2].sign_in(alice.email, WRONG).status for n in range(8)]
        assert seen == [200] * 4 + [429] * 4, seen
        assert browsers[0].sign_in(alice.email, TEST_PASSWORD).status == 429
        assert browsers[1].sign_in(alice.email, TEST_PASSWORD).status == 429
        assert Browser(servers[1].url).sign_in(bruno.email, TEST_PASSWORD).status == 302
        guesses = [browsers[n % 2].sign_in(f"g{n}@example.org", WRONG).status for n in range(6)]
        assert guesses == [200] * 4 + [429] * 2, guesses
        assert Browser(servers[0].url).sign_in(bruno.email, TEST_PASSWORD).status == 429
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def default_limits_forgotten():
    """Flask-Limiter keeps the default limits of the first app that had some in its (global)
    limiter, for every app made after it: none after the test, as before it."""
    from lms.auth import limiter

    yield
    limiter.limit_manager.set_default_limits([])


@pytest.mark.app_config({"RATELIMIT_ENABLED": True, "RATELIMIT_DEFAULT": "3 per minute"})
def test_a_default_limit_in_the_configuration_applies_to_every_page(
    default_limits_forgotten, client
):
    """The limiter's check runs before every request again when the configuration sets limits
    for every request (it is otherwise kept for the API blueprints)."""
    codes = [client.get("/").status_code for _ in range(4)]
    assert codes[3] == 429 and 429 not in codes[:3]


@pytest.mark.app_config({"RATELIMIT_ENABLED": True})
def test_pages_without_limits_are_never_refused(client):
    codes = {client.get("/compte/connexion").status_code for _ in range(30)}
    assert codes == {200}
