"""Countries and territories, with how many records of a view touch each (the choropleth)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from presence.dataset import Dataset

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


def build(dataset: Dataset, records: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Every country in EPSG:4326 with `record_count`: the records of `records` (default: all)
    hosted in it, listing it, or covering it through a region. The data set's own columns
    `small_state` and `marker_lon/lat` come along (see presence.dataset)."""
    records = dataset.records if records is None else records
    counts = pd.Series(
        [iso3 for places in records["places"] for iso3 in places], dtype="string"
    ).value_counts()
    frame = dataset.countries.copy()
    frame["record_count"] = counts.reindex(frame.index, fill_value=0).astype(int).to_numpy()
    return frame
