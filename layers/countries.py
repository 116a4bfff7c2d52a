"""Countries and territories, with how many records of a view touch each (the choropleth)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from presence.dataset import Dataset

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
# Below this land area a country is a speck at world scale and gets a marker as well.
SMALL_STATE_KM2 = 25_000
EQUAL_AREA = "EPSG:6933"


def build(dataset: Dataset, records: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Every country in EPSG:4326 with `record_count`: the records of `records` (default: all)
    hosted in it, listing it, or covering it through a region; `small_state`, true where its
    polygons vanish at world scale; and `marker_lon/lat`, a point inside it for its symbol."""
    records = dataset.records if records is None else records
    counts = pd.Series(
        [iso3 for places in records["places"] for iso3 in places], dtype="string"
    ).value_counts()
    frame = dataset.countries.copy()
    frame["record_count"] = counts.reindex(frame.index, fill_value=0).astype(int).to_numpy()
    points = frame.geometry.representative_point()
    frame["marker_lon"], frame["marker_lat"] = points.x, points.y
    frame["small_state"] = frame.geometry.to_crs(EQUAL_AREA).area < SMALL_STATE_KM2 * 1e6
    return frame
