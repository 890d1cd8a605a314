"""delivery: an index on attachment_id

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 10:00:00

The scheduled release of delivered files' bytes (core.messaging.attachments) asks, for each
file still holding bytes, whether any delivery of it is unfinished: an index lookup instead of
a scan of the whole outbox. Deleting an attachment (ON DELETE SET NULL) uses it too.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:  # CREATE INDEX needs no table copy on SQLite either
    op.create_index(op.f("ix_delivery_attachment_id"), "delivery", ["attachment_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_delivery_attachment_id"), table_name="delivery")
