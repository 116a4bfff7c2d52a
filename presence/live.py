"""The data set a running server answers with: the data folder's own files, validated once at
start-up, plus the imported layers as they are on disk now.

Several server workers share one data folder. A layer imported through one of them is a file
in `imports/`; every worker sees that the folder changed (one directory listing per request)
and takes the change in without making anyone wait: the new data set is built in a thread
beside the one being served, and swapped in when it is whole. Only what changed is read: a
layer is kept by its file's content and its choices, so adding a layer reads that file alone
(in a bounded child, presence/imported/examine.py), and removing one reads none.

With a store (presence.store), the records are the store's: every request looks (at most
every POLL_SECONDS) whether a change has been made, by this server or another, and takes it
in the same way; the server that made a change takes it in at once (refresh). The data as
it stood on a past day (`asof=` in the URL) is built once per day and state of the store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from presence.bounded import LANES, holds_turn
from presence.dataset import Dataset
from presence.errors import DataError, Problem
from presence.files import read_regular
from presence.imported.examine import examine_layer
from presence.imported.folder import (
    FOLDER,
    MAX_LAYERS,
    MAX_TOTAL_BYTES,
    ImportedFolder,
    folder_key,
    layer_files,
    max_import_bytes,
    records_room_problem,
    too_big,
    unique_id,
    with_layers,
)
from presence.imported.rows import COLOURS, ImportedLayer, slug
from presence.imported.settings import SETTINGS_SUFFIX, read_settings
from presence.loader import load_base

# Seconds between two looks at the store's latest change number (a change made on another
# server shows here within this, and the next request).
POLL_SECONDS = 0.5
# Past days' data sets kept (asof=), each with its day and the store's state.
KEPT_DAYS = 8


class LiveDataset:
    def __init__(self, folder: Path | str, store=None):
        self.folder = Path(folder)
        self.imports = self.folder / FOLDER
        self.store = store
        # With a team's PostgreSQL store, the imported layers are the store's: this
        # server's folder is a copy of them (presence.store.imports).
        self.mirror = None
        if store is not None and not store.is_geopackage:
            from presence.store.imports import ImportsMirror

            self.mirror = ImportsMirror(store, self.imports)
        self._number = store.number() if store else 0
        # raises DataError: the server does not start
        self.base = store.dataset() if store else load_base(self.folder)
        # One rebuild at a time. Requests never wait for it: they are answered with the data
        # set as it was until the new one is whole.
        self._changing = threading.Lock()
        self._kept: dict[tuple, ImportedLayer] = {}
        self._key: tuple | None = None
        self._dataset = self.base
        self._looked = 0.0
        self._days: dict[tuple[str, int], Dataset] = {}
        self.refresh()

    def current(self) -> Dataset:
        """The data set as last built; if the folder or the store has changed since, a
        rebuild starts in the background (unless one is running) and this request does not
        wait for it."""
        if self._key_now() != self._key and self._changing.acquire(blocking=False):
            threading.Thread(target=self._rebuild, name="data-changes", daemon=True).start()
        return self._dataset

    def as_of(self, day: str) -> Dataset:
        """The data set as it stood at the end of `day` (YYYY-MM-DD), the imported layers
        as they are now; the current one where there is no store. DataError for a day that
        is not a date."""
        if self.store is None:
            return self.current()
        number = self.store.number_as_of(day)
        if (day, number) not in self._days:
            if len(self._days) >= KEPT_DAYS:
                self._days.clear()
            dated = self.store.dataset(day)
            imported = load_folder(self.imports, dated, dict(self._kept))
            self._days[(day, number)] = replace(
                with_layers(dated, imported), version=f"{self.current().version}-{day}",
                as_of=(day, number), change_number=number)
        return self._days[(day, number)]

    def for_query(self, query: str | None) -> Dataset:
        """The data set a URL query shows: as of its `asof=` day, or as it is now."""
        from presence.views import asof_in

        day = asof_in(query)
        return self.as_of(day) if day else self.current()

    def _key_now(self) -> tuple:
        if self.store is not None and time.monotonic() - self._looked > POLL_SECONDS:
            self._looked = time.monotonic()
            self._number = self.store.number()
            if self.mirror is not None:
                self.mirror.pull()  # a layer another server added or removed
        return (folder_key(self.imports), self._number)

    def changing_imports(self):
        """Where a layer is added, removed or restored: with a team's store, one server at
        a time, on the layers as the store holds them, and kept there."""
        return self.mirror.changing() if self.mirror is not None else contextlib.nullcontext()

    def refresh(self) -> Dataset:
        """The data set of the folder as it is now, waiting for it: for the request that
        changed the folder, whose user expects to see the change."""
        with self._changing:
            self._update()
        return self._dataset

    def _rebuild(self) -> None:
        try:
            self._update()
        except Exception as error:  # the served data set stays; the next request tries again
            print(f"imported layers not reloaded: {error!r}", file=sys.stderr)
        finally:
            self._changing.release()

    def _update(self) -> None:
        if self.store is not None:
            self._number = self.store.number()
        key = (folder_key(self.imports), self._number)
        if key == self._key:
            return
        if self.store is not None and (self._key is None or key[1] != self._key[1]):
            # Layers are placed against the countries and themes, which no change touches:
            # kept layers stay.
            self.base = self.store.dataset()
        imported = load_folder(self.imports, self.base, self._kept)
        for problem in imported.problems:
            # A refused layer file is named on the server's console and in the import panel.
            print(f"imported layer refused: {problem}", file=sys.stderr)
        version = hashlib.sha1(repr(key).encode()).hexdigest()[:10] if key != ((), 0) else ""
        self._dataset = replace(with_layers(self.base, imported), version=version,
                                change_number=self._number)
        self._key = key


def load_folder(folder: Path, base: Dataset, kept: dict | None = None) -> ImportedFolder:
    """The layers of an imports folder, in name order, and the problems of the files refused.
    Each file changed since `kept` (what each layer was built from → the layer; updated) is
    built in a bounded child, as many at a time as may run. The caps on adding layers hold
    here too (a file put in the folder by hand, a layer put back): past MAX_LAYERS files,
    MAX_TOTAL_BYTES or MAX_TOTAL_RECORDS, a file is refused."""
    kept = {} if kept is None else kept
    problems: list[Problem] = []
    taken = set(base.themes.index)
    wanted: list[tuple] = []
    total = 0
    for path in layer_files(folder):
        name = f"{FOLDER}/{path.name}"
        try:
            data = read_regular(path, max_import_bytes())
            if len(wanted) >= MAX_LAYERS or total + len(data) > MAX_TOTAL_BYTES:
                raise DataError([Problem(name, "file", "-", f"not loaded: at most "
                                         f"{MAX_LAYERS} imported layers and "
                                         f"{MAX_TOTAL_BYTES / 2**20:,.0f} MB in all")])
            settings = read_settings(path.with_name(path.name + SETTINGS_SUFFIX), name)
        except DataError as error:
            problems.extend(error.problems)
            continue
        except OSError as error:
            # A pipe or a folder named like a layer, a file past the size cap: left out.
            grown = error.errno == errno.EFBIG
            problems.append(too_big(name, os.stat(path).st_size) if grown else
                            Problem(name, "file", "-", f"cannot be read: {error.strerror}"))
            continue
        total += len(data)
        layer_id = unique_id(f"import-{slug(Path(path.name).stem)}", taken)
        taken.add(layer_id)
        imported = dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
        key = (hashlib.sha256(data).digest(), settings and settings.model_dump_json(),
               layer_id, imported if settings is None else None)
        wanted.append((path, name, key, data, settings, layer_id, imported))

    def build(item):
        path, name, key, data, settings, layer_id, imported = item
        try:
            return kept.get(key) or examine_layer(data, name, base, settings, layer_id,
                                                  imported=imported)
        except DataError as error:
            return error

    if holds_turn("add"):  # an add's own turn builds its layer: here, one at a time
        built = [build(item) for item in wanted]
    else:
        with ThreadPoolExecutor(LANES["add"]) as pool:
            built = list(pool.map(build, wanted))
    layers: list = []
    used: dict = {}
    records = 0
    for (path, name, key, *_), layer in zip(wanted, built):
        too_many = None if isinstance(layer, DataError) else records_room_problem(
            name, records, len(layer.records))
        if isinstance(layer, DataError) or too_many:
            problems.extend(layer.problems if isinstance(layer, DataError) else [too_many])
            continue
        used[key] = layer
        records += len(layer.records)
        layers.append(coloured(replace(layer, stored=path.name),
                               COLOURS[len(layers) % len(COLOURS)]))
    kept.clear()
    kept.update(used)
    return ImportedFolder(tuple(layers), tuple(problems))


def coloured(layer: ImportedLayer, colour: str) -> ImportedLayer:
    """The layer in the colour of its place among the others."""
    return replace(layer, colour=colour, categories=layer.categories.assign(colour=colour))
