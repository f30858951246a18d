"""The learner's quiz POSTs (start, save, send) and « Marquer comme terminé » hold SQLite's
write lock only around their writes (issue 10: « one ``BEGIN IMMEDIATE`` transaction per
request, short »).

Every other POST starts as a write transaction before its view runs, so on SQLite it holds the
database's only write lock from its first statement to its commit. The quiz POSTs, marked
:func:`lms.db.locks_itself`, read the signed-in person, the attempt's owner and the session's
access first, take the lock in the service (``begin_write``) and read again there only what
their writes depend on. Served by gunicorn, simultaneous starts, saves and sends of one
learner and of several still keep the rules (one attempt within the limit, one grading), and
a lesson marked done from several tabs at once has one progress row.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import g

import lms.db
from courses.models import Progress
from lms.db import db, is_sqlite
from quizzes.models import Answer, AnswerChoice, Attempt, AttemptState
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.courses.test_learner_activity import activities_of
from tests.factories import enrol
from tests.quizzes.taking_data import add_quiz, setup_course
from tests.quizzes.test_attempts import right_answers
from tests.quizzes.test_taking import activity_url, form_fields, post_attempt, started
from tests.support.live import Browser, LiveServer, together

#: Where the request took its write lock, in the statements recorded.
LOCK = "-- write lock --"
COMMIT = "-- commit --"


@pytest.fixture
def data(app, make_user, login):
    data = setup_course(make_user)
    data.quiz = add_quiz(data.course)
    login(data.learner)
    return data


@pytest.fixture
def statements(app, monkeypatch):
    """The SQL of the requests made while recording, with LOCK where the write lock was taken:
    SQLite's ``BEGIN IMMEDIATE`` (the whole database), PostgreSQL's first ``FOR UPDATE`` (the
    row of the person or of the attempt that the service locks)."""
    log: list[str] = []
    recording = {"on": False}
    begin = lms.db._begin_immediate_now

    def locked(connection):
        if recording["on"]:
            log.append(LOCK)
        begin(connection)

    def executed(_conn, _cursor, statement, *_args):
        if recording["on"]:
            if not is_sqlite() and "FOR UPDATE" in statement:
                log.append(LOCK)
            log.append(" ".join(statement.split()))

    def committed(_conn):
        if recording["on"]:
            log.append(COMMIT)

    monkeypatch.setattr(lms.db, "_begin_immediate_now", locked)
    sa.event.listen(db.engine, "before_cursor_execute", executed)
    sa.event.listen(db.engine, "commit", committed)

    class Recorder:
        def __enter__(self):
            # The test's app context outlives its requests: forget the signed-in person and
            # the language chosen by the previous one, as a served request starts without them.
            for kept in ("_login_user", "_flask_babel"):
                g.pop(kept, None)
            log.clear()
            recording["on"] = True
            return log

        def __exit__(self, *exc):
            recording["on"] = False

    yield Recorder()
    sa.event.remove(db.engine, "before_cursor_execute", executed)
    sa.event.remove(db.engine, "commit", committed)


def split(log: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The statements before the request's one write lock, under it (until the commit that
    releases it), and after."""
    assert log.count(LOCK) == 1, log
    at = log.index(LOCK)
    end = log.index(COMMIT, at)
    return log[:at], log[at + 1 : end], log[end + 1 :]


def reads(log: list[str], table: str) -> bool:
    return any(s.startswith("SELECT") and f"FROM {table}" in s for s in log)


def person_read(log: list[str]) -> list[str]:
    """Statements reading the person's row (the person's lock reads only its id)."""
    return [s for s in log if s.startswith("SELECT users.id,")]


def test_starting_reads_who_and_where_before_the_lock(client, data, statements):
    token = csrf_token(client, activity_url(data, data.quiz))
    with statements as log:
        response = client.post(
            activity_url(data, data.quiz) + "/commencer", data={"csrf_token": token}
        )
    assert response.status_code == 303
    before, inside, _after = split(log)
    assert reads(before, "users") and reads(before, "enrolments")
    assert any(s.startswith("INSERT INTO attempts") for s in inside)
    assert not reads(before, "attempts")  # the limit is counted inside the lock
    assert person_read(inside) == []
    # The new attempt's layout is drawn from the questions before the lock.
    assert reads(before, "questions") and not reads(inside, "questions")
    assert not reads(inside, "instruments")


def recorded_post(client, statements, attempt, fields: dict):
    """POST the attempt's form with ``fields`` while recording; the response and the log."""
    path = f"/parcours/tentatives/{attempt.id}"
    form = {"csrf_token": csrf_token(client, path), **fields}
    with statements as log:
        response = client.post(path, data=form)
    return response, log


def test_saving_reads_who_and_where_before_the_lock(client, data, statements):
    attempt = started(client, data, data.quiz)
    fields = {"action": "save", **form_fields(data.quiz)}
    response, log = recorded_post(client, statements, attempt, fields)
    assert response.status_code == 303
    before, inside, _after = split(log)
    assert reads(before, "users") and reads(before, "enrolments")
    assert any(s.startswith("INSERT INTO answers") for s in inside)
    assert reads(inside, "attempts")  # read again under the lock: its state, its deadline
    assert reads(inside, "answers")  # and its answers, compared with the form's
    assert person_read(inside) == [] and not reads(inside, "questions")
    db.session.expire_all()
    assert len(db.session.get(Attempt, attempt.id).answers) == 6


def test_sending_reads_who_and_where_before_the_lock(client, data, statements):
    attempt = started(client, data, data.quiz)
    post_attempt(client, attempt, form_fields(data.quiz))
    response, log = recorded_post(client, statements, attempt, {"action": "confirm"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/resultat")
    before, inside, _after = split(log)
    assert reads(before, "users") and reads(before, "enrolments")
    assert any(s.startswith("UPDATE attempts") for s in inside)
    assert person_read(inside) == []
    # The quiz and its questions are read before the lock and kept; the attempt and its
    # answers are read again under it.
    assert reads(before, "questions") and not reads(inside, "questions")
    assert not reads(inside, "instruments")
    assert reads(inside, "attempts") and reads(inside, "answers")
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.NEEDS_GRADING


def test_asking_to_send_builds_the_confirmation_after_the_lock(client, data, statements):
    attempt = started(client, data, data.quiz)
    fields = {"action": "submit", **form_fields(data.quiz)}
    response, log = recorded_post(client, statements, attempt, fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Envoyer vos réponses ?" in html
    assert "Vous avez répondu à 6 questions sur 6." in html
    before, inside, after = split(log)
    assert any(s.startswith("INSERT INTO answers") for s in inside)
    # The page (the person's name, the quiz's title) is made once the lock is released; the
    # quiz and its questions, read before the lock, are not read again.
    assert person_read(inside) == [] and not reads(inside, "instruments")
    assert not reads(inside, "questions") and not reads(after, "instruments")
    assert reads(after, "users")


def test_marking_a_lesson_done_reads_who_and_where_before_the_lock(client, data, statements):
    lesson = next(a for a in activities_of(data.course) if a.kind == "lesson")
    path = f"/parcours/sessions/{data.run.id}/activites/{lesson.id}"
    client.get(path)  # the first visit records where to resume
    token = csrf_token(client, path)
    with statements as log:
        response = client.post(path + "/terminer", data={"csrf_token": token, "done": "1"})
    assert response.status_code == 302 and response.headers["Location"].endswith(path)
    before, inside, _after = split(log)
    assert reads(before, "users") and reads(before, "enrolments")
    assert any(s.startswith("UPDATE progress") for s in inside)
    assert reads(inside, "enrolments")  # read again (locked on PostgreSQL) under the lock
    assert person_read(inside) == []
    db.session.expire_all()
    done = db.session.scalar(
        sa.select(Progress.completed_at).where(Progress.activity_id == lesson.id)
    )
    assert done is not None


def test_other_posts_still_take_the_lock_first(client, data, statements):
    if not is_sqlite():
        pytest.skip("PostgreSQL has no database-wide write lock to take first")
    token = csrf_token(client, "/parcours")
    with statements as log:
        client.post("/langue", data={"csrf_token": token, "lang": "en", "next": "/parcours"})
    steps = [step for step in log if step != COMMIT]
    assert steps[0] == LOCK and reads(steps, "users")  # the person is read under the lock


# Served by gunicorn: the reads made outside the lock do not let simultaneous requests break
# the rules (SQLite here; PostgreSQL with ``--db postgresql``).


@pytest.fixture
def server(app):
    live = LiveServer(app, workers=2, threads=4).start()
    yield live
    live.stop()


TABS = 6


def _signed_in(server, email: str) -> Browser:
    browser = Browser(server.url)
    assert browser.sign_in(email, TEST_PASSWORD).status == 302
    return browser


def _answers(right: list, token: str, action: str) -> list[tuple[str, str]]:
    return [*right, ("csrf_token", token), ("action", action)]


def test_one_learner_in_many_tabs_gets_one_attempt_graded_once(app, make_user, server):
    data = setup_course(make_user)
    quiz = add_quiz(data.course, attempts=1)
    db.session.commit()
    right = list(right_answers(quiz).items(multi=True))
    start = activity_url(data, quiz)
    tabs = [_signed_in(server, data.learner.email) for _ in range(TABS)]
    tokens = [tab.get(start).csrf() for tab in tabs]
    pressed = together(
        [
            (lambda t=tab, k=token: t.request(start + "/commencer", data={"csrf_token": k}))
            for tab, token in zip(tabs, tokens, strict=True)
        ]
    )
    assert [p.status for p in pressed] == [303] * TABS, server.tracebacks()
    assert len({p.headers["Location"] for p in pressed}) == 1  # all in the same attempt
    path = "/" + pressed[0].headers["Location"].split("://", 1)[-1].split("/", 1)[-1]
    for action in ("save", "confirm"):
        tokens = [tab.get(start).csrf() for tab in tabs]
        pages = together(
            [
                (lambda t=tab, k=token, a=action: t.request(path, data=_answers(right, k, a)))
                for tab, token in zip(tabs, tokens, strict=True)
            ]
        )
        assert [p.status for p in pages] == [303] * TABS, server.tracebacks()
    db.session.rollback()  # see what the server committed
    attempts = db.session.scalars(sa.select(Attempt).where(Attempt.instrument_id == quiz.id))
    (attempt,) = attempts.all()
    assert attempt.state == AttemptState.NEEDS_GRADING  # the essay waits for the trainer
    assert len(attempt.answers) == 6
    choices = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AnswerChoice)
        .join(Answer, Answer.id == AnswerChoice.answer_id)
        .where(Answer.attempt_id == attempt.id)
    )
    assert choices == 6  # graded once
    page = tabs[0].get(start)
    assert "0 restante" in page.text  # the one attempt allowed is used


def test_one_learner_marking_a_lesson_done_in_many_tabs(app, make_user, server):
    data = setup_course(make_user)
    lesson = next(a for a in activities_of(data.course) if a.kind == "lesson")
    db.session.commit()
    path = f"/parcours/sessions/{data.run.id}/activites/{lesson.id}"
    tabs = [_signed_in(server, data.learner.email) for _ in range(TABS)]
    tokens = [tab.get(path).csrf() for tab in tabs]  # never visited before: no progress yet
    pages = together(
        [
            (lambda t=tab, k=token: t.request(path + "/terminer", data={"csrf_token": k}))
            for tab, token in zip(tabs, tokens, strict=True)
        ]
    )
    assert [p.status for p in pages] == [302] * TABS, server.tracebacks()
    db.session.rollback()
    rows = db.session.execute(
        sa.select(Progress.completed_at).where(Progress.activity_id == lesson.id)
    ).all()
    assert len(rows) == 1 and rows[0].completed_at is not None
    assert "Marquer comme non terminé" in tabs[0].get(path).text


def test_learners_at_once_each_get_their_own_graded_attempt(app, make_user, server):
    data = setup_course(make_user)
    quiz = add_quiz(data.course)
    people = [data.learner] + [make_user("learner") for _ in range(TABS - 1)]
    for person in people[1:]:
        enrol(data.run, person)
    db.session.commit()
    right = list(right_answers(quiz).items(multi=True))
    start = activity_url(data, quiz)
    browsers = [_signed_in(server, person.email) for person in people]

    def take(browser: Browser) -> list[int]:
        token = browser.get(start).csrf()
        pressed = browser.request(start + "/commencer", data={"csrf_token": token})
        path = "/" + pressed.headers["Location"].split("://", 1)[-1].split("/", 1)[-1]
        statuses = [pressed.status]
        for action in ("save", "confirm"):
            token = browser.get(path).csrf()
            statuses.append(browser.request(path, data=_answers(right, token, action)).status)
        return statuses

    outcomes = together([(lambda b=b: take(b)) for b in browsers])
    assert outcomes == [[303, 303, 303]] * TABS, server.tracebacks()
    db.session.rollback()
    sent = db.session.execute(
        sa.select(Attempt.user_id, Attempt.state, Attempt.score).where(
            Attempt.instrument_id == quiz.id
        )
    ).all()
    assert sorted(user for user, _state, _score in sent) == sorted(p.id for p in people)
    assert {(state, score) for _user, state, score in sent} == {
        (AttemptState.NEEDS_GRADING, sent[0].score)
    }
    assert sent[0].score > 0
