"""Reading a file a user brings (CSV, XLSX, GeoJSON, GeoPackage) from its bytes in memory.

The type comes from the content, never from the name, and nothing is ever opened by a path:
GDAL (behind GeoPackage reading) would follow `/vsicurl/` and other virtual paths, so it only
ever sees a buffer. Every problem names the file, the row or feature, and the field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml.ElementTree import iterparse

from presence.errors import MAX_PROBLEMS, DataError, Problem, stopped_at
from presence.text import plain_text

MAX_COLUMNS = 500
MAX_ROWS = 50_000
# What a file may hold once read, whatever its size on disk (an XLSX cell can reference one
# shared string thousands of times; a GeoPackage view can compute any text): caps on a cell,
# a column's name, the cells (rows × columns) and the text in all, each a named problem.
MAX_CELL_CHARS = 5_000
MAX_COLUMN_NAME_CHARS = 200
MAX_CELLS = 2_500_000
MAX_TEXT_CHARS = 30_000_000
# An XLSX is a zip: refuse one that would expand past this (a "zip bomb").
MAX_XLSX_EXPANDED = 200 * 1024 * 1024
KINDS = {"csv": "CSV", "xlsx": "Excel workbook (XLSX)", "geojson": "GeoJSON",
         "gpkg": "GeoPackage"}


@dataclass(frozen=True)
class Table:
    """What a file holds before the user's choices: named text columns, one row per record,
    and for GeoJSON and GeoPackage, one geometry per row (None where a feature has none)."""

    kind: str  # a key of KINDS
    columns: tuple[str, ...]
    rows: tuple[dict[str, str], ...]
    where: tuple[str, ...]  # each row's place in the file: "line 3", "row 3", "feature 3"
    geometries: tuple | None = None
    notes: tuple[str, ...] = field(default=())  # how it was read (encoding, sheet, layer)


def sniff(data: bytes) -> str | None:
    """The file's kind from its first bytes, or None if it is none of those accepted."""
    if data.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"["):
        return "geojson"
    if data and b"\x00" not in data[:4096] or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"
    return None


def read_table(data: bytes, name: str) -> Table:
    """The table of a file's bytes, every cap applied; DataError naming `name` if it cannot
    be read. It runs in this process: the server calls it only inside a bounded child
    (presence/imported/examine.py), since an XLSX or a GeoPackage can hold far more than its size."""
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError("read_table takes the file's bytes, never a path")
    data = bytes(data)
    kind = sniff(data)
    if not data.strip():
        raise DataError([Problem(name, "file", "-", "the file is empty")])
    if kind is None:
        raise DataError([Problem(name, "file", "-", "not a CSV, XLSX, GeoJSON or GeoPackage "
                                 "file (its first bytes are none of these)")])
    table = READERS[kind](data, name)
    if len(table.columns) > MAX_COLUMNS:
        raise DataError([too_many_columns(name, len(table.columns))])
    if len(table.rows) > MAX_ROWS:
        raise DataError([Problem(name, "file", "-", f"{len(table.rows):,} rows: at most "
                                 f"{MAX_ROWS:,} are read in one layer")])
    if not table.rows:
        raise DataError([Problem(name, "file", "-", "no row of data under the header")])
    return table


def too_many_columns(name: str, count: int) -> Problem:
    return Problem(name, "header", "-", f"{count:,} columns: at most {MAX_COLUMNS} are read; "
                   f"remove the columns not needed")


class _Budget:
    """What a file has given so far, against the caps: a cell over MAX_CELL_CHARS is a
    problem of its own; past MAX_CELLS cells or MAX_TEXT_CHARS characters the reading stops;
    after MAX_PROBLEMS problems too. Cells are kept as plain text (presence/text.py)."""

    def __init__(self, name: str):
        self.name, self.chars, self.cells = name, 0, 0
        self.problems: list[Problem] = []

    def cell(self, value: str, where: str, column: str) -> str:
        if len(value) > MAX_CELL_CHARS:
            self.problem(where, column, f"{len(value):,} characters: a cell holds at most "
                                        f"{MAX_CELL_CHARS:,}")
            return ""
        value = plain_text(value, lines=True).strip()
        self.chars += len(value)
        if self.chars > MAX_TEXT_CHARS:
            self.stop(where, f"more than {MAX_TEXT_CHARS:,} characters of text: at most "
                             f"that is read in one layer")
        return value

    def row(self, width: int, where: str) -> None:
        self.cells += width
        if self.cells > MAX_CELLS:
            self.stop(where, f"more than {MAX_CELLS:,} cells (rows × columns): at most that "
                             f"is read in one layer")

    def problem(self, where: str, column: str, message: str) -> None:
        self.problems.append(Problem(self.name, where, column, message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise DataError([*self.problems, stopped_at(self.name, where)])

    def stop(self, where: str, message: str) -> None:
        raise DataError([*self.problems, Problem(self.name, where, "-", message)])

    def done(self) -> None:
        if self.problems:
            raise DataError(self.problems)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (with or without BOM), UTF-16 with a
    BOM, or else Windows-1252, which spreadsheet software on Windows writes by default."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as error:
            raise DataError([Problem(name, "file", "-", f"not valid UTF-16: {error.reason}")])
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise DataError([Problem(name, f"line {line}", "-", f"not text in UTF-8 or "
                                 f"Windows-1252 (byte 0x{data[error.start]:02x}): save the "
                                 f"file as UTF-8 CSV")]) from None


def _header(names, name: str) -> tuple[str, ...]:
    """Column names, refusing blank, long and repeated ones (a choice of column must be
    exact); a header of more than MAX_COLUMNS is one problem, not one per column."""
    names = list(names)
    if len(names) > MAX_COLUMNS:
        raise DataError([too_many_columns(name, len(names))])
    budget, seen = _Budget(name), set()
    columns = tuple("" if column is None else plain_text(str(column)).strip()
                    for column in names)
    for number, column in enumerate(columns, start=1):
        if not column:
            budget.problem("header", f"column {number}", "has no name")
        elif len(column) > MAX_COLUMN_NAME_CHARS:
            budget.problem("header", f"column {number}", f"a name of {len(column):,} "
                           f"characters: at most {MAX_COLUMN_NAME_CHARS}")
        elif column in seen:
            budget.problem("header", column, "the column name is repeated")
        seen.add(column)
    budget.done()
    return columns


# The delimiter is guessed from the file's start. Python's csv.Sniffer matches quoted cells
# with regular expressions whose work grows with the square of the sample: 64 KB of a line of
# quoted markup took 2.6 s to sniff, 8 KB takes 0.06 s, and 8 KB still holds the header and
# the first rows of a table.
SNIFF_CHARS = 8192


def _whole_lines(sample: str) -> str:
    """The sample up to its last line break, if it holds one: a line cut short counts fewer
    commas than the header, and the sniffer then took the bars of a cell ("=cmd|' /C") for
    the delimiter of a 436-column file (found by the bench's fuzz run)."""
    end = sample.rfind("\n")
    return sample[:end + 1] if end > 0 else sample


def read_csv(data: bytes, name: str) -> Table:
    text, encoding = _decode(data, name)
    if "\x00" in text:
        nul_line = text[:text.index("\x00")].count("\n") + 1
        raise DataError([Problem(name, f"line {nul_line}", "-", "holds a NUL character: not a "
                                 "text file")])
    try:
        delimiter = csv.Sniffer().sniff(_whole_lines(text[:SNIFF_CHARS]),
                                        delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = _header(next(reader, []), name)
        if not columns:
            raise DataError([Problem(name, "line 1", "-", "no header row")])
        rows: list[dict[str, str]] = []
        where: list[str] = []
        budget = _Budget(name)
        for values in reader:
            line = f"line {reader.line_num}"
            if not any(value.strip() for value in values):
                continue  # blank lines between rows are common in hand-made files
            if len(values) != len(columns):
                budget.problem(line, "-", f"{len(values)} fields, but the header has "
                                          f"{len(columns)}")
                continue
            budget.row(len(columns), line)
            rows.append({column: budget.cell(value, line, column)
                         for column, value in zip(columns, values)})
            where.append(line)
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as error:
        raise DataError([Problem(name, f"line {reader.line_num}", "-",
                                 f"not readable as CSV: {error}")]) from None
    budget.done()
    shown = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "bars"}[delimiter]
    return Table("csv", columns, tuple(rows), tuple(where),
                 notes=(f"{encoding} text, fields separated by {shown}",))


def read_xlsx(data: bytes, name: str) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            expanded = sum(item.file_size for item in archive.infolist())
            if "xl/workbook.xml" not in names:
                raise DataError([Problem(name, "file", "-", "a zip archive, but not an Excel "
                                         "workbook (XLSX)")])
            if expanded > MAX_XLSX_EXPANDED:
                raise DataError([Problem(name, "file", "-", f"the workbook expands to "
                                         f"{expanded / 2**20:,.0f} MB: too large to read")])
            longest = _longest_shared_string(archive, names)
            sheet = _first_sheet(archive, names)
            _refuse_far_cells(archive, sheet, name)
            # The text calamine would copy out, at most: each cell showing a shared string
            # times the longest one.
            copied = longest * _count(archive, sheet, b't="s"') if sheet and longest else 0
    except (zipfile.BadZipFile, ValueError, ParseError) as error:
        raise DataError([Problem(name, "file", "-", f"a damaged zip archive: {error}")]) from None
    try:
        # calamine (Rust) reads a workbook ten times faster than openpyxl, but copies a
        # shared string into every cell that shows it: a workbook holding a string longer
        # than a cell may be, or whose copies could pass the text a layer may hold (a 45 KB
        # workbook showing one 5,000-character string in 400,000 cells: 2 GB), is read by
        # openpyxl, which shares it, so each such cell is found and named, and the text
        # counted, without a copy being made.
        shares = longest > MAX_CELL_CHARS or copied > MAX_TEXT_CHARS
        sheets, lines = (_openpyxl_rows if shares else _calamine_rows)(data)
        columns = _header(next(lines, ()) or (), name)
        rows, where, budget = [], [], _Budget(name)
        for number, values in enumerate(lines, start=2):
            if all(value is None or isinstance(value, str) and (not value or value.isspace())
                   for value in values):
                continue
            row = f"row {number}"
            budget.row(len(columns), row)
            rows.append({column: "" if value is None else budget.cell(_cell(value), row, column)
                         for column, value in zip(columns, values)})
            rows[-1].update((column, "") for column in columns[len(values):])
            where.append(row)
            if len(rows) > MAX_ROWS:
                break
        budget.done()
    except DataError:
        raise
    except Exception as error:  # the readers raise many kinds for damaged workbooks
        raise DataError([Problem(name, "file", "-", f"not a readable Excel workbook: "
                                 f"{error}")]) from None
    if not columns:
        raise DataError([Problem(name, "row 1", "-", "no header row on the first sheet")])
    note = f"sheet '{sheets[0]}'" + (f" (the first of {len(sheets)})" if len(sheets) > 1 else "")
    return Table("xlsx", columns, tuple(rows), tuple(where), notes=(note,))


def _longest_shared_string(archive: zipfile.ZipFile, names: set[str]) -> int:
    """The length of the workbook's longest shared string (the texts cells refer to)."""
    if "xl/sharedStrings.xml" not in names:
        return 0
    longest = 0
    with archive.open("xl/sharedStrings.xml") as part:
        for _, element in iterparse(part):  # defused: no entity expansion, no DTD fetch
            if element.tag.endswith("}si") or element.tag == "si":
                longest = max(longest, sum(len(text) for text in element.itertext()))
                element.clear()
    return longest


# The grid of cells calamine builds for the first sheet, from A1 to its farthest value: the
# largest table allowed fits; a value far from the data (a stray cell in XFD1048576) would
# make it billions of cells, which no memory holds.
MAX_SHEET_CELLS = (MAX_ROWS + 1) * MAX_COLUMNS
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _count(archive: zipfile.ZipFile, part: str, text: bytes) -> int:
    """How many times `text` occurs in a part of the archive, read a megabyte at a time."""
    count, tail = 0, b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            joined = tail + chunk
            count += joined.count(text)
            # What could start an occurrence that the next chunk ends (too short to hold
            # one already counted).
            tail = joined[-(len(text) - 1):]
    return count


def _refuse_far_cells(archive: zipfile.ZipFile, part: str | None, name: str) -> None:
    """DataError naming the first sheet's farthest cells when a value lies so far from A1
    that the sheet's grid would pass MAX_SHEET_CELLS. The sheet's cells are only looked at
    when its own stated extent (`<dimension>`) is that large or missing."""
    if part is None:
        return
    with archive.open(part) as sheet:
        head = sheet.read(4096).decode("utf-8", "replace")
    stated = re.search(r'<(?:\w+:)?dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"', head)
    if stated and _grid(stated.group(1), int(stated.group(2))) <= MAX_SHEET_CELLS:
        return
    farthest = {"row": (0, ""), "column": (0, "")}
    with archive.open(part) as sheet:
        for _, element in iterparse(sheet):
            if element.tag in (f"{_MAIN}c", "c") and any(
                    (child.text or "").strip() or len(child)
                    for child in element if child.tag.rsplit("}", 1)[-1] in ("v", "is")):
                reference = element.get("r") or ""
                found = re.fullmatch(r"([A-Z]{1,3})(\d{1,7})", reference)
                if found:
                    row, column = int(found.group(2)), _column_number(found.group(1))
                    farthest["row"] = max(farthest["row"], (row, reference))
                    farthest["column"] = max(farthest["column"], (column, reference))
            if element.tag in (f"{_MAIN}row", "row"):
                element.clear()
    (rows, far_row), (columns, far_column) = farthest["row"], farthest["column"]
    if rows * columns > MAX_SHEET_CELLS:
        cells = " and ".join(dict.fromkeys((far_row, far_column)))
        raise DataError([Problem(name, "file", "-", (
            f"the first sheet has a value in {cells}, so far from the rest that reading it "
            f"would need a grid of {rows:,} rows by {columns:,} columns: delete that cell "
            f"(or move it next to the data), save the workbook and add it again"))])


def _first_sheet(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """The part of the workbook's first sheet (the one read), from the workbook's own list."""
    try:
        workbook = archive.read("xl/workbook.xml")
        first = next((element.get(_RELATION) for _, element in iterparse(io.BytesIO(workbook))
                      if element.tag == f"{_MAIN}sheet"), None)
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in names else None
    for _, element in iterparse(io.BytesIO(relations)):
        if element.get("Id") == first:
            target = element.get("Target") or ""
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return part if part in names else None
    return None


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _grid(column: str, row: int) -> int:
    return _column_number(column) * row


def _calamine_rows(data: bytes):
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.sheet_names, iter(book.get_sheet_by_index(0).iter_rows())


def _openpyxl_rows(data: bytes):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles it does not read
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return book.sheetnames, book.worksheets[0].iter_rows(values_only=True)


def _cell(value) -> str:
    if isinstance(value, str):
        return value  # as it is: a long one is refused before any copy is made of it
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()  # a date: spreadsheets store it as its midnight
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _text(value) -> str:
    """A property value as the text shown: strings as they are, the rest as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, ensure_ascii=False)


def read_geojson(data: bytes, name: str) -> Table:
    from shapely.geometry import shape

    try:
        collection = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise DataError([Problem(name, "file", "-", f"GeoJSON must be UTF-8 text (byte "
                                 f"0x{data[error.start]:02x} at {error.start})")]) from None
    except (ValueError, RecursionError) as error:
        raise DataError([Problem(name, "file", "-", f"not valid JSON: {error}")]) from None
    if isinstance(collection, dict) and collection.get("type") == "Feature":
        collection = {"type": "FeatureCollection", "features": [collection]}
    if not (isinstance(collection, dict) and collection.get("type") == "FeatureCollection"
            and isinstance(collection.get("features"), list)):
        raise DataError([Problem(name, "file", "-", "not a GeoJSON FeatureCollection (an "
                                 "object with \"type\": \"FeatureCollection\" and a list of "
                                 "\"features\")")])
    crs = collection.get("crs")
    if crs is not None and "4326" not in json.dumps(crs) and "CRS84" not in json.dumps(crs):
        raise DataError([Problem(name, "file", "crs", f"coordinates in {_text(crs)}: save "
                                 f"the file in WGS 84 longitude/latitude (EPSG:4326)")])
    features = collection["features"][:MAX_ROWS + 1]
    columns: dict[str, None] = {}  # the property names, in order of first use
    read: list[dict[str, str]] = []
    geometries: list = []
    budget = _Budget(name)
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict):
            budget.problem(where, "-", "not a GeoJSON Feature object")
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            budget.problem(where, "properties", "not an object")
            continue
        row = {}
        for key, value in properties.items():
            key = plain_text(str(key)).strip()
            if key:
                columns.setdefault(key, None)
                if len(columns) > MAX_COLUMNS:
                    raise DataError([Problem(name, where, "properties", f"more than "
                                             f"{MAX_COLUMNS} property names: at most "
                                             f"{MAX_COLUMNS} are read")])
                row[key] = budget.cell(_text(value), where, key)
        budget.row(len(columns), where)
        raw = feature.get("geometry")
        try:
            geometry = None if raw is None else shape(raw)
        except Exception as error:  # shapely raises several types for malformed geometry
            budget.problem(where, "geometry", f"malformed geometry: {error}")
            continue
        read.append(row)
        geometries.append(geometry)
    budget.done()
    names = _header(columns, name)
    rows = tuple({column: row.get(column, "") for column in names} for row in read)
    return Table("geojson", names, rows, tuple(f"feature {n}" for n in range(1, len(rows) + 1)),
                 tuple(geometries))


def read_gpkg(data: bytes, name: str) -> Table:
    import pyogrio

    if data[68:72] not in (b"GPKG", b"GP10", b"GP11"):
        raise DataError([Problem(name, "file", "-", "an SQLite database, but not a "
                                 "GeoPackage (no GeoPackage application id)")])
    try:
        with warnings.catch_warnings():
            # GDAL warns that a buffer has no .gpkg extension: it has no name at all.
            warnings.simplefilter("ignore", RuntimeWarning)
            layers = pyogrio.list_layers(io.BytesIO(data))
            if not len(layers):
                raise DataError([Problem(name, "file", "-", "the GeoPackage holds no layer")])
            frame = pyogrio.read_dataframe(io.BytesIO(data), layer=layers[0][0],
                                           max_features=MAX_ROWS + 1)
    except DataError:
        raise
    except Exception as error:  # pyogrio's DataSourceError, DataLayerError, GDAL errors
        raise DataError([Problem(name, "file", "-", f"not a readable GeoPackage: "
                                 f"{error}")]) from None
    notes = [f"layer '{layers[0][0]}'" + (f" (the first of {len(layers)})"
                                          if len(layers) > 1 else "")]
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        original = frame.crs.name
        try:
            frame = frame.to_crs("EPSG:4326")
        except Exception as error:
            raise DataError([Problem(name, "file", "crs", f"cannot convert {frame.crs.name} "
                                     f"to longitude/latitude: {error}")]) from None
        notes.append(f"converted from {original} to longitude/latitude (WGS 84)")
    original_columns = [c for c in frame.columns if c != frame.geometry.name]
    columns, budget, rows = _header(original_columns, name), _Budget(name), []
    for number, values in enumerate(frame[original_columns].itertuples(index=False, name=None),
                                    start=1):
        where = f"feature {number}"
        budget.row(len(columns), where)
        rows.append({column: budget.cell(_text(None if _missing(value) else value), where,
                                         column) for column, value in zip(columns, values)})
    budget.done()
    geometries = tuple(None if g is None or g.is_empty else g for g in frame.geometry)
    return Table("gpkg", columns, tuple(rows), tuple(f"feature {n}" for n in range(1, len(rows) + 1)),
                 geometries, tuple(notes))


def _missing(value) -> bool:
    """NULL in the GeoPackage: None, NaN or NaT once in a data frame."""
    import pandas as pd

    return not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value))


READERS = {"csv": read_csv, "xlsx": read_xlsx, "geojson": read_geojson, "gpkg": read_gpkg}
