"""Sparing the cyclic garbage collector a burst of objects that all stay alive."""

import asyncio
import gc
from collections.abc import Iterator

import pytest

from core.collector import collector_spared, spare_what_lives


@pytest.fixture(autouse=True)
def nothing_frozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_lives_is_spared_until_the_block_ends_and_the_collector_runs_on() -> None:
    with collector_spared():
        kept = [[i] for i in range(1000)]
        spare_what_lives()
        assert gc.get_freeze_count() > len(kept)
        assert gc.isenabled()
        assert gc.collect() >= 0  # a pass still runs, over what was made since
    assert gc.get_freeze_count() == 0


def test_outside_a_block_nothing_is_spared() -> None:
    spare_what_lives()
    assert gc.get_freeze_count() == 0


def test_an_error_inside_still_returns_the_spared_objects() -> None:
    with pytest.raises(ValueError), collector_spared():
        spare_what_lives()
        raise ValueError("boom")
    assert gc.get_freeze_count() == 0


def test_overlapping_blocks_return_them_when_the_last_ends() -> None:
    async def hold(started: asyncio.Event, release: asyncio.Event) -> None:
        with collector_spared():
            spare_what_lives()
            started.set()
            await release.wait()

    async def overlap() -> None:
        first_in, second_in, release_first, release_second = (asyncio.Event() for _ in range(4))
        first = asyncio.create_task(hold(first_in, release_first))
        await first_in.wait()
        second = asyncio.create_task(hold(second_in, release_second))
        await second_in.wait()
        release_first.set()
        await first
        assert gc.get_freeze_count() > 0  # the second still holds them
        release_second.set()
        await second
        assert gc.get_freeze_count() == 0

    asyncio.run(overlap())
