"""lms.db.begin_write: a write transaction, and nothing done again inside one that has
written nothing yet (the objects loaded in it stay loaded)."""

import sqlalchemy as sa

from courses.models import Course
from lms.db import begin_write, db, is_sqlite
from lms.models import User


def _loaded(user: User) -> bool:
    return "name" in sa.inspect(user).dict


def test_a_second_begin_write_before_any_write_keeps_what_was_loaded(app, make_user):
    user_id = make_user("learner", name="Agnès").id
    db.session.commit()
    begin_write()
    user = db.session.get(User, user_id)
    assert _loaded(user)
    begin_write()  # as a POST's view does after the request's own begin_write
    # SQLite: the same BEGIN IMMEDIATE transaction goes on. PostgreSQL: a commit, as before.
    assert _loaded(user) is is_sqlite()
    assert user.name == "Agnès"
    db.session.rollback()


def test_begin_write_after_a_write_commits_it(app, make_user):
    user_id = make_user("learner", name="Agnès").id
    db.session.commit()
    begin_write()
    db.session.execute(sa.update(User).where(User.id == user_id).values(name="Agnès B."))
    begin_write()  # a row changed: committed, then a new write transaction
    db.session.rollback()
    with db.engine.connect() as other:
        name = other.scalar(sa.select(User.name).where(User.id == user_id))
    assert name == "Agnès B."


def test_pending_orm_changes_are_committed_too(app, make_user):
    user = make_user("learner", name="Agnès")
    db.session.commit()
    begin_write()
    user.name = "Agnès C."
    begin_write()
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Agnès C."


def test_objects_of_kept_classes_stay_as_loaded_the_others_are_read_again(app, make_user):
    """``begin_write(keep=…)``: what the write depends on is read again inside the write
    transaction; objects of the kept classes (content read before the lock) are not."""
    kept_id = make_user("learner", name="Agnès").id
    course = Course(key="k-begin", code="K1", title="Avant")
    db.session.add(course)
    db.session.commit()
    kept, course = db.session.get(User, kept_id), db.session.get(Course, course.id)
    assert _loaded(kept) and course.title == "Avant"
    with db.engine.begin() as other:  # another request changes both
        other.execute(sa.update(User).where(User.id == kept_id).values(name="Agnès D."))
        other.execute(sa.update(Course).where(Course.id == course.id).values(title="Après"))
    begin_write(keep=(User,))
    assert _loaded(kept) and kept.name == "Agnès"  # kept: not read again
    assert "title" not in sa.inspect(course).dict  # expired…
    assert course.title == "Après"  # …and read again inside the transaction
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(User, kept_id).name == "Agnès D."
