"""example plugin: checklist items

Revision ID: e0001_example
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "e0001_example"
down_revision = None
branch_labels = ("example",)
depends_on = "c0001_courses"


def upgrade():
    op.create_table(
        "example_checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_key", sa.String(length=80), nullable=False),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_example_checklist_items")),
    )
    op.create_index(
        op.f("ix_example_checklist_items_activity_key"),
        "example_checklist_items",
        ["activity_key"],
    )


def downgrade():
    op.drop_index(
        op.f("ix_example_checklist_items_activity_key"), table_name="example_checklist_items"
    )
    op.drop_table("example_checklist_items")
