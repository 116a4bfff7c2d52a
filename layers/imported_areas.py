"""Areas from files users bring (presence/imports.py): their own polygons, or the countries
a row names dissolved into one area."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from layers._build import CRS, declared, footprint, records_of
from presence.dataset import Dataset

LAYER = "imported-area"


def build(dataset: Dataset, records: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """MultiPolygons in EPSG:4326, clockwise exteriors (presence/imports.py orients them)."""
    chosen = records_of(dataset, LAYER, records)
    shapes = chosen["shape"] if "shape" in chosen else [None] * len(chosen)
    geometry = [shape if shape is not None else footprint(dataset, countries)
                for shape, countries in zip(shapes, chosen["footprint"])]
    return declared(gpd.GeoDataFrame(chosen, geometry=geometry, crs=CRS), LAYER)
