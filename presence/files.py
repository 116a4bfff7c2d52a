"""Writing output files so that an interrupted run never leaves a half-written one."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path


def write_whole(path: Path, content: bytes) -> None:
    """Write beside the target, then rename over it: the rename is atomic, so readers see
    the old file or the new one, never part of it."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "wb") as out:
        out.write(content)
        out.flush()
        os.fsync(out.fileno())
    partial.replace(path)


@contextmanager
def folder_lock(folder: Path):
    """Hold the folder's exclusive lock (`.lock`): server workers changing the same folder
    take turns, so none overwrites another's change."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield
