"""series time zone: the IANA zone in which a series' times are shown (default Europe/Berlin)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 14:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # In place on SQLite: a batch copy would drop the old ``series`` table, and with it
    # every workshop and response (ON DELETE CASCADE).
    with op.batch_alter_table("series", schema=None, recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("time_zone", sa.String(64), nullable=False, server_default="Europe/Berlin")
        )


def downgrade() -> None:
    op.drop_column("series", "time_zone")  # in place (SQLite 3.35+)
