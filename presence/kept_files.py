"""Files kept for every process of this user on this machine: what takes seconds to make and
is the same for every process that asks for it (a layer file's reading, the map's GeoJSON,
an empty GeoPackage). Server workers, a restarted server, the command line and the tests'
servers then make each once, not once each.

A kind of file has a folder of its own in the system's temporary folder, private to this
user (one that others may write to is not used: they could put files there). A file is named
by a digest of what it was made from, so it is never stale; it is written whole (a process
reading it meanwhile sees the old file or none), and the least recently used files go first
past the folder's bounds.
"""

from __future__ import annotations

import fcntl
import os
import stat
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from presence.files import NotRegular, read_regular


@dataclass
class KeptFiles:
    """One kind of kept file: `name` names its folder (NAME-UID in the temporary folder,
    unless `folder` is set), `suffix` its files; at most `most_files` files and `most_bytes`
    bytes are kept."""

    name: str
    suffix: str
    most_files: int
    most_bytes: int
    folder: Path | None = None

    def private_folder(self) -> Path | None:
        """The folder, made private to this user; None if it is not this user's alone."""
        folder = self.folder or Path(tempfile.gettempdir()) / f"{self.name}-{os.getuid()}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            status = os.lstat(folder)
        except OSError:
            return None
        if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid() \
                or status.st_mode & 0o077:
            return None
        return folder

    def path(self, key: str) -> Path | None:
        """Where the file named `key` is kept; None where nothing may be kept."""
        folder = self.private_folder()
        return None if folder is None else folder / f"{key}{self.suffix}"

    def read(self, path: Path | None, limit: int) -> bytes | None:
        """The kept file's bytes (at most `limit`), marked as just used; None if there is
        none, or it is not a regular file within the limit."""
        if path is None:
            return None
        try:
            data = read_regular(path, limit)
            used_now(path)
        except (OSError, NotRegular):
            return None
        return data

    def keep(self, path: Path | None, data: bytes) -> None:
        """Keep `data` at `path` whole, then remove the least recently used files past the
        folder's bounds. A full disk, or another process pruning, loses only the keeping."""
        if path is None:
            return
        partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            partial.write_bytes(data)
            os.replace(partial, path)
            used_now(path)
            kept = sorted(path.parent.glob(f"*{self.suffix}"),
                          key=lambda p: p.stat().st_mtime_ns, reverse=True)
            total = 0
            for number, older in enumerate(kept):
                total += older.stat().st_size
                if number >= self.most_files or total > self.most_bytes:
                    older.unlink(missing_ok=True)
                    older.with_suffix(".lock").unlink(missing_ok=True)
        except OSError:
            partial.unlink(missing_ok=True)

    def made_once(self, key: str, make: Callable[[], bytes], limit: int,
                  usable: Callable[[bytes], bool] = lambda data: True) -> bytes:
        """The file named `key`, made by `make` unless it is kept already (and `usable`).
        Processes that ask for the same file together wait for the first to make it."""
        path = self.path(key)
        if path is None:
            return make()
        kept = self.read(path, limit)
        if kept is not None and usable(kept):
            return kept
        with open(path.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            kept = self.read(path, limit)
            if kept is None or not usable(kept):
                kept = make()
                self.keep(path, kept)
        return kept

    def forget_all(self) -> None:
        """Every kept file removed (the bench times a first making; tests count makings)."""
        folder = self.private_folder()
        for path in folder.glob(f"*{self.suffix}") if folder is not None else ():
            path.unlink(missing_ok=True)


def used_now(path: Path) -> None:
    """The file marked as used now, to the nanosecond, for the pruning's order (a file
    system may keep coarser times of its own)."""
    now = time.time_ns()
    os.utime(path, ns=(now, now))
