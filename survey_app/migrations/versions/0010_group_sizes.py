"""small-group thresholds: k per series, a lower k for a workshop's own room

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Never copy-and-move the tables on SQLite: dropping the old ``series`` table with
    # foreign keys on would set every workshop's series_id to NULL (ON DELETE SET NULL).
    # A constant default lets SQLite add the column in place.
    with op.batch_alter_table("series", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("min_group_size", sa.Integer(), server_default="5", nullable=False)
        )
    with op.batch_alter_table("workshop", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("room_min_group_size", sa.Integer(), nullable=True))
    # Existing series keep the k they were published with until now: the server's
    # MIN_GROUP_SIZE, which is also what a new series starts with.
    floor = int(current_app.config.get("MIN_GROUP_SIZE", 5))
    if floor != 5:
        op.execute(sa.text("UPDATE series SET min_group_size = :k").bindparams(k=floor))


def downgrade() -> None:
    # In place as well (SQLite 3.35+ drops columns itself): a batch copy would drop the
    # old tables, and with them every response's workshop (ON DELETE CASCADE).
    op.drop_column("workshop", "room_min_group_size")
    op.drop_column("series", "min_group_size")
