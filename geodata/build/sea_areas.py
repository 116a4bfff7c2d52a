"""Rebuild geodata/sea_areas.geojson: the sea areas sources name in words, drawn as worded.

A source that names a sea ("the Mozambique Channel") names no country, so the data set draws
the sea itself, never the states on its shores. Each area is the box or outline its words
describe, less the land of geodata/countries.geojson: only sea is drawn, and the outline is
written here in words a reader can check, with the source whose words it draws (check-data
holds each sea record to the source it is drawn from). Usage: python geodata/build/sea_areas.py
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import Polygon, box

ROOT = Path(__file__).resolve().parents[2]
COUNTRIES = ROOT / "geodata" / "countries.geojson"
OUTPUT = ROOT / "geodata" / "sea_areas.geojson"

# id: (the source whose words are drawn, its words, how they are read, the shape they
# describe: a box (west, south, east, north) or a ring of (lon, lat) corners, in degrees).
# A ring's corners on land are placed well inland, so that only the coasts cut the sea.
SEA_AREAS = {
    "gulf-of-oman-arabian-sea-gulf-of-aden": (
        "navcent-2023-07",
        "the Gulf of Oman, Arabian Sea and Gulf of Aden",
        "The three seas as the International Hydrographic Organization bounds them, roughly: the "
        "Gulf of Aden from the Bab-el-Mandeb strait (not the Red Sea), the Arabian Sea south to "
        "the line from Ras Hafun (Somalia) to Addu Atoll (Maldives) and east to the Laccadive "
        "Islands, and the Gulf of Oman up to the Strait of Hormuz (not the Persian Gulf).",
        [(43.40, 12.55), (43.9, 13.6), (52.0, 19.0), (56.0, 24.0), (56.35, 25.95), (57.3, 25.78),
         (61.6, 27.5), (68.0, 25.5), (73.0, 22.5), (74.5, 15.5), (74.1, 14.8), (72.0, 11.0),
         (72.7, 4.0), (73.1, -0.7), (51.4, 10.4), (48.0, 9.0), (43.0, 11.3)]),
    "mozambique-channel": (
        "fs05",
        "the Mozambique Channel",
        "The sea between Mozambique and Madagascar, from the line Cabo Delgado – Cap d'Ambre in "
        "the north to the line from southern Mozambique to Cap Sainte-Marie in the south.",
        [(40.5, -10.5), (49.26, -11.95), (47.0, -18.0), (45.15, -25.6), (32.9, -26.8),
         (35.0, -15.0)]),
}
# Degrees: the sea's outline needs no finer detail than the countries it is cut from.
TOLERANCE = 0.05
# Square degrees: bays and lakes smaller than this, cut off from the open sea, are dropped.
MIN_PART = 1.0


def sea_area(land, outline) -> shapely.MultiPolygon:
    shape = box(*outline) if len(outline) == 4 and not isinstance(outline[0], tuple) \
        else Polygon(outline)
    sea = shape.difference(land)
    parts = [part for part in getattr(sea, "geoms", [sea]) if part.area >= MIN_PART]
    shape = shapely.set_precision(shapely.simplify(shapely.MultiPolygon(parts), TOLERANCE),
                                  0.001)
    return shapely.orient_polygons(shape, exterior_cw=True)  # Plotly fills clockwise rings


def main() -> None:
    land = shapely.union_all(gpd.read_file(COUNTRIES).geometry.to_numpy())
    features = []
    for area_id, (source, words, reading, outline) in SEA_AREAS.items():
        features.append({"type": "Feature", "properties": {
            "id": area_id, "source": source, "words": words, "reading": reading},
            "geometry": shapely.geometry.mapping(sea_area(land, outline))})
    OUTPUT.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(features)} sea area(s)")


if __name__ == "__main__":
    main()
