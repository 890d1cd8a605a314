"""core.messaging.watch: deleted rows found in one query per look, and a failed look logged
and tried again, not the end of the watch."""

import asyncio
import logging

import pytest

from core.messaging import watch
from core.messaging.watch import Watch


async def test_a_failed_look_is_logged_and_the_next_one_finds_the_deleted_rows(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(watch, "EVERY", 0.01)
    outbox = {1, 2, 3}
    looks: list[list[int]] = []

    async def kept(ids: list[int]) -> set[int]:
        looks.append(sorted(ids))
        if len(looks) == 2:
            raise ConnectionError("the database went away")
        return outbox & set(ids)

    rows = Watch(kept, [1, 2, 3])
    await rows.look()
    running = asyncio.create_task(rows.run())
    outbox.discard(2)  # forgotten while the batch waits
    while len(looks) < 3:
        await asyncio.sleep(0.005)
    assert rows.going(1) and not rows.going(2)
    assert "could not look for deleted rows" in caplog.text
    assert caplog.records[0].levelno == logging.WARNING
    rows.going(3)  # every row gone to its request: the watch ends by itself
    await asyncio.wait_for(running, 1)
    assert looks[0] == [1, 2, 3]
