"""The demo (``flask lms demo``: catalogue, past and current sessions with answers) served once
per test module, and the main pages of each role found in it."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from courses.demo.base import CURRENT_RUN_TITLE, DEMO_PASSWORD, email_of
from courses.models import Activity, Course, CourseRun, Enrolment
from lms import create_app
from lms.db import db
from lms.mail.models import OutboxMessage
from quizzes.models import Attempt, Instrument
from quizzes.results.questionnaires import other_questionnaires
from tests.conftest import _empty_tables, base_config
from tests.e2e.conftest import sign_in


@pytest.fixture(scope="module")
def demo_server(migrated, tmp_path_factory):
    """(base URL, app) of the demo served on 127.0.0.1 for the module."""
    app = create_app(base_config(migrated, str(tmp_path_factory.mktemp("demo"))))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["lms", "demo"])
        assert result.exit_code == 0, result.output
        db.session.remove()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{httpd.server_port}"
    app.config["LMS_BASE_URL"] = base
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, app
    finally:
        httpd.shutdown()
        thread.join(timeout=10)
        httpd.server_close()
        with app.app_context():
            _empty_tables()
            db.engine.dispose()


def _first(query):
    return db.session.scalar(query.limit(1))


def main_pages(app) -> dict[str, list[str]]:
    """{demo account: paths of its main pages} (learner, trainer, administrator)."""
    with app.app_context():
        current = _first(sa.select(CourseRun).where(CourseRun.title == CURRENT_RUN_TITLE))
        past = _first(
            sa.select(CourseRun)
            .where(CourseRun.course_id == current.course_id, CourseRun.id != current.id)
            .order_by(CourseRun.starts_on)
        )
        lesson = _first(
            sa.select(Activity.id)
            .where(Activity.course_id == current.course_id, Activity.kind == "lesson")
            .order_by(Activity.module_id, Activity.position)
        )
        quiz = _first(
            sa.select(Instrument)
            .join(Attempt, Attempt.instrument_id == Instrument.id)
            .where(Attempt.run_id == past.id, Instrument.kind == "quiz")
        )
        others = other_questionnaires(past)
        attempt = _first(
            sa.select(Attempt.id).where(Attempt.run_id == past.id, Attempt.instrument_id == quiz.id)
        )
        past_learner = _first(sa.select(Enrolment.user_id).where(Enrolment.run_id == past.id))
        message = _first(sa.select(OutboxMessage.id))
        gcu = db.session.get(Course, current.course_id)
        trainer_run = [
            f"/formateur/sessions/{past.id}",
            f"/formateur/sessions/{past.id}/apprenants/{past_learner}",
            f"/formateur/sessions/{past.id}/resultats",
            f"/formateur/sessions/{past.id}/quiz/{quiz.id}/analyse",
            f"/formateur/sessions/{past.id}/besoins",
            f"/formateur/sessions/{past.id}/auto-evaluations",
            f"/formateur/sessions/{past.id}/satisfaction",
            f"/formateur/sessions/{past.id}/questionnaires",
            *[f"/formateur/sessions/{past.id}/questionnaires/{i.id}" for i in others[:1]],
            f"/formateur/sessions/{past.id}/a-corriger",
            f"/formateur/tentatives/{attempt}",
        ]
        return {
            "sophie.lefevre": [
                "/parcours",
                f"/parcours/sessions/{current.id}",
                f"/parcours/sessions/{current.id}/activites/{lesson}",
                f"/parcours/sessions/{current.id}/progression",
            ],
            "helene.marchand": [
                "/formateur/sessions",
                f"/formateur/sessions/{current.id}",
                *trainer_run,
                "/formateur/instruments",
            ],
            "admin": [
                "/admin/formations",
                f"/admin/formations/{gcu.id}",
                "/admin/sessions",
                "/admin/sessions/nouvelle",
                f"/admin/sessions/{current.id}",
                "/admin/utilisateurs",
                "/admin/courriels",
                f"/admin/courriels/{message}",
                "/admin/suivi",
                f"/admin/suivi/sessions/{past.id}",
                f"/admin/suivi/sessions/{past.id}/reponses",
                f"/admin/suivi/formations/{gcu.id}/reponses",
                f"/admin/suivi/formations/{gcu.id}",
            ],
        }


def sign_in_demo(page, base: str, local: str) -> None:
    """Sign in as a demo account."""
    page.context.clear_cookies()
    sign_in(page, base, email_of(local), DEMO_PASSWORD)
