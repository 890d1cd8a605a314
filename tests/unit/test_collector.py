"""Pausing the cyclic garbage collector around a burst of allocation."""

import asyncio
import gc
from collections.abc import Iterator

import pytest

from core.collector import collector_paused


@pytest.fixture(autouse=True)
def collector_running() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_paused_inside_and_resumes_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_resumes_it() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_overlapping_uses_resume_it_when_the_last_ends() -> None:
    async def hold(started: asyncio.Event, release: asyncio.Event) -> None:
        with collector_paused():
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
        assert not gc.isenabled()  # the second still holds it
        release_second.set()
        await second
        assert gc.isenabled()

    asyncio.run(overlap())


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
