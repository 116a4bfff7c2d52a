"""Records as geometry: one function per way a layer draws its records, and what they share
(picking a layer's records with their legend category, dissolving countries, checking the
declared geometry type)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon

from presence.dataset import Dataset
from presence.layer_registry import LAYERS

CRS = "EPSG:4326"


def records_of(dataset: Dataset, layer: str, records: pd.DataFrame | None) -> pd.DataFrame:
    """The records of one layer, from `records` (a filtered view) or from the whole data set."""
    records = dataset.records if records is None else records
    chosen = records[records["layer"] == layer]
    taxonomy = dataset.categories[["symbol", "colour", "label_en", "label_fr"]].add_prefix(
        "category_")
    return chosen.join(taxonomy, on="category")


def points(dataset: Dataset, layer: str, records: pd.DataFrame | None) -> gpd.GeoDataFrame:
    """Points at each record's own lon/lat."""
    chosen = records_of(dataset, layer, records)
    geometry = gpd.points_from_xy(chosen["lon"], chosen["lat"], crs=CRS)
    return declared(gpd.GeoDataFrame(chosen, geometry=geometry, crs=CRS), layer)


def footprints(dataset: Dataset, layer: str, records: pd.DataFrame | None) -> gpd.GeoDataFrame:
    """Each record's countries and regions dissolved into one area."""
    chosen = records_of(dataset, layer, records)
    geometry = [footprint(dataset, countries) for countries in chosen["footprint"]]
    return declared(gpd.GeoDataFrame(chosen, geometry=geometry, crs=CRS), layer)


def coverage_zones(dataset: Dataset, layer: str,
                   records: pd.DataFrame | None) -> gpd.GeoDataFrame:
    """The countries a regional office covers, with the office at hub_lon/hub_lat. The host
    country is not part of the zone: the zone is what the office covers beyond it."""
    frame = footprints(dataset, layer, records)
    frame["hub_lon"] = frame["lon"]
    frame["hub_lat"] = frame["lat"]
    return frame


def sea_areas(dataset: Dataset, layer: str, records: pd.DataFrame | None) -> gpd.GeoDataFrame:
    """Sea areas a source names in words ("the North-Eastern Indian Ocean"), drawn as the sea
    itself (geodata/sea_areas.geojson), never as the states on its shores: the sea areas
    each record names, together."""
    chosen = records_of(dataset, layer, records)
    geometry = [multipolygon(shapely.union_all(dataset.sea_areas.loc[list(regions)].to_numpy()))
                for regions in chosen["regions"]]
    return declared(gpd.GeoDataFrame(chosen, geometry=geometry, crs=CRS), layer)


def own_shapes(dataset: Dataset, layer: str, records: pd.DataFrame | None) -> gpd.GeoDataFrame:
    """Areas from files users bring (presence/imported/, which orients them): their own
    polygons, or the countries a row names dissolved into one area."""
    chosen = records_of(dataset, layer, records)
    shapes = chosen["shape"] if "shape" in chosen else [None] * len(chosen)
    geometry = [shape if shape is not None else footprint(dataset, countries)
                for shape, countries in zip(shapes, chosen["footprint"])]
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
