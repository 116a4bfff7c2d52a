"""Property tests: whatever the data files hold — malformed CSV or GeoJSON, invalid or
self-intersecting geometry, coordinates out of range, empty files, thousands of columns, odd
encodings, markup — the loader gives a valid data set or a DataError naming file, record and
field; never another exception, a hang, or a partly loaded data set."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presence.dataset import RECORD_COLUMNS
from presence.errors import DataError
from presence.loader import GEODATA, load_dataset


def examples(usual: int) -> int:
    """A property test's number of examples: `usual` in the suite, scaled by FUZZ_FACTOR in
    the bench's longer fuzz run (bench/fuzz.py)."""
    return max(1, round(usual * float(os.environ.get("FUZZ_FACTOR", "1"))))


SETTINGS = settings(max_examples=examples(30), deadline=30_000,
                    suppress_health_check=[HealthCheck.too_slow])

MARKUP = st.sampled_from(["<script>alert(1)</script>", '<img src=x onerror="x()">', "&amp;",
                          "=cmd|' /C calc'!A0", "\u202e", "\x00", "💥", "Ω" * 300])
ODD_TEXT = st.one_of(st.text(max_size=60), MARKUP,
                     st.sampled_from(["", " ", "nan", "inf", "-1e309", "1e400", "999999999999",
                                      "12,5", "0x10", "NULL", '"', "\n", ";;", "2011-2009"]))
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12))


@contextmanager
def data_copy():
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "geodata"
        shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("build", "*.md",
                                                                       "briefings"))
        yield folder


def records_rows(folder: Path) -> list[dict]:
    with (folder / "records.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_rows(folder: Path, rows: list[dict]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / "records.csv").write_text(out.getvalue(), encoding="utf-8")


def loads_or_names_the_problem(folder: Path, expected_records: int | None = None) -> None:
    try:
        dataset = load_dataset(folder)
    except DataError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file and problem.record and problem.field and problem.message
        return
    if expected_records is not None:  # all or nothing: never some of the rows
        assert len(dataset.records) == expected_records


@SETTINGS
@given(data=st.data())
def test_any_value_in_any_record_field(data):
    with data_copy() as folder:
        rows = records_rows(folder)
        for _ in range(data.draw(st.integers(1, 4))):
            row = data.draw(st.sampled_from(rows))
            field = data.draw(st.sampled_from(RECORD_COLUMNS))
            value = data.draw(st.one_of(ODD_TEXT, NUMBERS.map(str)))
            row[field] = value
        write_rows(folder, rows)
        loads_or_names_the_problem(folder, expected_records=len(rows))


@SETTINGS
@given(content=st.one_of(st.binary(max_size=2000), st.text(max_size=2000)),
       name=st.sampled_from(["records.csv", "themes.csv", "categories.csv", "regions.csv",
                             "sources.csv"]))
def test_any_bytes_in_a_csv_file(content, name):
    with data_copy() as folder:
        target = folder / name
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
        loads_or_names_the_problem(folder)


@SETTINGS
@given(encoding=st.sampled_from(["latin-1", "utf-16", "cp1252", "utf-8-sig"]),
       columns=st.integers(0, 5000))
def test_odd_encodings_and_thousands_of_columns(encoding, columns):
    with data_copy() as folder:
        text = (folder / "records.csv").read_text(encoding="utf-8")
        if columns:
            header, _, rest = text.partition("\n")
            text = header + "".join(f",extra{n}" for n in range(columns)) + "\n" + rest
        (folder / "records.csv").write_bytes(text.encode(encoding, errors="replace"))
        loads_or_names_the_problem(folder)


POLYGONS = st.sampled_from([
    {"type": "Polygon", "coordinates": [[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]},  # bow tie
    {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1]]]},  # not closed
    {"type": "Polygon", "coordinates": [[[0, 0], [0, 500], [500, 500], [0, 0]]]},  # off the globe
    {"type": "Polygon", "coordinates": []},
    {"type": "Point", "coordinates": [2, 48]},
    {"type": "Polygon", "coordinates": [[["a", "b"], [1, 1], [0, 0]]]},
    {"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [0, 1], [0, 0]]]]},  # anticlockwise
    None, "not geometry", {"type": "Circle", "radius": 3},
])


@settings(max_examples=examples(20), deadline=60_000, suppress_health_check=[HealthCheck.too_slow])
@given(geometry=POLYGONS, which=st.integers(0, 248), junk=st.one_of(
    st.none(), st.sampled_from(["", "{", "[]", '{"type": "FeatureCollection"}',
                                '{"type": "FeatureCollection", "features": [1, "x", null]}'])))
def test_broken_country_geometry(geometry, which, junk):
    with data_copy() as folder:
        path = folder / "countries.geojson"
        if junk is not None:
            path.write_text(junk, encoding="utf-8")
        else:
            collection = json.loads(path.read_text(encoding="utf-8"))
            collection["features"][which]["geometry"] = geometry
            path.write_text(json.dumps(collection), encoding="utf-8")
        loads_or_names_the_problem(folder)
