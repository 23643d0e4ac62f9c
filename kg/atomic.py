"""Write files so that a failed run never leaves a half-written output, nor a mixed set."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

STAGING_SUFFIX = ".tmp"
# Signals that end a build early; the few renames that swap a set in finish first.
STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    The rename is atomic on POSIX, so readers see the old file or the new
    one, never a truncated mix.
    """
    with atomic_writer(path.parent, path.name) as handle:
        handle.write(data)


@contextmanager
def atomic_writer(folder: Path, name: str | Callable[[], str]) -> Iterator[IO[bytes]]:
    """A file to write in pieces, renamed into place as `folder`/`name` when the block ends
    without error (else removed); `name` may be given once the file is written, by a
    callable (a file named by its content's digest)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=STAGING_SUFFIX)
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide outputs from other users and servers
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(tmp, folder / (name if isinstance(name, str) else name()))
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (see `atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def folder_problem(folder: Path) -> str | None:
    """Why files cannot be written into `folder` (made if missing), or None when they can.

    Tried for real rather than read from permission bits (which root ignores
    and read-only mounts do not show): a probe folder is made and removed in
    `folder`, or in its nearest existing ancestor when it does not exist yet.
    """
    try:
        if folder.exists() and not folder.is_dir():
            return "is a file, not a folder"
        existing = next(p for p in (folder, *folder.parents) if p.exists())
        if not existing.is_dir():
            return f"cannot be made: {existing} is a file"
        os.rmdir(tempfile.mkdtemp(dir=existing, prefix=".newskg-probe-"))
    except OSError as err:
        return f"cannot be written ({err.strerror or err})"
    return None


@contextmanager
def replace_as_set(folder: Path, *, remove: Collection[str] = ()) -> Iterator[Path]:
    """A staging folder for a set of files that then replace their namesakes in `folder` together.

    The files are written into the staging folder (beside `folder`, else
    inside it); only when the block succeeds are they renamed into `folder`,
    and the files named in `remove` (left over from an earlier set) removed,
    with SIGINT and SIGTERM held back meanwhile. On any failure or interrupt
    before that, `folder` keeps its previous set, whole, and the staging
    folder is removed. Other files in `folder` (the cache) are not touched.
    """
    folder.mkdir(parents=True, exist_ok=True)
    staging = _staging_folder(folder)
    try:
        yield staging
        with deferred_signals():
            for path in sorted(staging.iterdir()):
                os.replace(path, folder / path.name)
            for name in remove:
                (folder / name).unlink(missing_ok=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staging_folder(folder: Path) -> Path:
    """A new empty folder on `folder`'s file system: beside it if the parent allows, else inside."""
    target = folder.resolve()
    parent = target.parent
    if parent != target and os.stat(parent).st_dev == os.stat(target).st_dev:
        try:
            return Path(
                tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=STAGING_SUFFIX)
            )
        except PermissionError:
            pass
    return Path(tempfile.mkdtemp(dir=target, prefix=".staging.", suffix=STAGING_SUFFIX))


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back until the block is done, then deliver them.

    Only the main thread may set signal handlers; elsewhere the block runs
    as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {
        stopping: signal.signal(stopping, lambda signum, _frame: received.append(signum))
        for stopping in STOPPING_SIGNALS
    }
    try:
        yield
    finally:
        for stopping, handler in previous.items():
            signal.signal(stopping, handler)
        for signum in dict.fromkeys(received):
            signal.raise_signal(signum)
