"""The page shell in a real browser: sign in, language switch, no inline script blocked."""

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in


def test_sign_in_and_switch_language(server, page, make_user):
    user = make_user("learner", name="Inès Robert")
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, server, user.email, TEST_PASSWORD)
    assert page.get_by_text("Inès Robert").is_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.reload()
    assert page.locator("html").get_attribute("lang") == "en"  # remembered
    assert not [e for e in errors if "Content Security Policy" in e]


def test_login_page_has_no_serious_accessibility_violation(server, page, axe):
    page.goto(f"{server}/compte/connexion")
    assert axe(page) == []
