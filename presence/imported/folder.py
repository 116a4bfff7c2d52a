"""The imports folder: each layer a user brought, the file as it was brought and its
settings beside it, both written whole (write beside, then rename) so a crash never leaves
half a layer; the caps on what it holds, removal to a trash and undo, who may remove what,
and the data set with its layers added."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from presence.dataset import Dataset
from presence.errors import DataError, Problem
from presence.files import folder_lock, read_regular, write_whole
from presence.imported.reading import sniff
from presence.imported.rows import ImportedLayer, slug
from presence.imported.settings import MAX_SETTINGS_BYTES, SETTINGS_SUFFIX, LayerSettings

FOLDER = "imports"
DEFAULT_MAX_MB = 20.0
# Every request compares the folder and every worker re-reads it when it changes: a bounded
# number and size of layers keeps both cheap.
MAX_LAYERS = 20
MAX_TOTAL_BYTES = 100 * 1024 * 1024
# Imported records in all: every user's view answer and table carry the records in view.
MAX_TOTAL_RECORDS = 100_000
# Removed layers are moved here, not deleted: a wrong click is undone by moving them back.
TRASH = ".trash"
TRASH_KEPT = 50
LOG = logging.getLogger("dashboard.imports")


def file_size(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 0.1 * 2**20 else f"{size / 1024:.1f} KB"


def too_big(name: str, size: int) -> Problem:
    return Problem(name, "file", "-", f"{file_size(size)}: larger than the "
                   f"{file_size(max_import_bytes())} allowed (DASHBOARD_MAX_IMPORT_MB)")


def max_import_bytes() -> int:
    """The cap on an imported file's size: DASHBOARD_MAX_IMPORT_MB, default 20 MB."""
    return int(float(os.environ.get("DASHBOARD_MAX_IMPORT_MB", DEFAULT_MAX_MB)) * 1024 * 1024)


@dataclass(frozen=True)
class ImportedFolder:
    layers: tuple[ImportedLayer, ...]
    problems: tuple[Problem, ...]  # of the files refused; each refused whole


def layer_files(folder: Path) -> list[Path]:
    """The layer files of an imports folder, in name order (hidden, partial and settings
    files are not layers)."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.is_file()
                  and not path.name.startswith(".") and not path.name.endswith(SETTINGS_SUFFIX))


def folder_key(folder: Path) -> tuple:
    """Changes whenever a layer file or its settings are added, replaced or removed."""
    if not folder.is_dir():
        return ()
    return tuple(sorted((entry.name, entry.stat().st_mtime_ns, entry.stat().st_size)
                        for entry in os.scandir(folder) if not entry.name.startswith(".")))


def unique_id(wanted: str, taken) -> str:
    found, number = wanted, 2
    while found in taken:
        found, number = f"{wanted}-{number}", number + 1
    return found


def with_layers(dataset: Dataset, imported: ImportedFolder) -> Dataset:
    """The data set with the imported layers added: a theme, its categories, a source and
    the records of each."""
    if not imported.layers and not imported.problems:
        return dataset
    layers = imported.layers
    order = int(dataset.themes["order"].max()) if len(dataset.themes) else 0
    themes = pd.DataFrame([{"id": layer.id, "label_en": layer.settings.name,
                            "label_fr": layer.settings.name, "colour": layer.colour,
                            "order": order + number}
                           for number, layer in enumerate(layers, start=1)],
                          columns=dataset.themes.columns)
    sources = pd.DataFrame([{"id": layer.id, "title": layer.settings.source,
                             "publisher": f"Imported file {layer.settings.file}",
                             "data_as_of": layer.settings.imported[:7],
                             "file": f"{FOLDER}/{layer.stored}",
                             "note": f"Placed by {layer.placed_by}"} for layer in layers],
                           columns=dataset.sources.columns)
    records = [dataset.records.assign(shape=None)] + [layer.records for layer in layers]
    return replace(
        dataset,
        themes=_joined(dataset.themes, themes),
        categories=_joined(dataset.categories, *(layer.categories for layer in layers)),
        sources=_joined(dataset.sources, sources),
        records=_joined(*records),
        import_problems=imported.problems,
    )


def _joined(*given: pd.DataFrame) -> pd.DataFrame:
    frames = [frame.set_index("id", drop=False).rename_axis(None) if "id" in frame else frame
              for frame in given if len(frame)]
    return pd.concat(frames) if len(frames) > 1 else frames[0]


def save_layer(folder: Path, data: bytes, settings: LayerSettings) -> Path:
    """Write a brought file and its settings into the imports folder, each whole, under a
    name no other layer has; the settings go first, so the folder never holds the file
    without the choices made for it."""
    stem, kind = slug(Path(settings.file).stem), sniff(data) or "bin"
    with folder_lock(folder):
        check_room(folder, settings.file, len(data))
        taken = {path.name for path in folder.iterdir()}
        name, number = f"{stem}.{kind}", 2
        while name in taken:
            name, number = f"{stem}-{number}.{kind}", number + 1
        write_whole(folder / f"{name}{SETTINGS_SUFFIX}",
                    settings.model_dump_json(indent=2).encode())
        write_whole(folder / name, data)
    return folder / name


def check_room(folder: Path, file: str, size: int) -> None:
    """DataError unless one more layer of `size` bytes keeps the folder within MAX_LAYERS
    and MAX_TOTAL_BYTES (called under the folder's lock, by every path that adds one)."""
    layers = layer_files(folder)
    if len(layers) >= MAX_LAYERS:
        raise DataError([Problem(file, "file", "-", f"{MAX_LAYERS} imported layers "
                                 f"already: remove one before adding another")])
    total = sum(path.stat().st_size for path in layers) + size
    if total > MAX_TOTAL_BYTES:
        raise DataError([Problem(file, "file", "-", f"the imported layers would take "
                                 f"{total / 2**20:,.0f} MB: at most "
                                 f"{MAX_TOTAL_BYTES / 2**20:,.0f} MB in all")])


def records_room_problem(file: str, imported: int, adding: int) -> Problem | None:
    """The problem of adding `adding` records to the `imported` ones already in, if any."""
    if imported + adding <= MAX_TOTAL_RECORDS:
        return None
    return Problem(file, "file", "-", f"{adding:,} records: with the {imported:,} imported "
                   f"already, more than the {MAX_TOTAL_RECORDS:,} allowed in all")


class NotYours(PermissionError):
    """A user asked to remove or restore a layer someone else added."""


def administrators() -> set[str]:
    """The logins that may remove any layer: DASHBOARD_ADMINS, names separated by commas."""
    return {name.strip() for name in os.environ.get("DASHBOARD_ADMINS", "").split(",")
            if name.strip()}


def owner_of(settings_file: Path) -> str | None:
    """Who added a layer, from its settings; None for a layer added without a login or
    placed in the folder by hand."""
    try:
        return LayerSettings.model_validate_json(
            read_regular(settings_file, MAX_SETTINGS_BYTES)).owner
    except (OSError, ValidationError):  # no settings or unreadable ones: nobody's own
        return None


def check_owner(settings_file: Path, user: str | None) -> None:
    """Raise NotYours unless `user` may remove the layer of these settings: anybody when it
    was added without a login, else the user who added it or an administrator."""
    owner = owner_of(settings_file)
    if owner and user != owner and user not in administrators():
        raise NotYours(f"it was added by {owner}: only {owner} or an administrator can "
                       f"remove it")


def remove_layer(folder: Path, file: str, user: str | None = None) -> Path:
    """Take an imported layer off the map: its file, then its settings (settings alone are
    never read as a layer), moved into the trash, which keeps the last TRASH_KEPT removals.
    Returns where they went; the removal is logged with the user. NotYours if the layer is
    another user's."""
    if not folder.is_dir():  # the lock would create it
        raise ValueError(f"no imported layer file '{file}'")
    with folder_lock(folder):
        if file not in {path.name for path in layer_files(folder)}:
            raise ValueError(f"no imported layer file '{file}'")
        check_owner(folder / f"{file}{SETTINGS_SUFFIX}", user)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        kept = folder / TRASH / f"{stamp}-{file}"
        kept.mkdir(parents=True)
        (folder / file).rename(kept / file)
        settings = folder / f"{file}{SETTINGS_SUFFIX}"
        if settings.exists():
            settings.rename(kept / settings.name)
        for old in sorted((folder / TRASH).iterdir())[:-TRASH_KEPT]:
            shutil.rmtree(old, ignore_errors=True)
    LOG.warning("imported layer %s removed by %s; kept in %s", file, user or "anonymous",
                kept)
    return kept


def trashed(folder: Path, name: str) -> Path:
    """The trash entry of a removal by its name (as the Undo button gives it); ValueError
    for any name that is not one."""
    trash = folder / TRASH
    entries = {path.name for path in trash.iterdir() if path.is_dir()} if trash.is_dir() else set()
    if name not in entries:
        raise ValueError(f"no removed layer '{name}'")
    return trash / name


def restore_layer(folder: Path, kept: Path, user: str | None = None) -> Path:
    """Put a removed layer back from the trash (under a free name); returns its file.
    NotYours if the layer is another user's; DataError if the folder has no room for it."""
    with folder_lock(folder):
        files = [path for path in Path(kept).iterdir() if not path.name.endswith(SETTINGS_SUFFIX)]
        if len(files) != 1:
            raise ValueError(f"{kept}: not a removed layer")
        check_owner(files[0].with_name(files[0].name + SETTINGS_SUFFIX), user)
        check_room(folder, files[0].name, files[0].stat().st_size)
        name, number = files[0].name, 2
        stem, dot, kind = files[0].name.rpartition(".")
        while (folder / name).exists():
            name, number = f"{stem}-{number}{dot}{kind}", number + 1
        settings = files[0].with_name(files[0].name + SETTINGS_SUFFIX)
        if settings.exists():
            settings.rename(folder / f"{name}{SETTINGS_SUFFIX}")
        files[0].rename(folder / name)
        Path(kept).rmdir()
    LOG.warning("imported layer %s restored by %s from %s", name, user or "anonymous", kept)
    return folder / name
