"""What the layer modules share: picking a layer's records, taxonomy columns, geometry."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from layers import LAYERS
from presence.dataset import Dataset

CRS = "EPSG:4326"


def records_of(dataset: Dataset, layer: str, records: pd.DataFrame | None) -> pd.DataFrame:
    """The records of one layer, from `records` (a filtered view) or from the whole data set."""
    records = dataset.records if records is None else records
    chosen = records[records["layer"] == layer]
    taxonomy = dataset.categories[["symbol", "colour", "label_en", "label_fr"]].add_prefix(
        "category_")
    return chosen.join(taxonomy, on="category")


def point_layer(dataset: Dataset, layer: str, records: pd.DataFrame | None) -> gpd.GeoDataFrame:
    chosen = records_of(dataset, layer, records)
    geometry = gpd.points_from_xy(chosen["lon"], chosen["lat"], crs=CRS)
    return declared(gpd.GeoDataFrame(chosen, geometry=geometry, crs=CRS), layer)


def area_layer(dataset: Dataset, layer: str, records: pd.DataFrame | None) -> gpd.GeoDataFrame:
    chosen = records_of(dataset, layer, records)
    geometry = [footprint(dataset, countries) for countries in chosen["footprint"]]
    return declared(gpd.GeoDataFrame(chosen, geometry=geometry, crs=CRS), layer)


def footprint(dataset: Dataset, iso3: frozenset[str]) -> MultiPolygon:
    """The countries dissolved into one area, with clockwise exteriors for Plotly."""
    parts = dataset.countries.geometry.loc[sorted(iso3)].to_numpy()
    # Countries share edges exactly (coverage-simplified), so the cheap coverage union applies.
    return multipolygon(shapely.coverage_union_all(parts))


def multipolygon(shape) -> MultiPolygon:
    """An area as the layers declare it: a MultiPolygon with clockwise exteriors (Plotly
    fills the outside of an anticlockwise ring)."""
    shape = shapely.orient_polygons(shape, exterior_cw=True)
    return MultiPolygon([shape]) if isinstance(shape, Polygon) else shape


def declared(frame: gpd.GeoDataFrame, layer: str) -> gpd.GeoDataFrame:
    """Check that every geometry is of the type the layer declares."""
    expected = LAYERS[layer].geometry_type
    wrong = frame[frame.geom_type != expected]
    if len(wrong):
        raise TypeError(f"layer '{layer}': records {list(wrong.index)} are not {expected}")
    return frame
