"""`flask db upgrade` from an empty database, through the real command, on SQLite and PostgreSQL."""

import os
import subprocess
import sys

import sqlalchemy as sa


def _empty_database(database_url: str, tmp_path) -> str:
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql('DROP DATABASE IF EXISTS "parcours_empty"')
        conn.exec_driver_sql('CREATE DATABASE "parcours_empty"')
    admin.dispose()
    return database_url.rsplit("/", 1)[0] + "/parcours_empty"


def test_flask_db_upgrade_from_empty(database_url, tmp_path):
    url = _empty_database(database_url, tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LMS_INSTANCE_PATH": str(tmp_path / "instance"),
        "LMS_PLUGINS": "courses,quizzes",
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi.py", "db", "upgrade"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        tables = set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {"users", "outbox_messages", "courses", "enrolments", "instruments", "answers"} <= tables
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    assert again.returncode == 0  # already up to date: nothing to do, no error
