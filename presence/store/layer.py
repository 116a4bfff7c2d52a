"""The GeoPackage's `records` layer, written by GDAL (pyogrio) in a process of its own.

GDAL carries its own SQLite library. Two SQLite libraries in one process must never open
the same file: each releases the other's locks, and the file can be corrupted (SQLite's
"How To Corrupt An SQLite Database File", §2.2.1). So the store's process hands the records
to a child (presence/gdal_layer.py: `python -m presence.gdal_layer FILE`, JSON on its
standard input), which alone opens the file with GDAL.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from presence import gdal_layer
from presence.dataset import RECORD_COLUMNS
from presence.files import held_lock
from presence.kept_files import KeptFiles

SECONDS = 120


# The empty GeoPackage every new store starts from, made by GDAL (a second of work in a child)
# once for the machine, not once per process: every server worker, command and test starts a
# store. Named by this code, the records' columns and the GDAL bindings' version.
TEMPLATES = KeptFiles("dashboard-store-templates", ".gpkg", most_files=4, most_bytes=2**24)
SQLITE_HEADER = b"SQLite format 3\0"


@functools.cache
def _template() -> bytes:
    """The empty GeoPackage's bytes: kept for the machine, or made now."""
    key = hashlib.blake2b(b"\0".join([Path(__file__).read_bytes(),
                                      Path(gdal_layer.__file__).read_bytes(),
                                      json.dumps(RECORD_COLUMNS).encode(),
                                      importlib.metadata.version("pyogrio").encode()]),
                          digest_size=20).hexdigest()
    return TEMPLATES.made_once(key, _made_template, TEMPLATES.most_bytes,
                               usable=lambda kept: kept.startswith(SQLITE_HEADER))


def _made_template() -> bytes:
    with tempfile.TemporaryDirectory(prefix="store-template-") as folder:
        path = Path(folder) / "empty.gpkg"
        write_layer(path, [])
        return path.read_bytes()


def new_geopackage(path: Path) -> None:
    """Make `path` a GeoPackage whose `records` layer is empty (a copy of GDAL's own)."""
    Path(path).write_bytes(_template())


class LayerWriter:
    """Writes the `records` layer in the background after changes: a change is answered
    without waiting for GDAL, several changes close together make one write, and flush()
    waits for the layer to hold the last of them."""

    def __init__(self, path: Path, rows):
        self.path, self.rows = path, rows  # rows(): the records as they are now
        self._wanted = 0
        self._written = 0
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def write_soon(self) -> None:
        with self._changed:
            self._wanted += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="records-layer",
                                                daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def flush(self) -> None:
        with self._changed:
            wanted = self._wanted
            while self._written < wanted and self._thread is not None \
                    and self._thread.is_alive():
                self._changed.wait(1)

    def _run(self) -> None:
        while True:
            with self._changed:
                if self._written >= self._wanted:
                    return
                target = self._wanted
            try:
                write_layer(self.path, self.rows())
            except Exception as error:  # the store stays whole; the next change tries again
                print(f"records layer not written: {error}", file=sys.stderr)
            with self._changed:
                self._written = target
                self._changed.notify_all()


def write_layer(path: Path, rows: list[dict]) -> None:
    """Write `rows` as the file's `records` layer (made a GeoPackage if it is new), one
    writer at a time for the machine."""
    request = {"layer": "records", "columns": list(RECORD_COLUMNS),
               "rows": [[str(row.get(column) or "") for column in RECORD_COLUMNS] for row in rows],
               "points": [point_of(row) for row in rows]}
    # GDAL replaces the layer in steps (drop the table, create it, fill it): two writers at
    # once, from two server workers or two stores of one folder, failed about one write in
    # twelve with 'table "records" already exists'. Each waits for the other.
    with held_lock(layer_lock(path)):
        done = subprocess.run([sys.executable, "-m", "presence.gdal_layer", str(path)],
                              input=json.dumps(request).encode(), capture_output=True,
                              timeout=SECONDS, cwd=Path(__file__).resolve().parents[2])
    if done.returncode:
        raise RuntimeError(f"the records layer of {path} was not written: "
                           f"{done.stderr.decode(errors='replace')[-2000:]}")


def layer_lock(path: Path) -> Path:
    """The file whose lock a writer of `path`'s records layer holds."""
    return Path(path).with_name(Path(path).name + ".layer-lock")


def point_of(fields: dict) -> tuple[float, float] | None:
    """A record's (lon, lat), or None for one that draws no point."""
    try:
        return float(fields["lon"]), float(fields["lat"])
    except (KeyError, TypeError, ValueError):
        return None
