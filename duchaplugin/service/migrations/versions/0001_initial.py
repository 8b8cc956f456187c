"""v1 of the service's schema: events, the outbox, subjects' states, the rest of the engine's
state (base snapshot + log), settings.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ducha_events",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("id", sa.String, nullable=False),
        sa.Column("subject", sa.String),
        sa.Column("pack", sa.String),
        sa.Column("type", sa.String),
        sa.Column("at", sa.String(40)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("decided_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_ducha_events_id", "ducha_events", ["id"])
    op.create_index("ix_ducha_events_subject", "ducha_events", ["subject"])
    op.create_table(
        "ducha_outbox",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("id", sa.String, nullable=False),
        sa.Column("subject", sa.String, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("event_seq", sa.BigInteger),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_ducha_outbox_id", "ducha_outbox", ["id"])
    op.create_index("ix_ducha_outbox_subject", "ducha_outbox", ["subject"])
    op.create_table(
        "ducha_subjects",
        sa.Column("subject", sa.String, primary_key=True),
        sa.Column("pack", sa.String, nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_ducha_subjects_pack", "ducha_subjects", ["pack"])
    op.create_table(
        "ducha_state_base",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("upto", sa.BigInteger, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "ducha_state_log",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "ducha_meta",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("ducha_meta", "ducha_state_log", "ducha_state_base", "ducha_subjects", "ducha_outbox", "ducha_events"):
        op.drop_table(table)
