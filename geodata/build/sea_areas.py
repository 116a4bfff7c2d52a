"""Rebuild geodata/sea_areas.geojson: the sea areas sources name in words, drawn as worded.

A source that names a sea ("the North-Eastern Indian Ocean") names no country, so the data
set draws the sea itself, never the states on its shores. Each area is the box its words
describe, less the land of geodata/countries.geojson: only sea is drawn, and the box is
written here in words a reader can check. Usage: python geodata/build/sea_areas.py
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[2]
COUNTRIES = ROOT / "geodata" / "countries.geojson"
OUTPUT = ROOT / "geodata" / "sea_areas.geojson"

# id: (the source's words, how they are read, (west, south, east, north) in degrees)
SEA_AREAS = {
    "north-east-indian-ocean": (
        "the North-Eastern Indian Ocean",
        "The Indian Ocean north of the equator and east of 77.5° E (India's southern tip, "
        "where the Arabian Sea ends), to the Malay Peninsula and Sumatra at 100° E: the Bay "
        "of Bengal, the Andaman Sea and the waters south of them to the equator.",
        (77.5, 0.0, 100.0, 24.0)),
}
# Degrees: the sea's outline needs no finer detail than the countries it is cut from.
TOLERANCE = 0.05
# Square degrees: bays and lakes smaller than this, cut off from the open sea, are dropped.
MIN_PART = 1.0


def sea_area(land, bounds) -> shapely.MultiPolygon:
    sea = box(*bounds).difference(land)
    parts = [part for part in getattr(sea, "geoms", [sea]) if part.area >= MIN_PART]
    shape = shapely.set_precision(shapely.simplify(shapely.MultiPolygon(parts), TOLERANCE),
                                  0.001)
    return shapely.orient_polygons(shape, exterior_cw=True)  # Plotly fills clockwise rings


def main() -> None:
    land = shapely.union_all(gpd.read_file(COUNTRIES).geometry.to_numpy())
    features = []
    for area_id, (words, reading, bounds) in SEA_AREAS.items():
        features.append({"type": "Feature", "properties": {
            "id": area_id, "words": words, "reading": reading},
            "geometry": shapely.geometry.mapping(sea_area(land, bounds))})
    OUTPUT.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(features)} sea area(s)")


if __name__ == "__main__":
    main()
