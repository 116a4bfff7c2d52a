"""A file a user brings, examined where it cannot hurt the server.

Everything from the file's bytes to its layer's rows (reading, guessing the columns, placing
each row, finding every problem) runs in a bounded child process (presence/bounded.py): a
small file that holds hours of work or gigabytes of text stops there, at a time, memory or
size limit, and is named in a problem. The server gets back plain data within the caps of
presence/imported/reading.py and rows.py, checks it, and only then makes a layer of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from presence.dataset import Dataset
from presence.errors import MAX_PROBLEMS, DataError, Problem
from presence.imported.reading import (
    KINDS,
    MAX_COLUMN_NAME_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    read_table,
)
from presence.imported.rows import (
    COLOURS,
    ImportedLayer,
    NotALayer,
    default_settings,
    guess_category,
    guess_label,
    imported_layer,
    layer_rows,
    placing,
)
from presence.imported.settings import LayerSettings, layer_settings, settings_problems
from presence.imported.shared_readings import keep_also, reading
from presence.loader import load_countries

SAMPLE_ROWS, SAMPLE_COLUMNS, SAMPLE_CHARS = 5, 8, 60
PREVIEW_ID = "import-preview"
EXAMINE = "presence.imported.examine:_examine"  # the reading, run in the bounded child


@dataclass(frozen=True)
class Examined:
    """What the panel shows of a file: how it reads, and whether its layer builds."""

    kind: str  # a key of KINDS
    columns: tuple[str, ...]
    rows: int
    notes: tuple[str, ...]  # how it was read (encoding, sheet, layer)
    sample: tuple[tuple[str, ...], ...]  # the first rows' first columns, shortened
    placing: tuple[str, str]  # how rows are placed, in English and in French ("" if not)
    settings: LayerSettings  # the choices it was built with (guessed ones included)
    categories: int  # the layer's categories, when it builds
    problems: tuple[Problem, ...]  # why the layer does not build; none when it does


def examine(data: bytes, name: str, folder: Path, label: str | None = None,
            category: str | None = None, guess: bool = False,
            lane: str = "preview") -> Examined:
    """The file read and its layer built with these columns (or, with `guess`, those whose
    names say what they hold), in a bounded child at its turn in `lane` (an add's turn is
    not a preview's); DataError if the file cannot be read.
    Read once for the machine (presence/imported/shared_readings.py): changing a column
    back and forth, or adding the file just previewed, in any worker, reads nothing again."""
    settings = layer_settings(name, label, category)
    request = {"name": name, "folder": str(folder), "settings": settings.model_dump(mode="json"),
               "guess": guess, "layer_id": PREVIEW_ID, "rows": False}
    answer = reading(EXAMINE, data, request, name, lane)
    found = _examined(answer, name)
    if guess:  # the reading of the columns it guessed, which the add then asks for
        chosen = layer_settings(name, found.settings.label, found.settings.category)
        keep_also(EXAMINE, data, {**request, "settings": chosen.model_dump(mode="json"),
                                  "guess": False}, answer)
    return found


def examine_layer(data: bytes, name: str, base: Dataset, settings: LayerSettings | None,
                  layer_id: str, imported: str | None = None) -> ImportedLayer:
    """The layer of a file in the imports folder of `base`'s data folder, with `settings`
    (None: guessed, dated `imported`), built in a bounded child and checked against `base`'s
    countries; DataError naming `name` with every problem. Its colour is set by its place
    among the others (presence/live.py)."""
    answer = reading(EXAMINE, data, {
        "name": name, "folder": str(base.folder),
        "settings": None if settings is None else settings.model_dump(mode="json"),
        "guess": False, "layer_id": layer_id, "rows": True, "imported": imported}, name,
        "add")
    found = _examined(answer, name)
    if found.problems:
        raise DataError(list(found.problems))
    try:
        return imported_layer(answer.get("built"), found.settings, layer_id, COLOURS[0],
                              base.countries.index)
    except NotALayer as error:
        raise DataError([Problem(name, "file", "-", f"the reading process answered what is "
                                 f"not a layer: {error}")]) from None


def _examined(answer, name: str) -> Examined:
    """The child's answer, checked: types, counts and lengths within the caps."""
    def text(value, limit: int) -> str:
        if not isinstance(value, str) or len(value) > limit:
            raise TypeError
        return value

    try:
        columns = tuple(text(column, MAX_COLUMN_NAME_CHARS) for column in answer["columns"])
        settings = LayerSettings.model_validate(answer["settings"])
        problems = tuple(Problem(*(text(part, 2000) for part in problem))
                         for problem in answer.get("problems") or ())
        found = Examined(
            kind=answer["kind"] if answer["kind"] in KINDS else None,
            columns=columns, rows=int(answer["rows"]),
            notes=tuple(text(note, 500) for note in answer["notes"][:5]),
            sample=tuple(tuple(text(cell, SAMPLE_CHARS) for cell in row[:SAMPLE_COLUMNS])
                         for row in answer["sample"][:SAMPLE_ROWS]),
            placing=(text(answer["placing"][0], 1000), text(answer["placing"][1], 1000)),
            settings=settings, categories=int(answer["categories"]), problems=problems)
        if (found.kind is None or not 0 < len(columns) <= MAX_COLUMNS
                or not 0 < found.rows <= MAX_ROWS or len(problems) > MAX_PROBLEMS + 1):
            raise TypeError
    except (KeyError, TypeError, ValueError, IndexError, ValidationError):
        raise DataError([Problem(name, "file", "-", "the reading process answered what is "
                                 "not a file's preview")]) from None
    return found


def _examine(data: bytes, request: dict) -> dict:
    """In the child: the file read, its columns chosen, its layer built; plain data back."""
    name = request["name"]
    table = read_table(data, name)
    if request["settings"] is None:  # a file put in the folder by hand
        settings = default_settings(table, Path(name).name, request.get("imported"))
    else:
        try:
            settings = LayerSettings.model_validate(request["settings"])
        except ValidationError as error:
            raise DataError(settings_problems(error, name)) from None
        if request["guess"]:
            settings = settings.model_copy(update={"label": guess_label(table) or "-",
                                                   "category": guess_category(table)})
    answer = {
        "kind": table.kind, "columns": list(table.columns), "rows": len(table.rows),
        "notes": list(table.notes),
        "sample": [[row[column][:SAMPLE_CHARS] for column in table.columns[:SAMPLE_COLUMNS]]
                   for row in table.rows[:SAMPLE_ROWS]],
        "placing": [placing(table, "en"), placing(table, "fr")],
        "settings": json.loads(settings.model_dump_json()), "categories": 0, "problems": []}
    try:
        built = layer_rows(table, settings, load_countries(request["folder"]),
                           request["layer_id"], name)
    except DataError as error:
        answer["problems"] = [[p.file, p.record, p.field, p.message] for p in error.problems]
        return answer
    answer["categories"] = len(built["kinds"])
    if request["rows"]:
        answer["built"] = built
    return answer
