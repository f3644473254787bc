"""summary parts: cached per-workshop counts; covering answer index for SQLite

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


#: The answer index, widened so that every summary query reads the index alone.
WIDE = ["workshop_id", "question_key", "option_key", "item_key", "value_num", "response_id"]
NARROW = ["workshop_id", "question_key", "option_key"]


def upgrade() -> None:
    op.create_index("ix_answer_workshop_question_values", "answer", WIDE)
    op.drop_index("ix_answer_workshop_question", table_name="answer")
    op.create_table(
        "summary_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(length=140), nullable=False),
        sa.Column("wanted_key", sa.String(length=40), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name=op.f("fk_summary_part_workshop_id_workshop"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary_part")),
        sa.UniqueConstraint(
            "workshop_id", "group_key", "wanted_key", name=op.f("uq_summary_part_workshop_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("summary_part")
    op.create_index("ix_answer_workshop_question", "answer", NARROW)
    op.drop_index("ix_answer_workshop_question_values", table_name="answer")
