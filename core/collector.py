"""Sparing Python's cyclic garbage collector a burst of objects that all stay alive.

Reading a municipality's facts builds hundreds of thousands of rows that all live until the
frames are made. Each full pass of the cyclic collector walks every tracked object in the
process, so the passes such a burst triggers cost as much as the reading itself (measured:
about 40 % of loading the benchmark region's facts) and free nothing. Inside
`collector_spared()`, `spare_what_lives()` moves every object alive at that moment out of the
collector's passes (`gc.freeze`) until the last block ends (`gc.unfreeze`). The collector
keeps running for everything made meanwhile, chats' garbage included; if a block is held up
(a database that does not answer), what it spared simply waits with it.

Not for a process that freezes objects for other reasons: the end of a block unfreezes all.

`for_serving()` is for the bot's process: its young generation is collected every YOUNG
allocations instead of Python's 700. The process holds about 400,000 objects from its imports;
at 700, many objects of the updates in hand (parsed JSON, Telegram types, ORM rows) outlive a
collection or two and are promoted, and every so many promoted ones start a full pass over
all 400,000 that frees little. At YOUNG, most of them are gone before the next collection.
Measured answering a questionnaire (bench/RESULTS.md): the collector's time fell from about
0.5 s to 0.02 s per 750 answers, a seventh of the bot's time.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 20_000  # allocations between two collections of the young generation, when serving
_lock = threading.Lock()
_holders = 0


@contextmanager
def collector_spared() -> Iterator[None]:
    """A block that builds many objects kept to its end; blocks may overlap (coroutines,
    threads): the spared objects return to the collector when the last one ends."""
    global _holders
    with _lock:
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                gc.unfreeze()


def spare_what_lives() -> None:
    """Inside `collector_spared()`: leave every object alive now out of the collector's
    passes until the block ends; outside one, nothing."""
    with _lock:
        if _holders:
            gc.freeze()


def for_serving() -> None:
    """Collect the young generation every YOUNG allocations (see the module docstring)."""
    gc.set_threshold(YOUNG, *gc.get_threshold()[1:])
