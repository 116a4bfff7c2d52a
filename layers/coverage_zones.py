"""Coverage zones: the countries a regional office covers, and the office itself (the hub)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from layers._build import area_layer
from presence.dataset import Dataset

LAYER = "coverage-zone"


def build(dataset: Dataset, records: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """MultiPolygons in EPSG:4326 of the covered countries, with the office at hub_lon/hub_lat.

    The host country is not part of the zone: the zone is what the office covers beyond it.
    """
    frame = area_layer(dataset, LAYER, records)
    frame["hub_lon"] = frame["lon"]
    frame["hub_lat"] = frame["lat"]
    return frame
