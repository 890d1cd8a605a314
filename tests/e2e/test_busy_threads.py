"""The bot answers while the worker threads are busy: exports, charts and the weekly
summaries run there (seconds each), so an update that needed one of those threads to be
routed would wait for them, and with a few methodists exporting at once everybody would."""

import asyncio
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.conftest import Harness
from tests.e2e.test_onboarding import TEACHER, register_teacher

pytestmark = pytest.mark.e2e
CBI = "Профессиональное самочувствие (риск выгорания, CBI)"
PATIENCE = 10  # seconds: far longer than any update takes, far shorter than the export


@pytest.fixture
async def busy() -> AsyncIterator[None]:
    """Every worker thread of the event loop taken by a long job until the test ends."""
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=1)
    loop.set_default_executor(pool)
    done = threading.Event()
    job = loop.run_in_executor(None, done.wait)
    try:
        yield
    finally:
        done.set()
        await job
        loop.set_default_executor(ThreadPoolExecutor())
        pool.shutdown()


async def test_a_teacher_is_answered_while_every_worker_thread_is_busy(
    harness: Harness, busy: None
) -> None:
    h = harness
    async with asyncio.timeout(PATIENCE):
        await register_teacher(h)
        await h.send(TEACHER, "/surveys")
        await h.press(TEACHER, CBI)
        assert "1 / 19" in h.last_text(TEACHER)
        await h.press(TEACHER, "Часто")
        assert "2 / 19" in h.last_text(TEACHER)
        messages = len(h.server.chat(TEACHER))
        await h.send(TEACHER, "что-то непонятное")  # every message filter is tried
        assert len(h.server.chat(TEACHER)) == messages + 1
