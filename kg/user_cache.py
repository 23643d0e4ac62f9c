"""What newskg assembles the same way on every run, kept between runs in the user's cache.

The gazetteer with its tens of thousands of GeoNames places takes seconds
to assemble, in every process that parses (each worker of `--jobs N`),
and comes out the same until the code, the data or the packages it is
made from change. It is kept in $XDG_CACHE_HOME/newskg (else
~/.cache/newskg) under a digest of all of those. A kept file that cannot
be read is made again; a folder that cannot be written only means nothing
is kept. Deleting the folder is always safe. Values are kept in a format
their owner reads field by field (JSON), never unpickled: reading the
cache runs no code, whoever wrote the folder.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from kg.atomic import atomic_write_bytes

CACHE_HOME_VARIABLE = "XDG_CACHE_HOME"
T = TypeVar("T")


@dataclass(frozen=True)
class Codec(Generic[T]):
    """How a kept value is written and read back; `read` raises ValueError for anything
    that is not such a value."""

    write: Callable[[T], bytes]
    read: Callable[[bytes], T]


def cache_folder() -> Path | None:
    """$XDG_CACHE_HOME/newskg, else ~/.cache/newskg; None when there is no home to find
    (a service account without one)."""
    home = os.environ.get(CACHE_HOME_VARIABLE)
    if not home:
        try:
            home = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(home) / "newskg"


def kept(name: str, recipe: str, make: Callable[[], T], codec: Codec[T]) -> T:
    """The value kept under `name` for `recipe` (all it is made of), else `make()`, kept.

    One file per name: a value made for another recipe replaces it.
    """
    folder = cache_folder()
    if folder is None:
        return make()
    path = folder / f"{name}-{hashlib.sha256(recipe.encode()).hexdigest()[:32]}.json"
    try:
        return codec.read(path.read_bytes())
    except (OSError, ValueError):
        pass  # not kept yet, or damaged: made again
    value = make()
    try:
        atomic_write_bytes(path, codec.write(value))
        for other in folder.glob(f"{name}-*.json"):
            if other != path:
                other.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home or a full disk: the value is made again next time
    return value
