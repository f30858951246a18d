"""The administrator's home page (« Tableau de bord »): panels contributed by the host (failed
e-mails), courses (sessions in progress) and quizzes (satisfaction, follow-ups due this month),
each figure checked against a small world built by hand."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from courses.models import EnrolmentStatus, Progress
from lms.db import db
from lms.mail.models import MailStatus, OutboxMessage
from lms.models import utcnow
from quizzes.campaigns.models import FollowUpPlan, FollowUpWave
from quizzes.campaigns.timing import add_months
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run
from tests.lms.test_translations import fresh_locale  # noqa: F401 - fixture
from tests.quizzes.builders import learner, make_attempt, make_instrument, option_settings

SCALE = option_settings(*[(str(i), f"Niveau {i}") for i in range(1, 6)])


def _session_in_progress(key: str, title: str):
    """A session in progress of a course of three activities (two lessons and the satisfaction
    questionnaire): Alice (finished) and Bruno both did the two lessons, Chloé withdrew; on a
    1–5 satisfaction scale Alice answered 5 and 4, Bruno 2 and 3 (2 of 4 answers satisfied)."""
    course = make_course(key, modules=1, activities=2)
    run = make_run(course, title=title)
    activities = sorted(course.modules[0].activities, key=lambda a: a.position)
    people = {}
    for name, status, done in (
        ("Alice", EnrolmentStatus.COMPLETED, 2),
        ("Bruno", EnrolmentStatus.ACTIVE, 2),
        ("Chloé", EnrolmentStatus.WITHDRAWN, 2),
    ):
        people[name] = enrolment = enrol(run, learner(name), status=status)
        for activity in activities[:done]:
            db.session.add(
                Progress(enrolment_id=enrolment.id, activity_id=activity.id, completed_at=utcnow())
            )
    db.session.commit()
    questions = [{"key": k, "type": "scale", "settings": SCALE} for k in ("q1", "q2")]
    survey = make_instrument(
        course, f"satis-{key}", questions, kind="survey", purpose="satisfaction"
    )
    for name, (a, b) in {"Alice": (5, 4), "Bruno": (2, 3)}.items():
        answers = {
            q: {"response": {"choice": str(v)}, "value": float(v)}
            for q, v in (("q1", a), ("q2", b))
        }
        make_attempt(survey, people[name], answers)
    return run


def _ended_run_with_follow_up(months_ago: int, title: str):
    """A session that ended ``months_ago`` months ago today, with a 6-month follow-up wave."""
    course = make_course(f"suivi{months_ago}", modules=1, activities=1)
    end = add_months(date.today(), -months_ago)
    run = make_run(course, title=title, starts_on=end - timedelta(days=5), days=5)
    plan = FollowUpPlan(course_id=course.id)
    plan.waves.append(FollowUpWave(offset_months=6))
    db.session.add(plan)
    db.session.commit()
    return run


def _failed_mail(n: int) -> None:
    for i in range(n):
        db.session.add(
            OutboxMessage(
                key=f"k{i}",
                to_addr=f"personne{i}@example.org",
                subject=f"Objet en échec {i}",
                body_text="Bonjour",
                message_id=f"<m{i}@example.org>",
                status=MailStatus.FAILED,
                last_error="550 boîte inconnue",
            )
        )
    db.session.add(
        OutboxMessage(
            key="ok",
            to_addr="ok@example.org",
            subject="Parti",
            body_text="Bonjour",
            message_id="<ok@example.org>",
            status=MailStatus.SENT,
        )
    )
    db.session.commit()


def _cells(html: str, row: str) -> list[str]:
    found = re.search(
        rf"<tr><th scope=\"row\">(?:<a [^>]*>)?{row}(?:</a>)?</th>(.*?)</tr>", html, re.S
    )
    assert found, f"no row {row}"
    return [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", found.group(1), re.S)]


def test_admin_lands_on_the_dashboard_with_every_panel(app, client, make_user, login):
    _session_in_progress("ceo", "Session en cours")
    make_run(
        make_course("finie", modules=1, activities=1),
        title="Session finie",
        starts_on=date.today() - timedelta(days=60),
        days=10,
    )
    due = _ended_run_with_follow_up(6, "Session à suivre")  # its 6-month wave is due today
    _ended_run_with_follow_up(4, "Session plus tard")  # due in two months
    _failed_mail(2)
    login(make_user("admin"))
    home = client.get("/")
    assert home.status_code == 302 and home.location.endswith("/admin/tableau-de-bord")
    html = client.get("/admin/tableau-de-bord").get_data(as_text=True)
    assert "<h1>Tableau de bord</h1>" in html
    # Sessions in progress: 2 learners (withdrawn left out), 4 of 2 × 3 activities done, 1 finished.
    assert "Session finie" not in html
    assert _cells(html, "Session en cours")[1:] == ["2", "67 %", "1"]
    assert 'aria-labelledby="runs-progress-title runs-progress-desc"' in html
    assert ">67 %</text>" in html
    # Satisfaction: 2 respondents, 2 of 4 answers above the middle of the scale.
    satisfaction = html.split('id="panel-satisfaction"')[1].split("</section>")[0]
    assert _cells(satisfaction, "Session en cours") == ["2", "50 %"]
    assert 'aria-labelledby="runs-satisfaction-title runs-satisfaction-desc"' in satisfaction
    # Follow-ups due this month: only the session that ended six months ago.
    follow_ups = html.split('id="panel-followups"')[1].split("</section>")[0]
    assert "Session à suivre" in follow_ups and "Session plus tard" not in follow_ups
    assert f'href="/admin/suivi/sessions/{due.id}"' in follow_ups
    assert "Suivi à 6 mois" in follow_ups
    # Failed e-mails: the count, and each with a link to its page in the mail log.
    failed = html.split('id="panel-failed-mail"')[1].split("</section>")[0]
    assert "2 e-mails n'ont pas pu être envoyés." in failed
    assert "Objet en échec 0" in failed and "Parti" not in failed
    assert "/admin/courriels?status=failed" in failed


def test_the_dashboard_is_for_administrators_only(app, client, make_user, login):
    login(make_user("trainer"))
    assert client.get("/admin/tableau-de-bord").status_code == 403
    assert "tableau-de-bord" not in client.get("/").location


def test_an_empty_platform_says_so_in_each_panel(app, client, make_user, login):
    login(make_user("admin"))
    html = client.get("/admin/tableau-de-bord").get_data(as_text=True)
    assert "Aucune session en cours aujourd'hui." in html
    assert "Aucun suivi à envoyer ce mois-ci." in html
    assert "Aucun e-mail en échec." in html


def test_the_dashboard_queries_do_not_grow_with_the_sessions(
    app, client, make_user, login, count_queries
):
    login(make_user("admin"))
    _session_in_progress("a1", "Session A")
    _failed_mail(1)
    with count_queries() as one:
        assert client.get("/admin/tableau-de-bord").status_code == 200
    _session_in_progress("b2", "Session B")
    _session_in_progress("c3", "Session C")
    with count_queries() as three:
        html = client.get("/admin/tableau-de-bord").get_data(as_text=True)
    assert "Session C" in html
    assert three.count == one.count


@pytest.mark.usefixtures("fresh_locale")
def test_the_dashboard_speaks_english_too(app, client, make_user, login):
    _session_in_progress("eng", "Session en cours")
    _failed_mail(1)
    login(make_user("admin"))
    page = "/admin/tableau-de-bord"
    token = csrf_token(client, page)
    client.post("/langue", data={"lang": "en", "next": page, "csrf_token": token})
    html = client.get("/admin/tableau-de-bord").get_data(as_text=True)
    assert "<h1>Dashboard</h1>" in html
    assert "Mean progress of the sessions in progress" in html
    assert "Satisfaction in the sessions in progress" in html
    assert "No follow-up due this month." in html
    assert "1 e-mail could not be sent." in html
