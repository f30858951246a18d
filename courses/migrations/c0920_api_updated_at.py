"""courses: updated_at on sessions and enrolments (incremental sync through the API)

Revision ID: c0920_api_updated_at
Revises: c0001_courses
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "c0920_api_updated_at"
down_revision = "c0920_support"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("course_runs", "enrolments"):
        op.add_column(table, sa.Column("updated_at", sa.DateTime(), nullable=True))
        op.create_index(op.f(f"ix_{table}_updated_at"), table, ["updated_at"])
    op.execute("UPDATE course_runs SET updated_at = created_at")
    op.execute(
        "UPDATE enrolments SET updated_at = COALESCE(last_seen_at, completed_at, "
        "access_starts_at, invited_at)"
    )


def downgrade():
    for table in ("course_runs", "enrolments"):
        op.drop_index(op.f(f"ix_{table}_updated_at"), table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("updated_at")
