"""Evidence: comments quoted in session reports, open-data releases

Revision ID: q0900_evidence
Revises: q0100_campaigns
Create Date: 2026-12-07 03:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "q0900_evidence"
down_revision = "q0100_campaigns"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("selected_by_id", sa.Integer(), nullable=True),
        sa.Column("selected_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answers.id"],
            name=op.f("fk_report_comments_answer_id_answers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["course_runs.id"],
            name=op.f("fk_report_comments_run_id_course_runs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["selected_by_id"],
            ["users.id"],
            name=op.f("fk_report_comments_selected_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_comments")),
        sa.UniqueConstraint("answer_id", name=op.f("uq_report_comments_answer_id")),
    )
    with op.batch_alter_table("report_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_report_comments_run_id"), ["run_id"], unique=False)
    op.create_table(
        "open_data_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("licence", sa.String(length=40), nullable=False),
        sa.Column("archive", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_open_data_releases_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_open_data_releases_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open_data_releases")),
    )
    with op.batch_alter_table("open_data_releases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_open_data_releases_course_id"), ["course_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("open_data_releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_open_data_releases_course_id"))
    op.drop_table("open_data_releases")
    with op.batch_alter_table("report_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_comments_run_id"))
    op.drop_table("report_comments")
