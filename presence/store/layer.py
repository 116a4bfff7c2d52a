"""The GeoPackage's `records` layer, written by GDAL (pyogrio) in a process of its own.

GDAL carries its own SQLite library. Two SQLite libraries in one process must never open
the same file: each releases the other's locks, and the file can be corrupted (SQLite's
"How To Corrupt An SQLite Database File", §2.2.1). So the store's process hands the records
to this child (`python -m presence.store.layer FILE`, JSON on its standard input), which
alone opens the file with GDAL.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from presence.dataset import RECORD_COLUMNS

SECONDS = 120


@functools.cache
def _template() -> Path:
    """An empty GeoPackage with an empty `records` layer, made by GDAL once per process."""
    path = Path(tempfile.mkdtemp(prefix="store-template-")) / "empty.gpkg"
    write_layer(path, [])
    return path


def new_geopackage(path: Path) -> None:
    """Make `path` a GeoPackage whose `records` layer is empty (a copy of GDAL's own)."""
    shutil.copyfile(_template(), path)


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
    """Write `rows` as the file's `records` layer (made a GeoPackage if it is new)."""
    done = subprocess.run([sys.executable, "-m", "presence.store.layer", str(path)],
                          input=json.dumps(rows).encode(), capture_output=True,
                          timeout=SECONDS, cwd=Path(__file__).resolve().parents[2])
    if done.returncode:
        raise RuntimeError(f"the records layer of {path} was not written: "
                           f"{done.stderr.decode(errors='replace')[-2000:]}")


def point_of(fields: dict) -> tuple[float, float] | None:
    """A record's (lon, lat), or None for one that draws no point."""
    try:
        return float(fields["lon"]), float(fields["lat"])
    except (KeyError, TypeError, ValueError):
        return None


def main() -> None:
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import Point

    rows = json.loads(sys.stdin.buffer.read())
    frame = gpd.GeoDataFrame(
        {column: [row.get(column) or "" for row in rows] for column in RECORD_COLUMNS},
        geometry=[Point(p) if (p := point_of(row)) else None for row in rows], crs="EPSG:4326")
    # OVERWRITE: the layer is replaced whole (without it, GDAL may refuse an existing layer
    # of a file another process keeps open in WAL mode).
    pyogrio.write_dataframe(frame, sys.argv[1], layer="records", driver="GPKG",
                            geometry_type="Point", layer_options={"OVERWRITE": "YES"})


if __name__ == "__main__":
    main()
