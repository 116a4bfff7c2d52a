"""Cooperation projects and actions: the countries each spans, dissolved into one area."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from layers._build import area_layer
from presence.dataset import Dataset

LAYER = "project-footprint"


def build(dataset: Dataset, records: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """MultiPolygons in EPSG:4326: each record's countries and regions dissolved together."""
    return area_layer(dataset, LAYER, records)
