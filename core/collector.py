"""Pausing Python's cyclic garbage collector around a burst of allocation.

Reading a municipality's facts builds hundreds of thousands of rows that all live until the
frames are made. Each pass of the cyclic collector walks every tracked object in the process,
so the passes that such a burst triggers cost as much as the reading itself (measured: about
40 % of loading the benchmark region's facts) and free nothing. Reference counting goes on
freeing everything else while the collector is paused.
"""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector paused inside the block; uses may overlap (coroutines, threads): it
    resumes when the last one ends, and only if it was running when the first began."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
