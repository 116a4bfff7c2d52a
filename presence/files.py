"""Writing output files so that an interrupted run never leaves a half-written one."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
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
def held_lock(lock_file: Path):
    """Hold the exclusive lock of `lock_file` (made if missing): the machine's processes
    doing the same change take turns."""
    with open(lock_file, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


@contextmanager
def folder_lock(folder: Path):
    """Hold the folder's exclusive lock (`.lock`): server workers changing the same folder
    take turns, so none overwrites another's change."""
    folder.mkdir(parents=True, exist_ok=True)
    with held_lock(folder / ".lock"):
        yield


class NotRegular(OSError):
    """A path that is not a regular file (a folder, a pipe, a device), or one too large."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. The file is opened without
    blocking and checked once open, so a pipe put in its place (which would hang the read)
    or a file grown past the limit is refused, never read."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as opened:
        status = os.fstat(opened.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise NotRegular(errno.EINVAL, "not a regular file", str(path))
        data = opened.read(limit + 1)
    if len(data) > limit:
        raise NotRegular(errno.EFBIG, f"larger than {limit:,} bytes", str(path))
    return data
