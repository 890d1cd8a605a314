"""mentoring_problem: when a methodist marked the report handled

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 02:00:00

A pair's report of a problem stays on the pair's screen until a methodist marks it handled;
after that the same side may report a new problem at once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:  # a nullable column: no table copy on SQLite either
    op.add_column(
        "mentoring_problem", sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("mentoring_problem") as batch:
        batch.drop_column("handled_at")
