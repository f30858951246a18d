"""Enrolments: when the learner started (first progress), and an index for the run's totals

Revision ID: c0960_enrolment_started
Revises: c0950_projects
Create Date: 2026-12-07 10:45:00

The staff pages of a run show its totals (learners per status, how many started). « Started »
was an EXISTS over the progress table for every enrolment of the run: ~7 ms with 5,000
learners on SQLite, growing with the run. The date of the first progress row is now kept on
the enrolment (filled here from the progress rows, then set by the first progress row of each
enrolment), and the index on ``(run_id, status, started_at, id)`` answers the totals and the
« not started » filter alone.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c0960_enrolment_started"
down_revision = "c0950_projects"
branch_labels = None
depends_on = None

COLUMNS = ["run_id", "status", "started_at", "id"]


def upgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_at", sa.DateTime(), nullable=True))
    op.execute(
        "UPDATE enrolments SET started_at = "
        "(SELECT min(progress.started_at) FROM progress WHERE progress.enrolment_id = enrolments.id)"
    )
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index("ix_enrolments_run_status_started", COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index("ix_enrolments_run_status_started")
        batch_op.drop_column("started_at")
