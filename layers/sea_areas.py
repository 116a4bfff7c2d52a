"""Sea areas a source names in words ("the North-Eastern Indian Ocean"): drawn as the sea
itself (geodata/sea_areas.geojson), never as the states on its shores."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from layers._build import CRS, declared, multipolygon, records_of
from presence.dataset import Dataset

LAYER = "sea-area"


def build(dataset: Dataset, records: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """MultiPolygons in EPSG:4326: the sea areas each record names, together."""
    chosen = records_of(dataset, LAYER, records)
    geometry = [multipolygon(shapely.union_all(dataset.sea_areas.loc[list(regions)].to_numpy()))
                for regions in chosen["regions"]]
    return declared(gpd.GeoDataFrame(chosen, geometry=geometry, crs=CRS), LAYER)

