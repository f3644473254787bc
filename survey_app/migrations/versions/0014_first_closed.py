"""first closed: when a workshop was first closed (first published), kept through reopening

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place on SQLite: a batch copy would drop the old ``workshop`` table, and with
    # it every response (ON DELETE CASCADE).
    with op.batch_alter_table("workshop", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("first_closed_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE workshop SET first_closed_at = closed_at WHERE closed_at IS NOT NULL")


def downgrade() -> None:
    op.drop_column("workshop", "first_closed_at")  # in place (SQLite 3.35+)
