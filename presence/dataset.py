"""The validated data set in memory: countries, taxonomy, regions, sources and records."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

# Below this land area a country is a speck at world scale and gets a marker as well.
SMALL_STATE_KM2 = 25_000
EQUAL_AREA = "EPSG:6933"

# Columns of records.csv, in file order: what `records --format csv` writes back.
RECORD_COLUMNS = (
    "id", "layer", "theme", "category", "name_en", "name_fr", "host_iso3", "city", "lon", "lat",
    "place_basis", "countries", "regions", "actor", "partner", "year_start", "year_end",
    "personnel", "description", "source", "source_section",
)


@dataclass(frozen=True)
class Dataset:
    folder: Path
    countries: gpd.GeoDataFrame  # indexed by iso3
    themes: pd.DataFrame  # indexed by id, in legend order
    categories: pd.DataFrame  # indexed by id
    sources: pd.DataFrame  # indexed by id
    regions: pd.DataFrame  # indexed by id
    region_members: dict[str, frozenset[str]]
    # indexed by id, in file order; derived columns: `footprint` (the countries it lists and
    # those of its regions) and `places` (the footprint and the host country)
    records: pd.DataFrame
    # Imported layer files refused (presence/imports.py); the others are in the frames above.
    import_problems: tuple = ()
    # Names the state of the imported layers ("" with none): a page built on another state
    # gets its map and filters anew.
    version: str = ""

    @classmethod
    def build(cls, *, countries: gpd.GeoDataFrame, records: pd.DataFrame,
              region_members: dict[str, frozenset[str]], **parts) -> Dataset:
        # Derived once at load, not on every filter change: where a country's dot goes, and
        # whether it is small enough to need one.
        countries = countries.copy()
        points = countries.geometry.representative_point()
        countries["marker_lon"], countries["marker_lat"] = points.x, points.y
        countries["small_state"] = countries.geometry.to_crs(EQUAL_AREA).area < SMALL_STATE_KM2 * 1e6
        return cls(countries=countries, records=with_places(records, region_members),
                   region_members=region_members, **parts)


def with_places(records: pd.DataFrame, region_members: dict[str, frozenset[str]]) -> pd.DataFrame:
    """Records with their derived columns: integers that may be missing, `footprint` and
    `places` (see Dataset.records)."""
    records = records.copy()
    for column in ("year_start", "year_end", "personnel"):
        records[column] = records[column].astype("Int64")
    records["footprint"] = [_footprint(row.countries, row.regions, region_members)
                            for row in records.itertuples()]
    records["places"] = [
        footprint | {row.host_iso3} if isinstance(row.host_iso3, str) else footprint
        for footprint, row in zip(records["footprint"], records.itertuples())
    ]
    return records


def _footprint(countries, regions, region_members) -> frozenset[str]:
    """The countries a record's area covers: those it lists and those of its regions."""
    listed = set(countries)
    for region in regions:
        listed |= region_members[region]
    return frozenset(listed)
