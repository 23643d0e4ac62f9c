"""Keep Python's cycle collector off the records a build holds, and give back what it freed.

A build holds the records of the whole corpus (hundreds of thousands of
small objects) from extraction to the last file. Every few thousand
allocations the cycle collector runs, and its full collections walk every
object alive: at 1,000 articles that was nearly half of resolution's time
and a third of the writers', for objects that all live on.

Between stages the C library keeps much of what a stage freed: glibc
returns little of its heap to the system by itself, and what threads freed
(the store's bulk loads run on one) stays in their own arenas, which the
main thread's next stage does not reuse: at 10,000 articles the store
stage left 190 MB so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable, Iterator
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


# Allocations between two collections of the young generation while a build runs. It makes
# millions of objects that live on: at Python's default (700) an edit rebuild ran 770
# collections, each promoting survivors towards walks of the older ones.
BUILD_YOUNG_OBJECTS = 20_000


@contextmanager
def fewer_collections(young: int = BUILD_YOUNG_OBJECTS) -> Iterator[None]:
    """Collect the young generation only every `young` allocations within the block (not
    more often than the caller did); the caller's thresholds come back after it."""
    before = gc.get_threshold()
    gc.set_threshold(max(young, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """No cycle collection within the block: for a stage that makes many records and no
    cycles (resolution). What a cycle might hold waits for the next full collection.

    What the block made is moved to the oldest generation as it ends: else the
    first young collection after it walks every record it made (at 1,000 articles
    43 ms, twice in an edit rebuild, for records that all live on).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _into_oldest_generation()
        if enabled:
            gc.enable()


def _into_oldest_generation() -> None:
    """Every object the collector tracks, frozen ones too, into its oldest generation
    (`gc.unfreeze` puts what is frozen there)."""
    gc.freeze()
    gc.unfreeze()


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, where the C library has it."""
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


_TRIM = _malloc_trim()


def give_back_freed_memory() -> None:
    """Return the memory freed so far, in every arena, to the system (where glibc is the C
    library: elsewhere nothing is done)."""
    if _TRIM is not None:
        _TRIM(0)
