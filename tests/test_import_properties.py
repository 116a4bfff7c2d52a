"""Property tests of the import: whatever a brought file holds — any bytes, malformed CSV or
GeoJSON, invalid or self-intersecting geometry, coordinates out of range, thousands of
columns, odd encodings, markup — the result is a layer with one record per row, every one
placed on the globe, or a DataError naming file, row and field; never another exception, a
hang, or part of a layer."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from presence.errors import DataError
from presence.imported.reading import read_table
from presence.imported.rows import MAX_LABEL_CHARS, default_settings, layer_from_table
from presence.loader import load_dataset
from presence.text import plain_text
from tests.test_loader_properties import MARKUP, NUMBERS, ODD_TEXT, examples

SETTINGS = settings(max_examples=examples(200), deadline=20_000,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
NAME = "brought.file"


@pytest.fixture(scope="module")
def base():
    return load_dataset()


def layer_or_problems(base, data: bytes, label: str | None = None):
    """The import's outcome, checked: a whole layer of valid records, or named problems."""
    try:
        table = read_table(data, NAME)
        chosen = default_settings(table, NAME)
        if label is not None and label in table.columns:
            chosen = chosen.model_copy(update={"label": label})
        layer = layer_from_table(table, chosen, base, "import-x", NAME, "#CC79A7")
    except DataError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file == NAME and problem.record and problem.field and problem.message
        return None
    records = layer.records
    assert len(records) == len(table.rows)  # every row, or none
    assert records["name_en"].map(lambda name: isinstance(name, str) and name != "").all()
    points = records[records["layer"] == "imported-point"]
    assert points["lon"].between(-180, 180).all() and points["lat"].between(-90, 90).all()
    areas = records[records["layer"] == "imported-area"]
    for shape, countries in zip(areas["shape"], areas["countries"]):
        assert (shape is not None and shape.is_valid) or countries
    return layer


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_any_bytes_give_a_layer_or_named_problems(base, data):
    layer_or_problems(base, data)


def csv_bytes(header, rows, delimiter, encoding) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


CELL = st.one_of(ODD_TEXT, NUMBERS.map(str))


@SETTINGS
@given(rows=st.lists(st.tuples(CELL, CELL, CELL, CELL), min_size=1, max_size=30),
       header=st.sampled_from([("name", "type", "lat", "lon"), ("nom", "catégorie", "Latitude", "Longitude"),
                               ("name", "type", "iso3", "notes"), ("label", "kind", "country", "x")]),
       delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
def test_any_csv_cells_in_any_encoding_give_a_layer_or_named_problems(base, rows, header,
                                                                       delimiter, encoding):
    layer = layer_or_problems(base, csv_bytes(header, rows, delimiter, encoding))
    if layer is not None and encoding in ("utf-8", "utf-8-sig") and delimiter != ",":
        # Names are kept as written, markup included; control and bidirectional characters
        # are taken out.
        assert list(layer.records["name_en"]) == [plain_text(row[0], lines=True).strip()
                                                  for row in rows]


COORDINATE = st.one_of(st.floats(-200, 200), NUMBERS, st.sampled_from([None, "1", [], {}]))
RING = st.lists(st.lists(COORDINATE, min_size=2, max_size=3), min_size=0, max_size=8)
GEOMETRY = st.one_of(
    st.builds(lambda c: {"type": "Point", "coordinates": c}, st.lists(COORDINATE, max_size=3)),
    st.builds(lambda r: {"type": "Polygon", "coordinates": [r + r[:1]]}, RING),
    st.builds(lambda r: {"type": "MultiPolygon", "coordinates": [[r]]}, RING),
    st.builds(lambda r: {"type": "LineString", "coordinates": r}, RING),
    st.sampled_from([None, {}, {"type": "Circle"}, "POINT (1 2)", [1, 2],
                     {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]},
                     {"type": "GeometryCollection", "geometries": []}]),
)
PROPERTIES = st.one_of(st.none(), st.dictionaries(st.one_of(ODD_TEXT, st.just("name")),
                                                  st.one_of(ODD_TEXT, NUMBERS, st.none(),
                                                            st.lists(st.integers(), max_size=3)),
                                                  max_size=6), st.just("not an object"))


@SETTINGS
@given(features=st.lists(st.fixed_dictionaries({"type": st.just("Feature"), "geometry": GEOMETRY,
                                                "properties": PROPERTIES}), max_size=12),
       wrapper=st.sampled_from(["collection", "single", "list", "junk"]))
def test_any_geojson_gives_a_layer_or_named_problems(base, features, wrapper):
    document = {"collection": {"type": "FeatureCollection", "features": features},
                "single": features[0] if features else {},
                "list": features, "junk": {"type": "FeatureCollection", "features": "x"}}[wrapper]
    layer_or_problems(base, json.dumps(document, allow_nan=True).encode(), label="name")


@SETTINGS
@given(columns=st.integers(1, 3000), text=MARKUP)
# Found by the bench's fuzz run: the sniffer, given a row cut short, took the cells' bars
# for the delimiter of these comma-separated files (presence/imported/reading._whole_lines).
@example(columns=434, text="=cmd|' /C calc'!A0")
@example(columns=358, text="=cmd|' /C calc'!A0")
def test_any_number_of_columns_gives_a_layer_or_named_problems(base, columns, text):
    header = [f"c{i}" for i in range(columns)] + ["lat", "lon"]
    row = [text] * columns + ["1.5", "2.5"]
    layer = layer_or_problems(base, csv_bytes(header, [row], ",", "utf-8"))
    # Refused only for too many columns, a NUL byte (not a text file), or a label that is
    # empty once control and bidirectional characters are taken out, or longer than a
    # record's name may be.
    label = plain_text(text, lines=True).strip()
    assert (layer is None) == (columns + 2 > 500 or "\x00" in text or not label
                               or len(label) > MAX_LABEL_CHARS)
