"""published_cell: the numbers a shown cell showed

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 18:00:00

A cell counted up to another day than when it was shown differs from it by the answers in
between; disclosure control compares the two (core.monitoring.versions), so it keeps what
each shown cell showed, and shows the same numbers when it counts that day again. Hidden
cells and cells published before this revision have none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("numerator", "denominator", "n", "value")


def upgrade() -> None:  # nullable columns: no table copy on SQLite either
    for name in COLUMNS[:3]:
        op.add_column("published_cell", sa.Column(name, sa.Integer(), nullable=True))
    op.add_column("published_cell", sa.Column("value", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("published_cell") as batch:
        for name in COLUMNS:
            batch.drop_column(name)
