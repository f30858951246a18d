"""Browser fixtures: the app served on loopback in a thread, and Debian's chromium."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import unavailable
from tests.support.browser import CHROMIUM_ARGS, chromium_path
from tests.support.wsgi import closing


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def server(app):
    """Serve ``app`` on 127.0.0.1 (a free port) during the test; yields the base URL."""
    httpd = make_server("127.0.0.1", 0, closing(app), threaded=True)
    port = httpd.server_port
    base = f"http://127.0.0.1:{port}"
    app.config["LMS_BASE_URL"] = base
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        httpd.server_close()


@pytest.fixture(scope="session")
def _playwright():
    path = chromium_path()
    if not path:
        unavailable("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(_playwright):
    """A fresh browser page (own cookies) in French."""
    context = _playwright.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


#: Impacts of axe-core findings that fail a test (``minor`` ones too with ``axe(page, "minor")``).
IMPACTS = ("minor", "moderate", "serious", "critical")


@pytest.fixture
def axe():
    """Run axe-core in a page; returns the violations of impact ``moderate`` or worse (pass
    ``least="minor"`` to get every finding)."""
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()

    def check(page, least: str = "moderate") -> list[dict]:
        results = runner.run(page)
        counted = IMPACTS[IMPACTS.index(least) :]
        return [v for v in results.response["violations"] if v.get("impact") in counted]

    return check


def sign_in(page, base: str, email: str, password: str) -> None:
    """Sign in through the real form."""
    page.goto(f"{base}/compte/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
