"""CPU-heavy work (charts, workbooks, the indicators, their protection) off the event loop,
on a worker thread of its own, one job at a time.

Such work once ran in the loop's default threads (`asyncio.to_thread`). Python code runs on
one core at a time whatever the number of threads: each more chart drawn at once took a
share of that core from the event loop, which answers everybody, and made no chart sooner.
And the default threads are also where the loop looks up a host's address for a new
connection (to Telegram, to the database): with them all drawing, the bot could not open one.
So heavy jobs queue for one thread here, and the default threads stay free.
"""

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pedpulse-heavy")


async def heavy(work: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """`work(*args, **kwargs)` on the heavy worker once the jobs before it are done."""
    call = functools.partial(contextvars.copy_context().run, work, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_WORKER, call)
