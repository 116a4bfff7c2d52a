"""Places from files users bring (presence/imports.py), at their own coordinates."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from layers._build import point_layer
from presence.dataset import Dataset

LAYER = "imported-point"


def build(dataset: Dataset, records: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Points in EPSG:4326."""
    return point_layer(dataset, LAYER, records)
