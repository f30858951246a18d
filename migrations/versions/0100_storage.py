"""stored files (database backend of lms.storage)

Revision ID: 0100_storage
Revises: 0001_host
Create Date: 2026-12-07 03:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0100_storage"
down_revision = "0900_host_profile"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stored_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
        sa.UniqueConstraint("key", name=op.f("uq_stored_files_key")),
    )


def downgrade():
    op.drop_table("stored_files")
