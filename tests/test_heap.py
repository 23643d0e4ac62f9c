"""The build's pauses of the cycle collector end with their block, error or not."""

from __future__ import annotations

import gc

import pytest

from kg.heap import held_objects_frozen, no_cycle_collection


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
