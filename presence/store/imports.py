"""Imported layers in a team's PostgreSQL store: every server serves the layers any officer
brought, on any server. The store's `imported_files` table holds each file of the imports
folder (the layers, their settings, the trash of removals, so that Undo works on every
server); each server's folder is a copy of it, made again whenever another server has
changed it (looked at with the change number, every 0.5 s: presence.live).

A change of the layers runs in `changing()`: under the store's write lock (one server at a
time), on the folder as the table holds it, and what it wrote or removed goes to the table
in the same transaction, so that two servers adding a layer at once both keep theirs."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from presence.files import write_whole
from presence.imported.folder import TRASH
from presence.store import tables as t

VERSION_KEY = "imports_version"


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """The folder's files by their path in it, with (mtime, size): the layers and their
    settings, and the trash's entries; not the lock or a file being written."""
    found: dict[str, tuple[int, int]] = {}
    if not folder.is_dir():
        return found
    for root, dirs, files in os.walk(folder):
        relative = Path(root).relative_to(folder)
        dirs[:] = [d for d in dirs if d == TRASH or relative.parts[:1] == (TRASH,)]
        for name in files:
            if name.startswith("."):
                continue
            path = Path(root) / name
            stat = path.stat()
            found[str(relative / name) if relative.parts else name] = (stat.st_mtime_ns,
                                                                        stat.st_size)
    return found


class ImportsMirror:
    """The imports folder of one server, kept equal to the store's table."""

    def __init__(self, store, folder: Path):
        self.store, self.folder = store, Path(folder)
        self._pulled: str | None = None
        with store._writing() as connection:
            if _version(connection) is None:  # the first server: its folder's layers go in
                _push(connection, self.folder, {}, snapshot(self.folder))
        self.pull()

    def pull(self, connection=None) -> bool:
        """Make the folder what the table holds, if another server changed it; whether it
        did."""
        with contextlib.ExitStack() as stack:
            if connection is None:
                connection = stack.enter_context(self.store.engine.connect())
            version = _version(connection)
            if version == self._pulled:
                return False
            rows = {path: (sha, body) for path, sha, body in connection.execute(
                select(t.imported_files.c.path, t.imported_files.c.sha256,
                       t.imported_files.c.body))}
        here = snapshot(self.folder)
        for path, (sha, body) in rows.items():
            target = self.folder / path
            if path in here and _sha256(target) == sha:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            write_whole(target, base64.b64decode(body))
        for path in set(here) - set(rows):
            (self.folder / path).unlink(missing_ok=True)
        for entry in (self.folder / TRASH).glob("*") if (self.folder / TRASH).is_dir() else ():
            if entry.is_dir() and not any(entry.iterdir()):
                entry.rmdir()
        self._pulled = version
        return True

    @contextlib.contextmanager
    def changing(self):
        """Change the folder (add, remove or restore a layer) as the table holds it, one
        server at a time; what changed goes to the table with it."""
        with self.store._writing() as connection:
            self.pull(connection)
            before = snapshot(self.folder)
            yield
            _push(connection, self.folder, before, snapshot(self.folder))
            self._pulled = _version(connection)


def _push(connection, folder: Path, before: dict, after: dict) -> None:
    from presence.store.store import now

    changed = [path for path, stamp in after.items() if before.get(path) != stamp]
    gone = [path for path in before if path not in after]
    if gone:
        connection.execute(delete(t.imported_files).where(t.imported_files.c.path.in_(gone)))
    for path in changed:
        data = (folder / path).read_bytes()
        values = {"body": base64.b64encode(data).decode(), "changed_at": now(),
                  "sha256": hashlib.sha256(data).hexdigest()}
        done = connection.execute(update(t.imported_files).where(
            t.imported_files.c.path == path).values(**values))
        if not done.rowcount:
            connection.execute(insert(t.imported_files).values(path=path, **values))
    stamp = now()
    if _version(connection) is None:
        connection.execute(insert(t.store_info).values(key=VERSION_KEY, value=stamp))
    elif changed or gone:
        connection.execute(update(t.store_info).where(t.store_info.c.key == VERSION_KEY)
                           .values(value=stamp))


def _version(connection) -> str | None:
    return connection.execute(select(t.store_info.c.value).where(
        t.store_info.c.key == VERSION_KEY)).scalar()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
