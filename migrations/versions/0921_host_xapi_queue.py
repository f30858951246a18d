"""host: queue of xAPI statements

Revision ID: 0921_host_xapi_queue
Revises: 0920_host_api_tokens
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0921_host_xapi_queue"
down_revision = "0920_host_api_tokens"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "xapi_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_statements")),
        sa.UniqueConstraint("key", name=op.f("uq_xapi_statements_key")),
        sa.UniqueConstraint("statement_id", name=op.f("uq_xapi_statements_statement_id")),
    )
    op.create_index(
        op.f("ix_xapi_statements_next_attempt_at"), "xapi_statements", ["next_attempt_at"]
    )
    op.create_index(op.f("ix_xapi_statements_sent_at"), "xapi_statements", ["sent_at"])


def downgrade():
    op.drop_index(op.f("ix_xapi_statements_sent_at"), table_name="xapi_statements")
    op.drop_index(op.f("ix_xapi_statements_next_attempt_at"), table_name="xapi_statements")
    op.drop_table("xapi_statements")
