"""delivery: the sender that claimed a row being sent

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 08:00:00

Several instances send from one PostgreSQL outbox. A starting sender takes back the rows left
"sending" only when the sender that claimed them is gone (core.messaging.presence), never rows
another live instance is sending right now.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:  # a nullable column: no table copy on SQLite either
    op.add_column("delivery", sa.Column("claimed_by", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("claimed_by")
