"""axe-core (through Playwright, in Debian's chromium) on the main pages: no moderate, serious or
critical violation, with the shipped catalogue as content."""

import sqlalchemy as sa

from courses.models import Activity, Course
from lms.db import db
from lms.mail import queue_mail
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import sign_in
from tests.factories import enrol, make_run


def _world(make_user):
    from courses.content.catalog import import_catalog

    import_catalog()
    course = db.session.scalar(sa.select(Course).where(Course.key == "gcu07"))
    trainer, learner, admin = make_user("trainer"), make_user("learner"), make_user("admin")
    run = make_run(course, trainers=[trainer])
    enrol(run, learner)
    first = {
        kind: db.session.scalar(
            sa.select(Activity.id)
            .where(Activity.course_id == course.id, Activity.kind == kind)
            .order_by(Activity.module_id, Activity.position)
            .limit(1)
        )
        for kind in ("lesson", "memo", "live")
    }
    # A lesson with a two-way table (an empty corner cell).
    first["table"] = db.session.scalar(
        sa.select(Activity.id).where(
            Activity.course_id == course.id, Activity.key.like("%cadre-juridique%")
        )
    )
    message = queue_mail("a11y:1", learner.email, "Objet", "Texte", "<p>Texte</p>")
    db.session.commit()
    return run, first, message, {"trainer": trainer, "learner": learner, "admin": admin}


def _check(page, server, axe, paths, problems=None):
    """Run axe on each page; collect findings in ``problems`` (asserted empty when not given)."""
    collect = problems is not None
    problems = {} if problems is None else problems
    for path in paths:
        response = page.goto(server + path)
        assert response.status == 200, f"{path} gave {response.status}"
        found = axe(page)
        if found:
            problems[path] = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in found
            ]
    if not collect:
        assert problems == {}


def test_main_pages_have_no_moderate_or_worse_violation(server, page, axe, make_user):
    run, first, message, people = _world(make_user)
    problems: dict = {}
    sign_in(page, server, people["learner"].email, TEST_PASSWORD)
    _check(
        page,
        server,
        axe,
        [
            "/parcours",
            f"/parcours/sessions/{run.id}",
            *[f"/parcours/sessions/{run.id}/activites/{aid}" for aid in first.values()],
            f"/parcours/sessions/{run.id}/forum",
            f"/parcours/sessions/{run.id}/forum/espaces/0",
            f"/parcours/sessions/{run.id}/forum/espaces/0/nouveau",
            f"/parcours/sessions/{run.id}/aide",
            f"/parcours/sessions/{run.id}/aide/nouvelle",
        ],
        problems,
    )
    page.context.clear_cookies()
    sign_in(page, server, people["trainer"].email, TEST_PASSWORD)
    _check(
        page,
        server,
        axe,
        [
            "/formateur/sessions",
            f"/formateur/sessions/{run.id}",
            f"/formateur/sessions/{run.id}/apprenants/{people['learner'].id}",
            f"/formateur/sessions/{run.id}/classes",
            f"/formateur/sessions/{run.id}/classes/{first['live']}",
            f"/formateur/sessions/{run.id}/classes/{first['live']}/presences",
            f"/formateur/sessions/{run.id}/forum/signalements",
            "/formateur/assistance",
            "/formateur/assistance/rapport",
        ],
        problems,
    )
    page.context.clear_cookies()
    sign_in(page, server, people["admin"].email, TEST_PASSWORD)
    _check(
        page,
        server,
        axe,
        [
            "/admin/tableau-de-bord",
            "/admin/formations",
            f"/admin/formations/{run.course_id}",
            "/admin/sessions",
            "/admin/sessions/nouvelle",
            f"/admin/sessions/{run.id}",
            "/admin/utilisateurs",
            "/admin/courriels",
            f"/admin/courriels/{message.id}",
            "/admin/jetons-api",
            "/api/v1/docs",
            "/compte/mot-de-passe-oublie",
        ],
        problems,
    )
    assert problems == {}
