"""The bytes of files already delivered are let go, so weekly charts and workbooks and seminar
.ics files do not pile up in the database.

An attachment's bytes are needed only to upload it: the first delivery that sends it learns
Telegram's file id and every later one reuses that. Once every delivery referring to it has
finished (sent, failed or blocked: none pending or being sent) and none was due or tried for
KEEP, its `data` is set to NULL; the row stays with its file id, kind and name, so the
deliveries and announcements referring to it keep their reference, and a row sent again
later goes by the file id. A file nothing was delivered with yet (an announcement's draft, a
file whose deliveries /forget removed) is left alone. Work goes in batches; the log has
counts only. The file of a draft whose author is forgotten goes with the draft (`drop_unused`).
"""

import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Announcement, Attachment, Delivery, DeliveryStatus

logger = logging.getLogger(__name__)
KEEP = timedelta(days=7)  # after the last delivery's last attempt: room for a late retry
BATCH = 200  # attachments per transaction
BATCHES = 10  # per run: a backlog goes over the next runs, a run stays short
UNFINISHED = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


def _done_with(cutoff: datetime) -> tuple[Any, ...]:
    """Conditions of an attachment whose bytes are no longer needed at `cutoff`.

    A delivery's `next_attempt_at` is its last claim plus the lease, or its next retry: a
    finished delivery with it before the cutoff was last tried before then.
    """
    refers = Delivery.attachment_id == Attachment.id
    busy = or_(Delivery.status.in_(UNFINISHED), Delivery.next_attempt_at > cutoff)
    draft = (Announcement.attachment_id == Attachment.id) & Announcement.sent_at.is_(None)
    return (
        Attachment.data.is_not(None),
        exists(select(Delivery.id).where(refers)),
        ~exists(select(Delivery.id).where(refers, busy)),
        ~exists(select(Announcement.id).where(draft)),
    )


async def _batch(session: AsyncSession, cutoff: datetime) -> tuple[int, int]:
    """Let go of one batch; returns (attachments found, attachments released)."""
    ids = list(
        await session.scalars(
            select(Attachment.id).where(*_done_with(cutoff)).order_by(Attachment.id).limit(BATCH)
        )
    )
    if not ids:
        return 0, 0
    # checked again as it writes: a delivery due again since the reading keeps its file
    result = await session.execute(
        update(Attachment)
        .where(Attachment.id.in_(ids), *_done_with(cutoff))
        .values(data=None)
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return len(ids), int(result.rowcount)  # type: ignore[attr-defined]  # CursorResult


async def release_delivered(session: AsyncSession, now: datetime) -> int:
    """Set to NULL the bytes of attachments whose deliveries all finished before KEEP ago;
    returns how many were released (a batch fails whole and is tried on the next run)."""
    cutoff = now - KEEP
    released = 0
    for _ in range(BATCHES):
        found, done = await _batch(session, cutoff)
        released += done
        if found < BATCH:
            break
    if released:
        logger.info("attachments: released the bytes of %d delivered files", released)
    return released


async def drop_unused(session: AsyncSession, ids: Collection[int]) -> None:
    """Delete the attachments of `ids` that no delivery or announcement refers to any more
    (the file of a deleted draft: its name and bytes). Never commits."""
    if not ids:
        return
    await session.execute(
        delete(Attachment)
        .where(
            Attachment.id.in_(sorted(ids)),
            ~exists(select(Delivery.id).where(Delivery.attachment_id == Attachment.id)),
            ~exists(select(Announcement.id).where(Announcement.attachment_id == Attachment.id)),
        )
        .execution_options(synchronize_session=False)
    )
