"""The activity page: lessons, memo sheets, live sessions, marking done, moving on."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from courses.models import Activity, ActivityFile, Enrolment, Module, Progress
from lms.db import db
from lms.plugins import ActivityKind, get_registry
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run

PARIS = ZoneInfo("Europe/Paris")


def activities_of(course) -> list[Activity]:
    """The course's activities in outline order."""
    return list(
        db.session.scalars(
            sa.select(Activity)
            .join(Module)
            .where(Activity.course_id == course.id)
            .order_by(Module.position, Activity.position)
        )
    )


def url(run, activity, suffix: str = "") -> str:
    """Address of an activity page (or of one of its sub-routes)."""
    return f"/parcours/sessions/{run.id}/activites/{activity.id}{suffix}"


def set_done(client, run, activity, done: str = "1"):
    """Press the « Marquer comme terminé » (or « non terminé ») button."""
    token = csrf_token(client, url(run, activity))
    return client.post(url(run, activity, "/terminer"), data={"csrf_token": token, "done": done})


def setup_learner(make_user, login, key="cours", modules=2, activities=2):
    """A signed-in learner enrolled in a run of a new course."""
    learner = make_user()
    course = make_course(key, modules=modules, activities=activities)
    run = make_run(course)
    enrolment = enrol(run, learner)
    login(learner)
    return run, enrolment, activities_of(course)


def test_lesson_shows_body_outline_and_current_marker(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)

    html = client.get(url(run, acts[1])).get_data(as_text=True)

    assert "<p>Contenu de la leçon 1.2.</p>" in html
    assert re.search(rf'href="{url(run, acts[1])}" aria-current="page">Leçon 1.2<', html)
    assert "Leçon 2.2" in html  # the whole outline is in the sidebar
    assert "Marquer comme terminé" in html


def test_previous_and_next_cross_module_boundaries(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)

    html = client.get(url(run, acts[1])).get_data(as_text=True)

    assert f'href="{url(run, acts[0])}" rel="prev">← Précédent : Leçon 1.1' in html
    assert f'href="{url(run, acts[2])}" rel="next">Suivant : Leçon 2.1' in html
    last = client.get(url(run, acts[-1])).get_data(as_text=True)
    assert 'rel="next"' not in last


def test_mark_done_updates_ticks_and_percentages(client, make_user, login):
    run, enrolment, acts = setup_learner(make_user, login)

    response = set_done(client, run, acts[0])

    assert response.status_code == 302
    html = client.get(url(run, acts[0])).get_data(as_text=True)
    assert "Activité marquée comme terminée" in html
    assert "Marquer comme non terminé" in html
    assert re.search(r'<li class="done">\s*<a href="[^"]+" aria-current="page">Leçon 1.1', html)
    assert 'Module 1</strong>\n      <span class="muted">50\xa0%' in html
    overview = client.get("/parcours").get_data(as_text=True)
    assert "Progression globale : <strong>25\xa0%</strong>" in overview

    set_done(client, run, acts[0], done="0")
    overview = client.get("/parcours").get_data(as_text=True)
    assert "Progression globale : <strong>0\xa0%</strong>" in overview


def test_completing_every_activity_completes_the_enrolment(client, make_user, login):
    run, enrolment, acts = setup_learner(make_user, login, modules=1, activities=2)
    for activity in acts:
        set_done(client, run, activity)

    html = client.get("/parcours").get_data(as_text=True)

    assert "Progression globale : <strong>100\xa0%</strong>" in html
    assert "Formation terminée" in html
    assert db.session.get(Enrolment, enrolment.id).status == "completed"


def test_opening_a_page_records_the_resume_point(client, make_user, login):
    run, enrolment, acts = setup_learner(make_user, login)

    client.get(url(run, acts[2]))

    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).last_activity_id == acts[2].id
    row = db.session.scalar(sa.select(Progress).where(Progress.activity_id == acts[2].id))
    assert row.started_at is not None and row.completed_at is None


def test_video_from_allowed_host_is_embedded_with_a_title(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)
    acts[0].settings = {"video": "https://player.vimeo.com/video/123"}
    acts[1].settings = {"video": "https://evil.example.org/video/123"}
    acts[2].settings = {"video": "http://player.vimeo.com/video/123"}
    db.session.commit()

    html = client.get(url(run, acts[0])).get_data(as_text=True)
    assert '<iframe src="https://player.vimeo.com/video/123" title="Vidéo : Leçon 1.1"' in html
    for other in acts[1:3]:
        assert "<iframe" not in client.get(url(run, other)).get_data(as_text=True)


def test_memo_has_download_and_print_hint(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)
    acts[0].kind = "memo"
    db.session.commit()

    html = client.get(url(run, acts[0])).get_data(as_text=True)

    assert f'href="{url(run, acts[0], "/telecharger")}">Télécharger' in html
    assert "Imprimer" in html
    assert "Marquer comme terminé" in html


def test_memo_download_without_file_is_a_printable_html_attachment(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)
    acts[0].kind = "memo"
    db.session.commit()

    response = client.get(url(run, acts[0], "/telecharger"))

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Content-Disposition"] == 'attachment; filename="m1-a1.html"'
    body = response.get_data(as_text=True)
    assert "<h1>Leçon 1.1</h1>" in body and "<p>Contenu de la leçon 1.1.</p>" in body


def test_memo_download_sends_the_attached_file(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)
    acts[0].kind = "memo"
    db.session.add(
        ActivityFile(
            activity=acts[0],
            filename="fiche-memo.pdf",
            content_type="application/pdf",
            data=b"%PDF-1.4 fiche",
        )
    )
    db.session.commit()

    response = client.get(url(run, acts[0], "/telecharger"))

    assert response.data == b"%PDF-1.4 fiche"
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "fiche-memo.pdf" in response.headers["Content-Disposition"]


def test_download_of_a_lesson_is_not_found(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)
    assert client.get(url(run, acts[0], "/telecharger")).status_code == 404


def _live(activity, starts: datetime, **settings) -> None:
    activity.kind = "live"
    activity.duration_minutes = 90
    activity.settings = {"starts_at": starts.strftime("%Y-%m-%dT%H:%M"), **settings}


def test_upcoming_live_session_shows_paris_time_and_hides_the_link_until_15_minutes_before(
    client, make_user, login
):
    run, _, acts = setup_learner(make_user, login)
    _live(acts[0], datetime(2035, 6, 15, 14, 0), join_url="https://visio.example.org/j")
    db.session.commit()

    html = client.get(url(run, acts[0])).get_data(as_text=True)

    assert "vendredi 15 juin 2035" in html and "14:00 – 15:30 (heure de Paris)" in html
    assert "90 min" in html and "À venir" in html
    assert "visio.example.org" not in html
    assert "Le lien de connexion sera affiché ici 15 minutes avant le début." in html
    assert "agenda.ics" in html
    assert "Marquer comme terminé" in html


def test_join_link_shows_from_15_minutes_before(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)
    _live(
        acts[0], datetime.now(PARIS) + timedelta(minutes=14), join_url="https://visio.example.org/j"
    )
    _live(
        acts[1], datetime.now(PARIS) + timedelta(minutes=17), join_url="https://visio.example.org/j"
    )
    db.session.commit()

    soon = client.get(url(run, acts[0])).get_data(as_text=True)
    later = client.get(url(run, acts[1])).get_data(as_text=True)

    assert 'href="https://visio.example.org/j"' in soon and "Rejoindre la classe virtuelle" in soon
    assert "visio.example.org" not in later


def test_ongoing_live_session_still_offers_the_join_link(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)
    started = datetime.now(PARIS) - timedelta(minutes=10)
    _live(acts[0], started, join_url="https://visio.example.org/j")
    db.session.commit()

    html = client.get(url(run, acts[0])).get_data(as_text=True)

    assert "En cours" in html and "Rejoindre la classe virtuelle" in html


def test_past_live_session_shows_replay_or_says_there_is_none(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)
    _live(
        acts[0],
        datetime(2020, 1, 10, 9),
        join_url="https://visio.example.org/j",
        replay_url="https://replay.example.org/r",
    )
    _live(acts[1], datetime(2020, 1, 17, 9), join_url="https://visio.example.org/j")
    db.session.commit()

    with_replay = client.get(url(run, acts[0])).get_data(as_text=True)
    without = client.get(url(run, acts[1])).get_data(as_text=True)

    assert 'href="https://replay.example.org/r"' in with_replay
    assert "Rejoindre" not in with_replay
    assert "Aucun enregistrement n'est disponible" in without
    assert "visio.example.org" not in without


def test_kind_of_another_plugin_redirects_to_its_page(app, client, make_user, login):
    get_registry(app).add_activity_kind(
        ActivityKind("exercice", "Exercice", endpoint="courses.run_overview")
    )
    run, _, acts = setup_learner(make_user, login)
    acts[0].kind = "exercice"
    db.session.commit()

    response = client.get(url(run, acts[0]))

    assert response.status_code == 302
    assert response.location == f"/parcours/sessions/{run.id}?activity_id={acts[0].id}"
    overview = client.get(f"/parcours/sessions/{run.id}").get_data(as_text=True)
    assert "Leçon 1.1</a>" in overview and "— Exercice" in overview
    assert set_done(client, run, acts[1]).status_code == 302
    token = csrf_token(client, url(run, acts[1]))
    refused = client.post(url(run, acts[0], "/terminer"), data={"csrf_token": token})
    assert refused.status_code == 400


def test_kind_without_a_page_says_it_cannot_be_shown(client, make_user, login):
    run, _, acts = setup_learner(make_user, login)
    acts[0].kind = "inconnu"
    db.session.commit()

    html = client.get(url(run, acts[0])).get_data(as_text=True)

    assert "Cette activité ne peut pas être affichée ici" in html
    assert "Marquer comme terminé" not in html
