"""The data set a running server answers with: the data folder's own files, validated once at
start-up, plus the imported layers as they are on disk now.

Several server workers share one data folder. A layer imported through one of them is a file
in `imports/`; every worker sees that the folder changed (one directory listing per request)
and re-reads the imported layers, so any worker answers any request with the same data.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from dataclasses import replace
from pathlib import Path

from presence.dataset import Dataset
from presence.imports import FOLDER, folder_key, load_folder, with_layers
from presence.loader import load_base


class LiveDataset:
    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.imports = self.folder / FOLDER
        self.base = load_base(self.folder)  # raises DataError: the server does not start
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._dataset = self.base
        self.current()

    def current(self) -> Dataset:
        key = folder_key(self.imports)
        if key != self._key:
            with self._lock:
                if key != self._key:
                    self._reload(key)
        return self._dataset

    def _reload(self, key: tuple) -> None:
        imported = load_folder(self.imports, self.base)
        for problem in imported.problems:
            # A refused layer file is named on the server's console and in the import panel.
            print(f"imported layer refused: {problem}", file=sys.stderr)
        version = hashlib.sha1(repr(key).encode()).hexdigest()[:10] if key else ""
        self._dataset = replace(with_layers(self.base, imported), version=version)
        self._key = key
