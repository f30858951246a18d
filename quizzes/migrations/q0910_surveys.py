"""Survey campaigns to outside respondents: campaigns, recipients, opt-outs

Revision ID: q0910_surveys
Revises: q0905_indexes
Create Date: 2026-12-07 06:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "q0910_surveys"
down_revision = "q0905_indexes"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, ondelete: str):
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade():
    op.create_table(
        "survey_campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("max_responses", sa.Integer(), nullable=True),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("public_nonce", sa.String(length=64), nullable=True),
        sa.Column("public_hash", sa.String(length=64), nullable=True),
        sa.Column("first_reminder_days", sa.Integer(), nullable=False),
        sa.Column("reminder_interval_days", sa.Integer(), nullable=False),
        sa.Column("max_reminders", sa.Integer(), nullable=False),
        sa.Column("expiry_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _fk("survey_campaigns", "instrument_id", "instruments", "RESTRICT"),
        _fk("survey_campaigns", "owner_id", "users", "RESTRICT"),
        _fk("survey_campaigns", "created_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_campaigns")),
        sa.UniqueConstraint("public_hash", name=op.f("uq_survey_campaigns_public_hash")),
    )
    with op.batch_alter_table("survey_campaigns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_campaigns_instrument_id"), ["instrument_id"], unique=False
        )
    op.create_table(
        "survey_respondents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("last_reminded_at", sa.DateTime(), nullable=True),
        sa.Column("next_reminder_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("expired_at", sa.DateTime(), nullable=True),
        sa.Column("failed_at", sa.DateTime(), nullable=True),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        _fk("survey_respondents", "campaign_id", "survey_campaigns", "CASCADE"),
        _fk("survey_respondents", "attempt_id", "attempts", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_respondents")),
        sa.UniqueConstraint("campaign_id", "email", name=op.f("uq_survey_respondents_campaign_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_survey_respondents_token_hash")),
    )
    with op.batch_alter_table("survey_respondents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_respondents_state_reminder", ["state", "next_reminder_at"], unique=False
        )
        batch_op.create_index(
            "ix_survey_respondents_state_expires", ["state", "expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_survey_respondents_email"), ["email"], unique=False)
    op.create_table(
        "survey_optouts",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_survey_optouts")),
    )


def downgrade():
    op.drop_table("survey_optouts")
    with op.batch_alter_table("survey_respondents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_respondents_email"))
        batch_op.drop_index("ix_survey_respondents_state_expires")
        batch_op.drop_index("ix_survey_respondents_state_reminder")
    op.drop_table("survey_respondents")
    with op.batch_alter_table("survey_campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_campaigns_instrument_id"))
    op.drop_table("survey_campaigns")
