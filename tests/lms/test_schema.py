"""The schema comes only from migrations, and the migrations match the models."""

import warnings

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lms.db import db, is_sqlite


def _expression_indexes() -> dict[str, sa.Index]:
    """Indexes of the models on an expression (not only columns)."""
    return {
        index.name: index
        for table in db.metadata.tables.values()
        for index in table.indexes
        if any(not isinstance(e, sa.Column) for e in index.expressions)
    }


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn, warnings.catch_warnings():
        if is_sqlite():  # SQLite cannot reflect indexes on expressions: compared below
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expr")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_indexes_on_expressions_are_those_of_the_models(app):
    """PostgreSQL compares them above; on SQLite each one is read from the schema."""
    expected = _expression_indexes()
    assert expected, "the models have indexes on expressions (ix_enrolments_run_listed)"
    if not is_sqlite():
        return
    with db.engine.connect() as conn:
        for name, index in expected.items():
            sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
            ).scalar()
            assert sql is not None, f"index {name} missing"
            model = str(sa.schema.CreateIndex(index).compile(dialect=db.engine.dialect))
            squash = lambda text: "".join(text.lower().split())  # noqa: E731
            assert squash(sql).removeprefix("create") == squash(model).removeprefix("create")


def test_every_branch_is_at_its_head(app):
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    with db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
    applied = {rev.revision for rev in script.iterate_revisions(current, "base")}
    assert applied == {rev.revision for rev in script.walk_revisions()}
    labels = {label for rev in script.walk_revisions() for label in rev.branch_labels}
    assert {"lms", "courses"} <= labels
