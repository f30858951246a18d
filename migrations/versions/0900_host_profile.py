"""users: first and last name, civility, organisation and job title (learner lists)

Revision ID: 0900_host_profile
Revises: 0001_host
Create Date: 2026-12-07 03:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0900_host_profile"
down_revision = "0001_host"
branch_labels = None
depends_on = None

COLUMNS = (
    ("first_name", 100),
    ("last_name", 100),
    ("civility", 30),
    ("organisation", 200),
    ("job_title", 200),
)


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        for name, _length in reversed(COLUMNS):
            batch_op.drop_column(name)
