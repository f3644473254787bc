"""abuse limits: login back-off counters, set-aside responses, expected room size

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 10:30:00

``login_attempt`` (one row per failure, a hard 15-minute lock) gives way to
``login_throttle`` (one row per account or network: a back-off and a count). Its
rows only ever lived 15 minutes: nothing is carried over.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempt_scope_key_at")
        batch_op.drop_index(batch_op.f("ix_login_attempt_at"))
    op.drop_table("login_attempt")
    op.create_table(
        "login_throttle",
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("failures", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("next_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_login_throttle")),
    )
    op.create_index(op.f("ix_login_throttle_since"), "login_throttle", ["since"], unique=False)
    op.create_table(
        "set_aside",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("from_minute", sa.DateTime(), nullable=False),
        sa.Column("to_minute", sa.DateTime(), nullable=False),
        sa.Column("answers_hash", sa.String(length=64), nullable=True),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_set_aside_workshop_id_workshop"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_set_aside")),
    )
    op.create_index(op.f("ix_set_aside_workshop_id"), "set_aside", ["workshop_id"], unique=False)
    op.create_table(
        "set_aside_response",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("set_aside_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_set_aside_response_response_id_response"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["set_aside_id"],
            ["set_aside.id"],
            name=op.f("fk_set_aside_response_set_aside_id_set_aside"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_set_aside_response_workshop_id_workshop"),
            ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_set_aside_response")),
    )
    op.create_index(
        op.f("ix_set_aside_response_set_aside_id"), "set_aside_response", ["set_aside_id"]
    )
    op.create_index(
        "ix_set_aside_response_workshop_id_response_id",
        "set_aside_response",
        ["workshop_id", "response_id"],
    )
    op.add_column("workshop", sa.Column("expected_participants", sa.Integer(), nullable=True))
    op.create_index(
        "ix_response_workshop_id_submitted_at", "response", ["workshop_id", "submitted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_response_workshop_id_submitted_at", table_name="response")
    # Not through a table copy: rows of other tables refer to ``workshop`` (SQLite
    # 3.35+ drops a column in place).
    op.drop_column("workshop", "expected_participants")
    op.drop_table("set_aside_response")
    op.drop_table("set_aside")
    op.drop_index(op.f("ix_login_throttle_since"), table_name="login_throttle")
    op.drop_table("login_throttle")
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_index(op.f("ix_login_attempt_at"), "login_attempt", ["at"], unique=False)
    op.create_index("ix_login_attempt_scope_key_at", "login_attempt", ["scope", "key", "at"])
