"""Fusion, rescue and coordination centres, and regional organisations at their seat: one point per record."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from layers._build import point_layer
from presence.dataset import Dataset

LAYER = "centre"


def build(dataset: Dataset, records: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """Points in EPSG:4326 of the 'centre' records of `records` (default: all records)."""
    return point_layer(dataset, LAYER, records)
