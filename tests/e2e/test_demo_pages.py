"""The main pages on the demo data, in a real browser: at 375 px (a phone) none scrolls sideways
(the document is never wider than the screen; tables scroll inside their own box), the lesson
page puts its text first, and the pages with charts have no axe-core finding at all, in French
and in English."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lms.db import db
from quizzes.models import Attempt, Instrument
from tests.e2e.demo_site import demo_server, main_pages, sign_in_demo  # noqa: F401

WIDTH = 375


def test_no_main_page_scrolls_horizontally_on_a_phone(demo_server, page):  # noqa: F811
    base, app = demo_server
    page.set_viewport_size({"width": WIDTH, "height": 800})
    too_wide = {}
    for account, paths in main_pages(app).items():
        sign_in_demo(page, base, account)
        for path in paths:
            response = page.goto(base + path)
            assert response.status == 200, f"{path} gave {response.status}"
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                too_wide[path] = width
    assert too_wide == {}


def test_lesson_shows_title_and_text_first_and_folds_the_outline_on_a_phone(demo_server, page):  # noqa: F811
    base, app = demo_server
    lesson = next(p for p in main_pages(app)["sophie.lefevre"] if "/activites/" in p)
    sign_in_demo(page, base, "sophie.lefevre")
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(base + lesson)
    assert page.locator("h1").bounding_box()["y"] < 300
    outline = page.get_by_role("navigation", name="Plan de la formation")
    assert not outline.is_visible()
    page.get_by_text("Programme", exact=True).click()
    assert outline.is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    assert outline.is_visible()  # beside the text on a wide screen, no toggle
    assert not page.get_by_text("Programme", exact=True).is_visible()


CHART_PAGES = ("/satisfaction", "/analyse", "/reponses", "/besoins", "/auto-evaluations")


def _switch_to_english(page, base):
    page.goto(base + "/formateur/sessions")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()


def test_chart_pages_have_no_accessibility_finding_in_french_and_english(demo_server, page, axe):  # noqa: F811
    base, app = demo_server
    pages = main_pages(app)
    charts = [p for p in pages["helene.marchand"] + pages["admin"] if p.endswith(CHART_PAGES)]
    grids = [p for p in pages["helene.marchand"] if re.fullmatch(r"/formateur/sessions/\d+", p)]
    charts += grids  # the progress grid as a heat map
    charts += [p for p in pages["admin"] if re.fullmatch(r"/admin/suivi/sessions/\d+", p)]
    problems, drawn = {}, {}
    for language in ("fr", "en"):
        for account in ("helene.marchand", "admin"):
            sign_in_demo(page, base, account)
            if language == "en":
                _switch_to_english(page, base)
            for path in [p for p in charts if p in pages[account]]:
                page.goto(base + path)
                assert page.locator("html").get_attribute("lang") == language
                drawn[path] = page.locator("svg[role=img], td.heat").count()
                found = axe(page, "minor")
                if found:
                    problems[(language, path)] = [(v["id"], v["impact"]) for v in found]
    assert problems == {}
    assert [
        p for p in charts if not p.endswith(("/besoins", "/questionnaires/")) and not drawn[p]
    ] == []


def test_a_self_assessment_of_18_statements_is_compact(demo_server, page):  # noqa: F811
    base, app = demo_server
    with app.app_context():
        attempt = db.session.scalar(
            sa.select(Attempt.id)
            .join(Instrument, Instrument.id == Attempt.instrument_id)
            .where(Instrument.kind == "self_assessment", Instrument.key == "auto-evaluation-entree")
            .limit(1)
        )
    sign_in_demo(page, base, "helene.marchand")
    page.goto(f"{base}/formateur/tentatives/{attempt}")
    assert page.locator("fieldset.q-scale").count() == 18
    first = page.locator("fieldset.q-scale").first
    stem, levels = first.locator(".stem"), first.locator("ul.scale")
    # One row per statement: the levels beside the statement, not under it.
    assert levels.bounding_box()["x"] > stem.bounding_box()["x"] + 300
    assert page.evaluate("document.documentElement.scrollHeight") < 4500  # 6,100 px before
    page.set_viewport_size({"width": WIDTH, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
