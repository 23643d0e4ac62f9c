"""Keep Python's cycle collector off the records a build holds.

A build holds the records of the whole corpus (hundreds of thousands of
small objects) from extraction to the last file. Every few thousand
allocations the cycle collector runs, and its full collections walk every
object alive: at 1,000 articles that was nearly half of resolution's time
and a third of the writers', for objects that all live on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held_objects_frozen() -> Iterator[None]:
    """Spare the objects held on entering the block the collector's walks within it; the
    block's own objects are collected as usual. Held objects that become garbage meanwhile
    are collected later. Process-wide: what the caller froze is unfrozen at the end too.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """No cycle collection within the block: for a stage that makes many records and no
    cycles (resolution). What a cycle might hold waits for the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
