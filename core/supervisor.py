"""Background loops that never die silently: logged and restarted whenever they stop."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)


async def supervise(
    name: str,
    loop: Callable[[], Awaitable[None]],
    pause: float = 1.0,
    cap: float = 60.0,
    healthy_after: float = 60.0,
) -> None:
    """Run `loop` until cancelled, restarting it (after a growing pause) when it returns or
    raises; a loop that ran `healthy_after` seconds starts again from the shortest pause."""
    failures = 0
    while True:
        started = time.monotonic()
        try:
            await loop()
            logger.error("%s stopped by itself; restarting it", name)
        except Exception:
            logger.exception("%s crashed; restarting it", name)
        if time.monotonic() - started >= healthy_after:
            failures = 0
        failures += 1
        await asyncio.sleep(min(cap, pause * 2 ** (failures - 1)))
