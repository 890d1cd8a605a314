"""Heavy work queues for its own thread: the loop's default threads stay free (core.offload)."""

import ast
import asyncio
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.offload import heavy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def one_default_thread() -> AsyncIterator[None]:
    """The loop's default executor with a single thread, as a small host's would be full."""
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=1)
    loop.set_default_executor(pool)
    yield
    loop.set_default_executor(ThreadPoolExecutor())
    pool.shutdown()


async def test_a_host_is_looked_up_while_heavy_work_runs(one_default_thread: None) -> None:
    loop = asyncio.get_running_loop()
    started, release = threading.Event(), threading.Event()

    def draw() -> bool:
        started.set()
        return release.wait(30)

    drawing = asyncio.ensure_future(heavy(draw))
    try:
        async with asyncio.timeout(5):
            while not started.is_set():  # the drawing holds its thread
                await asyncio.sleep(0.01)
            found = await loop.getaddrinfo("127.0.0.1", 443)
        assert found and not drawing.done()
    finally:
        release.set()
        assert await drawing is True


async def test_heavy_jobs_run_one_at_a_time_in_order() -> None:
    lock, running, most, order = threading.Lock(), [0], [0], []

    def job(number: int) -> int:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
            order.append(number)
        return number * 10

    results = await asyncio.gather(*(heavy(job, n) for n in range(4)))
    assert results == [0, 10, 20, 30] and order == [0, 1, 2, 3] and most == [1]


async def test_an_error_in_heavy_work_reaches_its_caller() -> None:
    with pytest.raises(ZeroDivisionError):
        await heavy(divmod, 1, 0)


def test_no_module_sends_work_to_the_default_threads() -> None:
    offenders = []
    for folder in ("bot", "core", "surveys"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Attribute) or path.name == "offload.py":
                    continue
                if node.attr in ("to_thread", "run_in_executor"):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.attr}")
    assert offenders == []
