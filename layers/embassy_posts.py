"""Embassy posts, attachés and experts seconded abroad: one point per record."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from layers._build import point_layer
from presence.dataset import Dataset

LAYER = "embassy-post"


def build(dataset: Dataset, records: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Points in EPSG:4326 of the 'embassy-post' records of `records` (default: all records)."""
    return point_layer(dataset, LAYER, records)
