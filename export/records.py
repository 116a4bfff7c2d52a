"""Write the records of a view as CSV (the format of geodata/records.csv) or GeoJSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import pandas as pd

from layers import layer_frame
from presence.dataset import RECORD_COLUMNS, Dataset
from presence.layer_registry import LAYERS

FORMATS = ("csv", "geojson")


def _cell(value) -> str:
    if isinstance(value, tuple):
        return ";".join(value)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…) can
# send what a sheet holds to another machine).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before what would start a
    formula; numbers (-149.559) are left as they are."""
    # A spreadsheet reads a full-width ＝ (or ＋, －, ＠) as the formula sign too.
    if not unicodedata.normalize("NFKC", text[:1]).startswith(FORMULA_STARTS):
        return text
    try:
        float(text)
        return text
    except ValueError:
        return "'" + text


def to_csv(records: pd.DataFrame) -> str:
    """The records in records.csv's own columns, so the output can be loaded back; text that
    a spreadsheet would run as a formula is kept as text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RECORD_COLUMNS)
    for _, row in records.iterrows():
        writer.writerow([spreadsheet_safe(_cell(row[column])) for column in RECORD_COLUMNS])
    return buffer.getvalue()


def to_geojson(dataset: Dataset, records: pd.DataFrame) -> str:
    """One feature per record: a Point for point layers, the footprint for area layers;
    properties are records.csv's columns, lists as ';'-separated text as in the CSV."""
    geometry_of: dict = {}
    for layer in LAYERS:
        frame = layer_frame(dataset, layer, records)
        geometry_of.update(zip(frame.index, frame.geometry))
    features = []
    for record_id, row in records.iterrows():
        properties = {column: _json_value(row[column]) for column in RECORD_COLUMNS}
        features.append({"type": "Feature", "id": record_id, "properties": properties,
                         "geometry": geometry_of[record_id].__geo_interface__})
    return json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False) + "\n"


def _json_value(value):
    if _cell(value) == "":
        return None
    if isinstance(value, tuple):
        return ";".join(value)
    return value.item() if hasattr(value, "item") else value  # numpy scalars to plain JSON
