"""quote translations: a facilitator's translation of an approved quote

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("text_review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translation", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column(
                "translation_language", sa.String(length=20), nullable=False, server_default=""
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("text_review", schema=None) as batch_op:
        batch_op.drop_column("translation_language")
        batch_op.drop_column("translation")
