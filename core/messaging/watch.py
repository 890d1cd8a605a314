"""Which rows of a batch being sent were deleted since the sender claimed them.

A /forget deletes a person's rows and the rows about them; the sender already holds the rows
it claimed. A batch looks for its rows when it starts sending and then every half second in
one query while any of them still waits for its request (its turn, a file's upload, a place
among the requests at once, a 429 pause), and a row is looked up in what that found just
before its request (a query per row would cost a fifth of the paid rate): a row deleted more
than half a second, and the time of a query, before its request does not go. A batch whose
first look fails is given back, not sent.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")
EVERY = 0.5  # seconds between two looks while rows wait
# of these claimed rows' ids, those still in the outbox
Kept = Callable[[list[int]], Awaitable[set[int]]]


class Watch:
    """One batch's rows: which are still waiting for their request, which were found gone."""

    def __init__(self, kept: Kept, ids: Iterable[int]) -> None:
        self.kept = kept
        self.waiting = set(ids)  # not yet gone to their request
        self.gone: set[int] = set()
        self._looking: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """The first look now (an error is the caller's), then one every EVERY seconds."""
        await self.look()
        self._looking = asyncio.create_task(self.run())

    def stop(self) -> None:
        if self._looking is not None:
            self._looking.cancel()

    def outlasting(self, tasks: Sequence["asyncio.Task[T]"]) -> "asyncio.Future[list[T]]":
        """`tasks` gathered (cancelled, it cancels them); the looks stop when they end."""
        gathered = asyncio.gather(*tasks)
        gathered.add_done_callback(lambda _: self.stop())
        return gathered

    async def look(self) -> None:
        """Look for the waiting rows now (an error is the caller's)."""
        ids = list(self.waiting)
        kept = await self.kept(ids) if ids else set()
        gone = {row_id for row_id in ids if row_id not in kept}
        self.gone |= gone
        self.waiting -= gone

    async def run(self) -> None:
        """Look again every EVERY seconds while rows wait; a failed look is logged and tried
        again at the next one."""
        while self.waiting:
            await asyncio.sleep(EVERY)
            try:
                await self.look()
            except Exception as exc:  # once per half second while the database is away
                logger.warning(
                    "sender: could not look for deleted rows (%s); again shortly",
                    type(exc).__name__,
                )

    def going(self, row_id: int) -> bool:
        """The row goes to its request now, unless it was found deleted."""
        self.waiting.discard(row_id)
        return row_id not in self.gone
