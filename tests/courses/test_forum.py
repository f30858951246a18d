"""The session forum: threads, replies, unread markers, editing, « résolu », moderation, digest."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from courses.forum.digest import queue_digests
from courses.forum.models import ForumPost, ForumReadState, ForumThread
from lms.db import db, utcnow
from lms.mail.models import OutboxMessage
from tests.conftest import csrf_token
from tests.factories import enrol, make_course, make_run


@pytest.fixture
def world(make_user):
    trainer = make_user("trainer", name="Hélène Formatrice")
    alice = make_user("learner", name="Alice Martin")
    bruno = make_user("learner", name="Bruno Petit")
    course = make_course("forum", modules=2, activities=1)
    run = make_run(course, trainers=[trainer])
    enrol(run, alice), enrol(run, bruno)
    return {"trainer": trainer, "alice": alice, "bruno": bruno, "run": run, "course": course}


def base(run) -> str:
    return f"/parcours/sessions/{run.id}/forum"


def post(client, path, form_page=None, **data):
    token = csrf_token(client, form_page or path)
    return client.post(path, data={**data, "csrf_token": token})


def new_thread(
    client, run, module_id, title="Une question", body="Bonjour **à tous**", kind="question"
):
    path = f"{base(run)}/espaces/{module_id}/nouveau"
    response = post(client, path, title=title, kind=kind, body=body)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(sa.select(ForumThread).order_by(ForumThread.id.desc())).first()


def thread_url(run, thread) -> str:
    return f"{base(run)}/sujets/{thread.id}"


def reply(client, run, thread, body):
    return post(client, f"{thread_url(run, thread)}/repondre", thread_url(run, thread), body=body)


def test_thread_reply_sanitised_markdown_and_trainer_answer(client, world, login):
    run, module = world["run"], world["course"].modules[0]
    login(world["alice"])
    thread = new_thread(client, run, module.id, body="Voici <script>alert(1)</script> **gras**")
    html = client.get(thread_url(run, thread)).get_data(as_text=True)
    assert "<strong>gras</strong>" in html and "<script>alert" not in html
    login(world["trainer"])
    reply(client, run, thread, "Réponse du formateur ici.")
    html = client.get(thread_url(run, thread)).get_data(as_text=True)
    assert "Réponse du formateur ici." in html and 'badge ok">Réponse du formateur' in html
    space = client.get(f"{base(run)}/espaces/{module.id}").get_data(as_text=True)
    assert "Une question" in space and "2 messages" in space


def test_quote_prefills_the_reply(client, world, login):
    run = world["run"]
    login(world["alice"])
    thread = new_thread(client, run, 0, body="Ligne une\nLigne deux")
    first = db.session.scalar(sa.select(ForumPost.id))
    login(world["bruno"])
    html = client.get(f"{thread_url(run, thread)}?citer={first}").get_data(as_text=True)
    assert "&gt; **Alice Martin** :\n&gt;\n&gt; Ligne une\n&gt; Ligne deux" in html


def _writes(count_queries, client, path) -> int:
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    return sum(s.lstrip().upper().startswith(("INSERT", "UPDATE")) for s in counter.statements)


def test_unread_markers_and_a_read_state_written_only_when_it_changes(
    client, world, login, count_queries
):
    run = world["run"]
    login(world["alice"])
    thread = new_thread(client, run, 0)
    login(world["bruno"])
    assert "non lu" in client.get(f"{base(run)}/espaces/0").get_data(as_text=True)
    assert "1 nouveau message" in client.get(f"/parcours/sessions/{run.id}").get_data(as_text=True)
    assert _writes(count_queries, client, thread_url(run, thread)) == 1
    assert _writes(count_queries, client, thread_url(run, thread)) == 0
    assert "non lu" not in client.get(f"{base(run)}/espaces/0").get_data(as_text=True)
    overview = client.get(f"/parcours/sessions/{run.id}").get_data(as_text=True)
    assert "Forum de la session" in overview and "nouveau message" not in overview
    assert db.session.scalar(sa.select(sa.func.count(ForumReadState.id))) == 2


def test_edit_within_15_minutes_only_by_the_author(client, world, login):
    run = world["run"]
    login(world["alice"])
    thread = new_thread(client, run, 0, body="Premier jet")
    message = db.session.scalar(sa.select(ForumPost))
    path = f"{base(run)}/messages/{message.id}/modifier"
    assert post(client, path, body="Version corrigée").status_code == 302
    assert "Version corrigée" in client.get(thread_url(run, thread)).get_data(as_text=True)
    login(world["bruno"])
    response = client.get(path, follow_redirects=True)
    assert "ne peut être modifié que par son auteur" in response.get_data(as_text=True)
    message.created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    login(world["alice"])
    client.get(path, follow_redirects=True)
    token = csrf_token(client, thread_url(run, thread))
    client.post(path, data={"body": "Trop tard", "csrf_token": token})
    db.session.refresh(message)
    assert message.body == "Version corrigée"


def test_resolved_by_the_author_not_by_another_learner(client, world, login):
    run = world["run"]
    login(world["alice"])
    thread = new_thread(client, run, 0)
    page = thread_url(run, thread)
    login(world["bruno"])
    assert post(client, f"{page}/resolu", page, resolved="1").status_code == 403
    login(world["alice"])
    post(client, f"{page}/resolu", page, resolved="1")
    assert "Marquer comme non résolu" in client.get(page).get_data(as_text=True)
    assert 'badge ok">résolu' in client.get(f"{base(run)}/espaces/0").get_data(as_text=True)


def test_trainer_pins_locks_and_hides_with_the_author_told(client, world, login):
    run = world["run"]
    login(world["alice"])
    thread = new_thread(client, run, 0, body="Propos déplacés")
    message = db.session.scalar(sa.select(ForumPost))
    page = thread_url(run, thread)
    login(world["bruno"])
    assert client.get(f"{base(run)}/messages/{message.id}/masquer").status_code == 403
    login(world["trainer"])
    post(client, f"{page}/moderer", page, pinned="1", locked="1")
    hide = f"{base(run)}/messages/{message.id}/masquer"
    assert post(client, hide, reason="Hors charte").status_code == 302
    [mail] = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.category == "forum"))
    assert mail.to_addr == world["alice"].email and "Hors charte" in mail.body_text
    login(world["bruno"])
    html = client.get(page).get_data(as_text=True)
    assert "Propos déplacés" not in html and "Ce message a été masqué par un formateur." in html
    assert "verrouillé" in html and 'id="repondre"' not in html
    reply(client, run, thread, "Je réponds quand même")
    assert db.session.scalar(sa.select(sa.func.count(ForumPost.id))) == 1
    assert "épinglé" in client.get(f"{base(run)}/espaces/0").get_data(as_text=True)


def test_report_reaches_the_trainer_who_files_it(client, world, login):
    run = world["run"]
    login(world["alice"])
    new_thread(client, run, 0, body="Message litigieux")
    message = db.session.scalar(sa.select(ForumPost))
    login(world["bruno"])
    post(client, f"{base(run)}/messages/{message.id}/signaler", reason="Insultant")
    login(world["trainer"])
    reports = f"/formateur/sessions/{run.id}/forum/signalements"
    html = client.get(reports).get_data(as_text=True)
    assert "Message litigieux" in html and "Insultant" in html and "Bruno Petit" in html
    report_id = int(html.split("/signalements/")[1].split('"')[0])
    post(client, f"{reports}/{report_id}", reports)
    assert "Aucun signalement en attente." in client.get(reports).get_data(as_text=True)


def test_nobody_outside_the_session_reads_it(client, world, make_user, login):
    run = world["run"]
    login(world["alice"])
    thread = new_thread(client, run, 0, body="Entre nous")
    other_run = make_run(world["course"], trainers=[make_user("trainer")], title="Autre")
    outsider = make_user("learner")
    enrol(other_run, outsider)
    login(outsider)
    assert client.get(thread_url(run, thread)).status_code == 404
    login(other_run.trainers[0])
    for path in (
        base(run),
        thread_url(run, thread),
        f"/formateur/sessions/{run.id}/forum/signalements",
    ):
        assert client.get(path).status_code in (403, 404)
    login(make_user("admin"))
    assert "Entre nous" in client.get(thread_url(run, thread)).get_data(as_text=True)


def test_daily_digest_once_a_day_with_opt_out(app, client, world, login):
    run = world["run"]
    login(world["alice"])
    thread = new_thread(client, run, 0, title="Sujet d'hier")
    now = utcnow().replace(microsecond=0)
    yesterday = now - timedelta(hours=24)
    db.session.execute(sa.update(ForumPost).values(created_at=yesterday))
    thread.last_post_at = yesterday
    db.session.commit()
    login(world["bruno"])
    post(client, f"{base(run)}/resume-quotidien", base(run), digest="0")
    result = app.test_cli_runner().invoke(args=["lms", "tick", "--now", now.isoformat()])
    assert result.exit_code == 0, result.output
    app.test_cli_runner().invoke(args=["lms", "tick", "--now", now.isoformat()])
    mails = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.category == "forum")
    ).all()
    assert [m.to_addr for m in mails] == [world["alice"].email]
    assert "Sujet d'hier" in mails[0].body_text and "1 nouveau message" in mails[0].subject
    assert queue_digests(now + timedelta(days=2)) == 0  # nothing new the day before


def test_trainer_session_page_counts_posts_and_participants_per_module(client, world, login):
    run, module = world["run"], world["course"].modules[0]
    login(world["alice"])
    thread = new_thread(client, run, module.id)
    login(world["bruno"])
    reply(client, run, thread, "Moi aussi")
    reply(client, run, thread, "Et encore")
    login(world["trainer"])
    html = client.get(f"/formateur/sessions/{run.id}").get_data(as_text=True)
    row = html.split(f"/forum/espaces/{module.id}")[1].split("</tr>")[0]
    assert '<td class="num">1</td><td class="num">3</td><td class="num">2</td>' in row


def _forum_queries(client, count_queries, run, thread) -> list[int]:
    counts = []
    for path in (base(run), f"{base(run)}/espaces/0", thread_url(run, thread)):
        client.get(path)  # read states settle first
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    return counts


def test_forum_pages_query_count_does_not_grow(client, world, make_user, login, count_queries):
    run = world["run"]
    login(world["alice"])
    thread = new_thread(client, run, 0)
    login(world["bruno"])
    small = _forum_queries(client, count_queries, run, thread)
    login(world["alice"])
    for n in range(5):
        new_thread(client, run, 0, title=f"Sujet {n}")
        reply(client, run, thread, f"Réponse {n}")
    login(world["bruno"])
    assert _forum_queries(client, count_queries, run, thread) == small
