"""Stored item analyses; indexes of the lookup paths of the main pages

Revision ID: q0905_indexes
Revises: q0900_evidence
Create Date: 2026-12-07 06:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "q0905_indexes"
down_revision = "q0900_evidence"
branch_labels = None
depends_on = None

INDEXED = [
    ("answers", "graded_by_id"),
    ("attempts", "entered_by_id"),
    ("followup_invitations", "attempt_id"),
]


def upgrade():
    op.create_table(
        "stored_analyses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=200), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instruments.id"],
            name=op.f("fk_stored_analyses_instrument_id_instruments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["course_runs.id"],
            name=op.f("fk_stored_analyses_run_id_course_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_analyses")),
        sa.UniqueConstraint("run_id", "instrument_id", name=op.f("uq_stored_analyses_run_id")),
    )
    with op.batch_alter_table("stored_analyses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stored_analyses_instrument_id"), ["instrument_id"], unique=False
        )
    # Foreign keys to big tables without an index: deleting an attempt or erasing a person
    # made the database read every invitation, answer or attempt (ON DELETE SET NULL).
    for table, column in INDEXED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def downgrade():
    for table, column in reversed(INDEXED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
    with op.batch_alter_table("stored_analyses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_analyses_instrument_id"))
    op.drop_table("stored_analyses")
