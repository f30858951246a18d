"""The checklist kind of the example plugin is shown, completed and round-tripped like built-ins."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import refresh
from lms_example.models import ChecklistItem, ChecklistTick

from courses.content.errors import ContentErrors
from courses.content.loader import import_folders
from courses.content.reader import read_course
from courses.content.writer import export_course
from courses.models import Activity, Course, Enrolment, EnrolmentStatus
from lms.db import db
from tests.conftest import csrf_token
from tests.example_plugin.example_tests.conftest import write_course
from tests.factories import enrol, make_run


def _setup(tmp_path, make_user, login, locale="fr"):
    import_folders([write_course(tmp_path / "atelier")])
    course = db.session.scalar(sa.select(Course).where(Course.key == "atelier"))
    run = make_run(course)
    learner = make_user("learner", locale=locale)
    enrolment = enrol(run, learner)
    login(learner)
    checklist = db.session.scalar(sa.select(Activity).where(Activity.kind == "checklist"))
    return run, enrolment, checklist


def _url(run, activity, tail=""):
    return f"/parcours/sessions/{run.id}/activites/{activity.id}{tail}"


def _post(client, run, activity, ticks):
    token = csrf_token(client, _url(run, activity))
    data = {"csrf_token": token, "item": [str(t) for t in ticks]}
    return client.post(_url(run, activity, "/terminer"), data=data, follow_redirects=True)


def test_learner_sees_the_checklist_in_the_activity_page(app, client, make_user, login, tmp_path):
    run, _, checklist = _setup(tmp_path, make_user, login)

    html = client.get(_url(run, checklist)).get_data(as_text=True)

    assert "ne peut pas être affichée" not in html
    assert "Préparer la salle</h1>" in html
    assert html.count('type="checkbox" name="item"') == 3
    assert "Tester le vidéoprojecteur" in html
    assert "Liste de contrôle" in html  # the kind's label, in the outline and the header
    assert "Marquer comme terminé" not in html  # completion is the plugin's own rule


def test_ticking_some_items_keeps_them_and_says_what_is_left(
    app, client, make_user, login, tmp_path
):
    run, enrolment, checklist = _setup(tmp_path, make_user, login)

    html = _post(client, run, checklist, [0, 2]).get_data(as_text=True)

    assert "Il reste 1 point à cocher pour terminer cette liste." in html
    assert html.count(" checked>") == 2
    assert "Terminée" not in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChecklistTick)) == 2


def test_ticking_every_item_completes_the_activity_and_the_course(
    app, client, make_user, login, tmp_path
):
    run, enrolment, checklist = _setup(tmp_path, make_user, login)
    lesson = db.session.scalar(sa.select(Activity).where(Activity.kind == "lesson"))
    token = csrf_token(client, _url(run, lesson))
    client.post(_url(run, lesson, "/terminer"), data={"csrf_token": token, "done": "1"})

    html = _post(client, run, checklist, [0, 1, 2]).get_data(as_text=True)

    assert "Activité marquée comme terminée." in html
    assert "Terminée" in html
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).status == EnrolmentStatus.COMPLETED
    overview = client.get("/parcours").get_data(as_text=True)
    assert "100" in overview


def test_the_checklist_speaks_english_through_the_plugin_catalog(
    app, client, make_user, login, tmp_path
):
    app.before_request(refresh)  # pick the language per request, as in production
    run, _, checklist = _setup(tmp_path, make_user, login, locale="en")

    html = client.get(_url(run, checklist)).get_data(as_text=True)
    after = _post(client, run, checklist, [1]).get_data(as_text=True)

    assert "Tick each item once checked" in html and "Save my list" in html
    assert "Checklist" in html
    assert "2 items are left to tick to finish this list." in after


def test_someone_not_enrolled_cannot_tick(app, client, make_user, login, tmp_path):
    run, _, checklist = _setup(tmp_path, make_user, login)
    login(make_user("learner"))

    token = csrf_token(client, "/parcours")
    response = client.post(
        _url(run, checklist, "/terminer"), data={"csrf_token": token, "item": ["0"]}
    )

    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ChecklistTick)) == 0


def test_export_writes_the_checklist_file_back_and_it_reimports(app, tmp_path):
    root = write_course(tmp_path / "atelier")
    import_folders([root])
    ids = db.session.scalars(sa.select(Activity.id).order_by(Activity.id)).all()

    target = export_course("atelier", tmp_path / "out")

    exported = target / "01-preparer" / "salle.checklist"
    assert (
        exported.read_text(encoding="utf-8") == (root / "01-preparer/salle.checklist").read_text()
    )
    assert read_course(target) == read_course(root)
    (report,) = import_folders([target])
    assert (report.added, report.archived) == (0, 0)
    assert db.session.scalars(sa.select(Activity.id).order_by(Activity.id)).all() == ids
    items = db.session.scalars(sa.select(ChecklistItem.text).order_by(ChecklistItem.id)).all()
    assert items == ["Réserver la salle", "Imprimer les fiches", "Tester le vidéoprojecteur"]


def test_a_bad_checklist_names_its_file_and_line(app, tmp_path):
    root = write_course(tmp_path / "atelier", "Préparer la salle\n- Réserver\nImprimer\n")

    try:
        import_folders([root])
    except ContentErrors as exc:
        errors = [(e.file, e.line, e.message) for e in exc.errors]
    else:
        raise AssertionError("the import should have failed")

    assert errors == [("01-preparer/salle.checklist", 3, "an item line starts with '- ' then text")]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Course)) == 0
