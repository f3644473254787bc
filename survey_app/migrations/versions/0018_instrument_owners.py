"""instrument owners: which series (or account) may publish new versions of a key

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 08:10:00

Keys stored before this revision get no owner: the managers of the series whose
workshops use one of their versions may go on publishing new versions, and admins
may give a key to a series (``survey-app instruments transfer``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instrument_owner",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["series_id"], ["series.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("instrument_owner")
