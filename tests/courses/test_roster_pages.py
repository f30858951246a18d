"""The tables of learners of a run (trainer's progress grid, administrator's enrolments) as a
person uses them: 50 learners a page, page links, search, filters, sort, whole-run totals."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from courses.models import Enrolment, EnrolmentStatus, Progress
from lms.db import db, utcnow
from lms.models import User
from tests.conftest import TEST_PASSWORD
from tests.courses.test_learner_pages import activities_of
from tests.factories import make_course, make_run

ROW = re.compile(r'<th scope="row">(?:<a [^>]*>)?([^<]+)<')


@pytest.fixture
def big_run(make_user):
    """A run of 120 learners: « Apprenant 000 » … « Apprenant 119 » (007 is « Zoé Vasseur »);
    every 10th has finished, every 4th not started yet (the others opened the first activity of
    module 2); 005 completed one activity; 001's access ends in 3 days."""
    trainer = make_user("trainer")
    course = make_course("roster", modules=2, activities=2)
    run = make_run(course, trainers=[trainer])
    acts = activities_of(course)
    users = [
        User(email=f"a{n:03}@example.org", name=f"Apprenant {n:03}", role="learner")
        for n in range(120)
    ]
    users[7].name, users[7].email = "Zoé Vasseur", "zoe.vasseur@ville.example"
    db.session.add_all(users)
    db.session.flush()
    now = utcnow()
    for n, user in enumerate(users):
        done = n % 10 == 0
        status = EnrolmentStatus.COMPLETED if done else EnrolmentStatus.ACTIVE
        e = Enrolment(run_id=run.id, user_id=user.id, status=status, invited_at=now)
        e.access_starts_at, e.access_ends_at = now, now + timedelta(days=3 if n == 1 else 90)
        db.session.add(e)
        db.session.flush()
        if n % 4:
            db.session.add(Progress(enrolment_id=e.id, activity_id=acts[2].id, started_at=now))
        if n == 5:  # the only one with an activity completed
            db.session.add(
                Progress(
                    enrolment_id=e.id, activity_id=acts[0].id, started_at=now, completed_at=now
                )
            )
    db.session.commit()
    return trainer, run


def names(html: str) -> list[str]:
    """Learners' names in the table of learners (the first data table), in order."""
    start = html.index('<table class="data')
    table = html[start : html.index("</table>", start)]
    return [n.strip() for n in ROW.findall(table)]


def test_the_grid_shows_fifty_learners_a_page_with_accessible_page_links(client, login, big_run):
    trainer, run = big_run
    login(trainer)
    html = client.get(f"/formateur/sessions/{run.id}").get_data(as_text=True)

    assert names(html)[:2] == ["Apprenant 000", "Apprenant 001"] and len(names(html)) == 50
    assert "Lignes 1 à 50 sur 120" in html
    nav = re.search(r'<nav class="pagination" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    assert nav and nav.group(1) == "Pages de la liste des apprenants"
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>1<', html)
    assert f"/formateur/sessions/{run.id}?page=3" in nav.group(2)

    last = client.get(f"/formateur/sessions/{run.id}?page=3").get_data(as_text=True)
    assert len(names(last)) == 20 and "Lignes 101 à 120 sur 120" in last
    beyond = client.get(f"/formateur/sessions/{run.id}?page=99").get_data(as_text=True)
    assert names(beyond) == names(last)


def test_totals_are_those_of_the_whole_run_on_every_page_and_filter(client, login, big_run):
    trainer, run = big_run
    login(trainer)
    for query in ("", "?page=2", "?q=Zoé", "?status=completed"):
        html = client.get(f"/formateur/sessions/{run.id}{query}").get_data(as_text=True)
        assert "120 apprenants" in html
        assert "108 en cours" in html and "12 terminés" in html
        assert "30 pas encore commencé" in html


def test_search_by_name_or_email_keeps_the_search_in_the_page_links(client, login, big_run):
    trainer, run = big_run
    login(trainer)
    grid = f"/formateur/sessions/{run.id}"
    assert names(client.get(grid + "?q=vasseur").get_data(as_text=True)) == ["Zoé Vasseur"]
    assert names(client.get(grid + "?q=ville.example").get_data(as_text=True)) == ["Zoé Vasseur"]
    html = client.get(grid + "?q=Apprenant+11").get_data(as_text=True)
    assert "Lignes 1 à 11 sur 11" in html  # every word found: 011, 110–119
    assert "Aucun apprenant ne correspond" in client.get(grid + "?q=personne").get_data(
        as_text=True
    )
    many = client.get(grid + "?q=Apprenant&desc=1").get_data(as_text=True)
    link = re.search(r'href="([^"]*page=2[^"]*)"', many).group(1)
    assert "q=Apprenant" in link and "desc=1" in link
    second = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Lignes 51 à 100 sur 119" in second and names(second)[0] == "Apprenant 069"


def test_filters_status_not_started_module_reached_and_late(client, login, big_run):
    trainer, run = big_run
    login(trainer)
    grid = f"/formateur/sessions/{run.id}"
    completed = client.get(grid + "?status=completed").get_data(as_text=True)
    assert "sur 12" in completed and "Apprenant 010" in names(completed)
    waiting = client.get(grid + "?state=not_started").get_data(as_text=True)
    assert "sur 30" in waiting and names(waiting)[0] == "Apprenant 000"
    module2 = run.course.modules[1].id
    reached = client.get(f"{grid}?module={module2}").get_data(as_text=True)
    assert "sur 90" in reached and "Apprenant 000" not in names(reached)
    late = client.get(grid + "?state=late").get_data(as_text=True)
    assert names(late) == ["Apprenant 001"]  # active, access ends in 3 days
    ignored = client.get(grid + "?status=nonsense&page=abc").get_data(as_text=True)
    assert "Lignes 1 à 50 sur 120" in ignored


def test_sort_links_toggle_the_order_and_say_it(client, login, big_run):
    trainer, run = big_run
    login(trainer)
    grid = f"/formateur/sessions/{run.id}"
    html = client.get(grid).get_data(as_text=True)
    assert 'aria-sort="ascending"><a href="' + grid + '?desc=1">Apprenant' in html
    desc = client.get(grid + "?desc=1").get_data(as_text=True)
    assert names(desc)[0] == "Zoé Vasseur" and 'aria-sort="descending"' in desc
    by_progress = client.get(grid + "?sort=progress&desc=1").get_data(as_text=True)
    assert names(by_progress)[:2] == ["Apprenant 005", "Zoé Vasseur"]  # ties: by name, same way


def test_admin_enrolments_are_paged_searched_with_withdrawn_last(client, login, big_run, make_user):
    _trainer, run = big_run
    first = db.session.query(Enrolment).filter_by(run_id=run.id).order_by(Enrolment.id).first()
    first.status = EnrolmentStatus.WITHDRAWN
    db.session.commit()
    login(make_user("admin"))
    page = f"/admin/sessions/{run.id}"
    html = client.get(page).get_data(as_text=True)
    assert len(names(html)) == 50 and names(html)[0] == "Apprenant 001"
    assert 'aria-label="Pages de la liste des inscriptions"' in html
    assert "1 retiré." in html
    last = client.get(page + "?page=3").get_data(as_text=True)
    assert names(last)[-1] == "Apprenant 000"
    assert names(client.get(page + "?q=zoe.vasseur").get_data(as_text=True)) == ["Zoé Vasseur"]


def test_a_page_of_the_grid_runs_the_same_queries_for_60_and_120_learners(
    client, login, big_run, count_queries
):
    trainer, run = big_run
    login(trainer)
    client.get(f"/formateur/sessions/{run.id}")
    with count_queries() as big:
        client.get(f"/formateur/sessions/{run.id}?page=2")
    db.session.query(Enrolment).filter(Enrolment.run_id == run.id, Enrolment.id % 2 == 0).delete()
    db.session.commit()
    client.get(f"/formateur/sessions/{run.id}")
    with count_queries() as small:
        client.get(f"/formateur/sessions/{run.id}?page=2")
    # 11: the page's enrolment ids are sorted as narrow rows, then its 50 enrolments loaded
    assert len(big.statements) == len(small.statements) <= 11


def test_a_learner_counts_as_started_from_their_first_progress_whoever_made_it(
    client, login, big_run
):
    """« Pas encore commencé » ends with the first progress row: the learner opening a lesson,
    or a trainer's roll call completing a live session for them."""
    from courses.progress import complete_activity

    trainer, run = big_run
    zero, four = (
        db.session.scalar(
            sa.select(Enrolment).join(User).where(Enrolment.run_id == run.id, User.name == name)
        )
        for name in ("Apprenant 000", "Apprenant 004")
    )
    assert zero.started_at is None and four.started_at is None
    complete_activity(four, activities_of(run.course)[1])  # as the roll call does
    learner = db.session.get(User, zero.user_id)
    learner.set_password(TEST_PASSWORD)
    db.session.commit()
    login(learner)
    lesson = activities_of(run.course)[0]
    assert client.get(f"/parcours/sessions/{run.id}/activites/{lesson.id}").status_code == 200

    login(trainer)
    grid = f"/formateur/sessions/{run.id}"
    waiting = names(client.get(grid + "?state=not_started").get_data(as_text=True))
    assert len(waiting) == 28
    assert "Apprenant 000" not in waiting and "Apprenant 004" not in waiting
    assert "28 pas encore commencé" in client.get(grid).get_data(as_text=True)
    db.session.expire_all()
    first = db.session.get(Enrolment, zero.id).started_at
    assert first is not None
    client.get(f"/parcours/sessions/{run.id}")  # later progress does not move the start
    db.session.expire_all()
    assert db.session.get(Enrolment, zero.id).started_at == first


def test_a_table_neither_searched_nor_filtered_is_counted_from_the_run_totals(
    client, login, make_user, big_run
):
    """The run's totals (shown anyway) give the number of rows: one COUNT of the run fewer."""
    trainer, run = big_run
    seen: list[str] = []

    def keep(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    def counts(url: str) -> tuple[str, list[str]]:
        seen.clear()
        html = client.get(url).get_data(as_text=True)
        return html, [s for s in seen if s.startswith("SELECT count(*)") and "enrolments" in s]

    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        login(trainer)
        grid = f"/formateur/sessions/{run.id}"
        plain, plain_counts = counts(grid + "?page=3")
        searched, searched_counts = counts(grid + "?q=Apprenant+11")
        filtered, filtered_counts = counts(grid + "?status=completed")
        login(make_user("admin"))
        admin, admin_counts = counts(f"/admin/sessions/{run.id}")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)
    assert "Lignes 101 à 120 sur 120" in plain and plain_counts == []
    assert "Lignes 1 à 120 sur 120" not in admin and "sur 120" in admin and admin_counts == []
    assert "Lignes 1 à 11 sur 11" in searched and len(searched_counts) == 1
    assert "Lignes 1 à 12 sur 12" in filtered and len(filtered_counts) == 1
