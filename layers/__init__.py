"""The map layers: one module each, each turning validated records into a GeoDataFrame.

LAYERS declares what every layer draws (its geometry type) and what its records must give,
so that the loader can check records against the layer they name.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class LayerSpec:
    id: str
    label_en: str
    label_fr: str
    geometry_type: str  # "Point" or "MultiPolygon"
    needs_location: bool  # lon/lat of the place (point layers; hub of a coverage zone)
    needs_footprint: bool  # countries and/or regions to dissolve into an area
    module: str  # the module of layers/ that builds it


LAYERS: dict[str, LayerSpec] = {
    spec.id: spec
    for spec in (
        LayerSpec("embassy-post", "Embassy posts and seconded experts",
                  "Postes en ambassade et experts détachés", "Point", True, False, "embassy_posts"),
        LayerSpec("school", "Schools and training centres", "Écoles et centres de formation",
                  "Point", True, False, "schools"),
        LayerSpec("centre", "Fusion, rescue and coordination centres; regional organisations",
                  "Centres de fusion, de sauvetage et de coordination ; organisations régionales",
                  "Point", True, False, "centres"),
        LayerSpec("detachment", "Detachments and deployed units", "Détachements et unités déployées",
                  "Point", True, False, "detachments"),
        LayerSpec("coverage-zone", "Coverage zones of regional offices",
                  "Zones de compétence des services régionaux", "MultiPolygon", True, True, "coverage_zones"),
        LayerSpec("project-footprint", "Cooperation project footprints",
                  "Emprises des projets de coopération", "MultiPolygon", False, True, "project_footprints"),
        LayerSpec("sea-area", "Sea areas, as the sources word them",
                  "Espaces maritimes, tels que les sources les nomment", "MultiPolygon", False,
                  True, "sea_areas"),
        # Layers that users bring (presence/imports.py): each file is a theme of its own.
        LayerSpec("imported-point", "Imported places", "Lieux importés", "Point", True, False,
                  "imported_points"),
        LayerSpec("imported-area", "Imported areas", "Zones importées", "MultiPolygon", False,
                  False, "imported_areas"),
    )
}

POINT_LAYERS = tuple(k for k, spec in LAYERS.items() if spec.geometry_type == "Point")
AREA_LAYERS = tuple(k for k, spec in LAYERS.items() if spec.geometry_type != "Point")
# Areas filled in their theme's colour (coverage zones are outlines with spokes).
FILLED_AREA_LAYERS = ("project-footprint", "sea-area", "imported-area")


def build_layer(dataset, layer: str, records=None):
    """The GeoDataFrame of one layer for `records` (default: every record of the data set)."""
    return importlib.import_module(f"layers.{LAYERS[layer].module}").build(dataset, records)
