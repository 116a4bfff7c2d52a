"""Countries and territories, with how many records of a view touch each (the choropleth)."""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import pandas as pd

from presence.dataset import Dataset

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


def build(dataset: Dataset, records: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Every country in EPSG:4326 with `record_count`: the records of `records` (default: all)
    hosted in it, listing it, or covering it through a named region. The data set's own columns
    `small_state` and `marker_lon/lat` come along (see presence.dataset)."""
    frame = dataset.countries.copy()
    frame["record_count"] = record_counts(dataset, records).to_numpy()
    return frame


def record_counts(dataset: Dataset, records: pd.DataFrame | None = None) -> pd.Series:
    """How many of `records` touch each country, in the order of dataset.countries. An
    approximate extent counts only where it is known to be (its host and the countries its
    source names), not in the region that stands in for the source's words."""
    records = dataset.records if records is None else records
    counts = Counter(iso3 for places in records["counted"] for iso3 in places)
    return pd.Series([counts.get(iso3, 0) for iso3 in dataset.countries.index],
                     index=dataset.countries.index, dtype=int)
