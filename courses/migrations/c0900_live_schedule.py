"""live sessions scheduled per run, attendance

Revision ID: c0900_live_schedule
Revises: c0001_courses
Create Date: 2026-12-07 02:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "c0900_live_schedule"
down_revision = "c0001_courses"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "live_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("join_url", sa.String(length=1000), nullable=True),
        sa.Column("replay_url", sa.String(length=1000), nullable=True),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_live_schedules_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["course_runs.id"],
            name=op.f("fk_live_schedules_run_id_course_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_schedules")),
        sa.UniqueConstraint("run_id", "activity_id", name=op.f("uq_live_schedules_run_id")),
    )
    op.create_index(
        op.f("ix_live_schedules_activity_id"), "live_schedules", ["activity_id"], unique=False
    )
    op.create_table(
        "live_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_live_attendance_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["enrolment_id"],
            ["enrolments.id"],
            name=op.f("fk_live_attendance_enrolment_id_enrolments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_live_attendance_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_attendance")),
        sa.UniqueConstraint(
            "enrolment_id", "activity_id", name=op.f("uq_live_attendance_enrolment_id")
        ),
    )
    op.create_index("ix_live_attendance_activity", "live_attendance", ["activity_id"], unique=False)


def downgrade():
    op.drop_index("ix_live_attendance_activity", table_name="live_attendance")
    op.drop_table("live_attendance")
    op.drop_index(op.f("ix_live_schedules_activity_id"), table_name="live_schedules")
    op.drop_table("live_schedules")
