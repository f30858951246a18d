"""The English interface: a complete catalog, a remembered language switch, English e-mails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from flask_babel import refresh

from lms.db import db
from lms.mail import render_mail
from lms.models import User
from tests.conftest import TEST_PASSWORD, csrf_token

CATALOG = Path(__file__).resolve().parents[2] / "lms/translations/en/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]?\d*(?:\.\d+)?[diouxXeEfFgGcrs]"  # %(name)s, %(num)d, %(x).1f
    r"|%[sdif]"  # positional %s, %d
    r"|%%"  # a literal percent sign in a formatted string
    r"|\{\w*\}"  # {name}
)


def _read_catalog():
    with CATALOG.open("rb") as f:
        return read_po(f)


@pytest.fixture
def fresh_locale(app):
    """Pick the language anew on each request.

    The ``app`` fixture keeps one app context (so one ``g``) around the whole test, where
    Flask-Babel caches the locale; in production every request has its own.
    """
    app.before_request(refresh)


def _pairs(message):
    """(msgid, msgstr) pairs of a message, plural forms included."""
    if isinstance(message.id, str):
        return [(message.id, message.string)]
    ids = message.id
    return [(ids[min(i, 1)], string) for i, string in enumerate(message.string)]


def test_catalog_is_complete_without_fuzzy_entries():
    catalog = _read_catalog()
    messages = [m for m in catalog if m.id]
    assert len(messages) > 700
    untranslated = [m.id for m in messages if not all(s for _, s in _pairs(m))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert [m for m in messages if not isinstance(m.id, str) and len(m.string) != 2] == []


def test_every_source_text_has_one_entry():
    """Branches append their entries; a text added twice (or glued to the entry before it by a
    merge) would silently win over the other."""
    text = CATALOG.read_text(encoding="utf-8")
    sources = re.findall(r'^msgid "(.+)"$', text, re.M)
    assert [s for s in set(sources) if sources.count(s) > 1] == []
    assert not re.search(r'^msgstr ".*"\nmsgid ', text, re.M), "an entry without a blank line"


def test_every_translation_keeps_the_placeholders_of_its_source():
    catalog = _read_catalog()
    wrong = [
        (msgid, msgstr)
        for message in catalog
        if message.id
        for msgid, msgstr in _pairs(message)
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr))
    ]
    assert wrong == []
    assert [(m.id, errors) for m, errors in catalog.check()] == []


def test_placeholder_check_catches_a_lost_or_renamed_placeholder():
    found = sorted(PLACEHOLDER.findall("Bonjour %(name)s, %(num)d sur {total} (50 %%)"))
    assert found == ["%%", "%(name)s", "%(num)d", "{total}"]
    assert PLACEHOLDER.findall("Hello %(nom)s") != PLACEHOLDER.findall("Bonjour %(name)s")


def _switch_to_english(client, path):
    return client.post(
        "/langue",
        data={"lang": "en", "next": path, "csrf_token": csrf_token(client, path)},
        follow_redirects=True,
    )


def test_learner_switches_to_english_and_the_choice_stays_on_the_account(
    app, fresh_locale, client, make_user, login
):
    user = make_user("learner", name="Agnès Martin")
    login(user)
    french = client.get("/parcours").get_data(as_text=True)
    assert "Mon parcours" in french and "Se déconnecter" in french

    page = _switch_to_english(client, "/parcours").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "My learning" in page and "Sign out" in page and "Language" in page
    assert "Mon parcours" not in page and "Se déconnecter" not in page
    assert "You are not enrolled in any session for the moment." in page
    assert db.session.scalar(sa.select(User.locale).where(User.id == user.id)) == "en"

    signed_out = client.post(
        "/compte/deconnexion",
        data={"csrf_token": csrf_token(client, "/parcours")},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "You have signed out." in signed_out and "Sign in" in signed_out
    assert "Forgotten your password?" in signed_out and "Connexion" not in signed_out

    with app.app_context():  # another browser, with its own ``g`` as on a real server
        other_browser = app.test_client()
        assert "Connexion" in other_browser.get("/compte/connexion").get_data(as_text=True)
        signed_in = other_browser.post(
            "/compte/connexion",
            data={
                "email": user.email,
                "password": TEST_PASSWORD,
                "csrf_token": csrf_token(other_browser),
            },
            follow_redirects=True,
        ).get_data(as_text=True)
    assert "My learning" in signed_in and "Mon parcours" not in signed_in


def test_trainer_pages_in_english(fresh_locale, client, make_user, login):
    login(make_user("trainer"))
    page = _switch_to_english(client, "/").get_data(as_text=True)
    assert "My sessions" in page and "Assessments" in page
    assert "No session is assigned to you for the moment." in page
    assert "Mes sessions" not in page


def test_password_reset_mail_in_english(app, make_user):
    user = make_user("learner", name="Agnès Martin")
    subject, text, html = render_mail(
        "lms/mail/password_reset", "en", user=user, link="https://example.org/x", hours=2
    )
    assert subject == "Resetting your password"
    for body in (text, html):
        assert "Hello Agnès Martin," in body
        assert "valid for 2 hours, once only" in body
        assert "If you did not make this request" in body
        assert "Bonjour" not in body and "mot de passe" not in body
    french_subject, _, _ = render_mail(
        "lms/mail/password_reset", "fr", user=user, link="https://example.org/x", hours=2
    )
    assert french_subject == "Réinitialisation de votre mot de passe"
