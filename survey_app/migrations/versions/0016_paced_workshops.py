"""paced workshops: facilitator-paced mode and the question the room is on

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place on SQLite: a batch copy would drop the old ``workshop`` table, and with
    # it every response (ON DELETE CASCADE).
    with op.batch_alter_table("workshop", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("paced", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("pace_state", sa.String(10), nullable=False, server_default="waiting")
        )
        batch_op.add_column(sa.Column("pace_question", sa.String(64), nullable=True))
        batch_op.add_column(
            sa.Column("pace_step", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    for column in ("pace_step", "pace_question", "pace_state", "paced"):
        op.drop_column("workshop", column)  # in place (SQLite 3.35+)
