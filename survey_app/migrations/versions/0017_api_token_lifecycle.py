"""api token lifecycle: name, scope, expiry, last-used day, revocation

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 07:30:00

Tokens made before this revision keep working: they get the scope ``read`` and
expire 90 days after the upgrade; a token without a label is named "token".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

#: How long tokens made before this revision keep working after it.
EXISTING_TOKENS_DAYS = 90


def upgrade() -> None:
    # On SQLite the table is copied (nothing refers to ``api_token``, so nothing cascades).
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.alter_column(
            "label",
            new_column_name="name",
            existing_type=sa.String(length=200),
            existing_nullable=False,
        )
        batch_op.add_column(
            sa.Column(
                "scope",
                sa.Enum("read", name="token_scope", native_enum=False, length=16),
                nullable=False,
                server_default="read",
            )
        )
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_used_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
        batch_op.drop_column("last_used_at")  # never written before this revision
    expires = datetime.now(UTC).replace(microsecond=0, tzinfo=None) + timedelta(
        days=EXISTING_TOKENS_DAYS
    )
    op.get_bind().execute(
        sa.text(
            "UPDATE api_token SET expires_at = :expires,"
            " name = CASE WHEN name = '' THEN 'token' ELSE name END"
        ),
        {"expires": expires},
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.alter_column("expires_at", existing_type=sa.DateTime(), nullable=False)


def downgrade() -> None:
    # Before this revision every stored token worked: drop those that must stay dead.
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    op.get_bind().execute(
        sa.text("DELETE FROM api_token WHERE revoked_at IS NOT NULL OR expires_at <= :now"),
        {"now": now},
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_used_at", sa.DateTime(), nullable=True))
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("last_used_on")
        batch_op.drop_column("expires_at")
        batch_op.drop_column("scope")
        batch_op.alter_column(
            "name",
            new_column_name="label",
            existing_type=sa.String(length=200),
            existing_nullable=False,
        )
