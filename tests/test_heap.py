"""The build's pauses of the cycle collector end with their block, error or not; memory
freed between stages goes back to the system."""

from __future__ import annotations

import gc
import platform

import pytest

from kg.heap import (
    fewer_collections,
    give_back_freed_memory,
    held_objects_frozen,
    no_cycle_collection,
)


def test_heap_held_objects_stay_frozen_only_within_the_block():
    held = [object() for _ in range(10)]
    with held_objects_frozen():
        assert gc.get_freeze_count() >= len(held)
    assert gc.get_freeze_count() == 0


def test_heap_no_cycle_collection_within_the_block_only():
    with no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), no_cycle_collection():
        raise RuntimeError("resolution failed")
    assert gc.isenabled()


def test_heap_what_a_block_without_collection_made_is_not_young_after_it():
    """Else the next young collection walks all of it."""
    with no_cycle_collection():
        made = [[n] for n in range(10_000)]
    young = {id(tracked) for tracked in gc.get_objects(generation=0)}
    assert not any(id(record) in young for record in made)
    oldest = {id(tracked) for tracked in gc.get_objects(generation=2)}
    assert all(id(record) in oldest for record in made)


def test_heap_fewer_young_collections_within_the_block_only():
    caller = gc.get_threshold()
    with fewer_collections(50_000):
        assert gc.get_threshold() == (50_000, *caller[1:])
        with fewer_collections(100):  # never more often than the caller collects
            assert gc.get_threshold()[0] == 50_000
    assert gc.get_threshold() == caller
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a writer failed")
    assert gc.get_threshold() == caller


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_memory_goes_back_to_the_system():
    """Freed blocks below one still held stay in the process until given back."""
    blocks = [bytes(1_000) + bytes([n % 256]) for n in range(200_000)]  # 200 MB from malloc
    last = blocks[-1]
    del blocks
    before = _rss_mb()
    give_back_freed_memory()
    assert before - _rss_mb() > 100
    assert last[-1] == 199_999 % 256
