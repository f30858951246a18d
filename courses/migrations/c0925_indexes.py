"""courses: index of enrolments.last_activity_id (deleting an activity read every enrolment)

Revision ID: c0925_indexes
Revises: c0920_api_updated_at
Create Date: 2026-12-07 06:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c0925_indexes"
down_revision = "c0920_api_updated_at"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enrolments_last_activity_id"), ["last_activity_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolments_last_activity_id"))
