"""Broadcasts: a launch's progress ("sent N of M"), shown to the person who launched it."""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.messaging.pacing import Pacer
from core.messaging.transport import Rejected, RetryAfter, Transport
from core.models import Broadcast, Delivery, DeliveryStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Watcher:
    """Who launched a broadcast and watches its progress in their chat."""

    person_id: int | None
    chat_id: int
    language: str


async def new_broadcast(session: AsyncSession, watcher: Watcher, total: int, now: datetime) -> int:
    """A progress record for a launch; the caller enqueues its rows with the returned id."""
    broadcast = Broadcast(
        person_id=watcher.person_id,
        chat_id=watcher.chat_id,
        language=watcher.language,
        total=total,
        created_at=now,
    )
    session.add(broadcast)
    await session.flush()
    return broadcast.id


@dataclass(frozen=True)
class Launch:
    """A broadcast just queued: its id (None when nobody was in the audience) and size."""

    broadcast_id: int | None
    total: int


async def set_progress_message(session: AsyncSession, broadcast_id: int, message_id: int) -> None:
    """Remember the message the sender edits with "sent N of M"."""
    await session.execute(
        update(Broadcast)
        .where(Broadcast.id == broadcast_id)
        .values(progress_message_id=message_id)
    )
    await session.commit()


@dataclass(frozen=True)
class Progress:
    broadcast_id: int
    chat_id: int
    message_id: int | None
    language: str
    total: int
    sent: int
    failed: int
    blocked: int
    waiting: int  # pending or being sent

    @property
    def done(self) -> bool:
        """Nothing is left to send (rows of people who asked to be forgotten are gone)."""
        return self.waiting == 0


async def progress(session: AsyncSession, broadcast_ids: Sequence[int]) -> list[Progress]:
    """Counts per status for each broadcast."""
    counts = await session.execute(
        select(Delivery.broadcast_id, Delivery.status, func.count())
        .where(Delivery.broadcast_id.in_(broadcast_ids))
        .group_by(Delivery.broadcast_id, Delivery.status)
    )
    by: dict[int, dict[str, int]] = {}
    for broadcast_id, status, count in counts:
        if broadcast_id is not None:
            by.setdefault(broadcast_id, {})[status] = count
    found = await session.scalars(select(Broadcast).where(Broadcast.id.in_(broadcast_ids)))
    return [
        Progress(
            b.id,
            b.chat_id,
            b.progress_message_id,
            b.language,
            b.total,
            by.get(b.id, {}).get(DeliveryStatus.SENT, 0),
            by.get(b.id, {}).get(DeliveryStatus.FAILED, 0),
            by.get(b.id, {}).get(DeliveryStatus.BLOCKED, 0),
            by.get(b.id, {}).get(DeliveryStatus.PENDING, 0)
            + by.get(b.id, {}).get(DeliveryStatus.SENDING, 0),
        )
        for b in found
    ]


async def finish_broadcast(session: AsyncSession, broadcast_id: int, now: datetime) -> None:
    await session.execute(
        update(Broadcast).where(Broadcast.id == broadcast_id).values(finished_at=now)
    )
    await session.commit()


async def unfinished(session: AsyncSession) -> list[int]:
    """Broadcasts with a progress message whose final count was not shown yet."""
    found = await session.scalars(
        select(Broadcast.id).where(
            Broadcast.finished_at.is_(None), Broadcast.progress_message_id.is_not(None)
        )
    )
    return list(found)


class Reporter:
    """Edits each broadcast's "sent N of M" in place, at most every `every` seconds.

    A finished broadcast whose final count could not be shown stays pending here and is tried
    again on the next `report`; no error of an edit reaches the caller.
    """

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        transport: Transport,
        pacer: Pacer,
        every: float,
        now: Callable[[], datetime],
    ) -> None:
        self.sessionmaker = sessionmaker
        self.transport = transport
        self.pacer = pacer
        self.every = every
        self.now = now
        self.pending: set[int] = set()  # broadcasts whose final count is not shown yet
        self._unshown: set[int] = set()  # ... of which the last edit failed
        self._shown_at: dict[int, float] = {}

    async def report(self, broadcast_ids: Iterable[int] | None = None) -> None:
        """Show progress of these broadcasts and of any still pending; with no ids, of every
        broadcast not finished yet (one may end without a row sent: its people were gone)."""
        async with self.sessionmaker() as session:
            if broadcast_ids is None:
                self.pending |= set(await unfinished(session))
            self.pending |= set(broadcast_ids or ())
            if not self.pending:
                return
            found = await progress(session, sorted(self.pending))
        self.pending &= {item.broadcast_id for item in found if item.message_id is not None}
        for item in found:
            if item.broadcast_id in self.pending and self._due(item):
                await self._show(item)

    def _due(self, item: Progress) -> bool:
        last = self._shown_at.get(item.broadcast_id)
        recent = last is not None and self.pacer.clock() - last < self.every
        return not recent or (item.done and item.broadcast_id not in self._unshown)

    async def _show(self, item: Progress) -> None:
        self._shown_at[item.broadcast_id] = self.pacer.clock()
        if not await self._edit(item):
            self._unshown.add(item.broadcast_id)
            return
        self._unshown.discard(item.broadcast_id)
        if item.done:
            async with self.sessionmaker() as session:
                await finish_broadcast(session, item.broadcast_id, self.now())
            self.pending.discard(item.broadcast_id)
            self._shown_at.pop(item.broadcast_id, None)

    async def _edit(self, item: Progress) -> bool:
        """One edit; False when it could not be shown this time."""
        try:
            await self.pacer.wait_turn(item.chat_id)
            await self.transport.show_progress(item)
        except RetryAfter as exc:
            self.pacer.pause(exc.seconds)
            logger.info("progress of broadcast %s waits: 429", item.broadcast_id)
            return False
        except Rejected as exc:  # the message is gone or cannot be edited: stop trying
            logger.info("progress of broadcast %s not shown: %s", item.broadcast_id, exc)
            return True
        except Exception as exc:  # unreachable, transient, or anything else: try later
            name = type(exc).__name__
            logger.info("progress of broadcast %s not shown: %s", item.broadcast_id, name)
            return False
        return True
