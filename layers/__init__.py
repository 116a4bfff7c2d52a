"""The map layers as geometry: each layer's records turned into a GeoDataFrame in EPSG:4326
of the geometry type it declares (presence.layer_registry).

LAYER_FRAMES is the one table of how each layer draws its records; `countries` counts the
records of a view per country for the choropleth.
"""

from __future__ import annotations

from layers import geometry
from presence.layer_registry import LAYERS

LAYER_FRAMES = {
    "embassy-post": geometry.points,
    "school": geometry.points,
    "centre": geometry.points,
    "detachment": geometry.points,
    "coverage-zone": geometry.coverage_zones,
    "project-footprint": geometry.footprints,
    "sea-area": geometry.sea_areas,
    "imported-point": geometry.points,
    "imported-area": geometry.own_shapes,
}
assert set(LAYER_FRAMES) == set(LAYERS), "every layer of the registry draws its records"



def layer_frame(dataset, layer: str, records=None):
    """The GeoDataFrame of one layer for `records` (default: every record of the data set)."""
    return LAYER_FRAMES[layer](dataset, layer, records)
