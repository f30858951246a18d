"""example plugin: items ticked by learners

Revision ID: e0002_example_ticks
Revises: e0001_example
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "e0002_example_ticks"
down_revision = "e0001_example"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "example_checklist_ticks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ticked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_example_checklist_ticks_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolments.id"],
            name=op.f("fk_example_checklist_ticks_enrolment_id_enrolments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_example_checklist_ticks")),
        sa.UniqueConstraint(
            "enrolment_id",
            "activity_id",
            "position",
            name=op.f("uq_example_checklist_ticks_enrolment_id"),
        ),
    )
    op.create_index(
        op.f("ix_example_checklist_ticks_enrolment_id"),
        "example_checklist_ticks",
        ["enrolment_id"],
    )


def downgrade():
    op.drop_index(
        op.f("ix_example_checklist_ticks_enrolment_id"), table_name="example_checklist_ticks"
    )
    op.drop_table("example_checklist_ticks")
