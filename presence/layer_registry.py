"""The map's layers as the data model knows them: what each draws (its geometry type) and
what its records must give, so that the loader can check records against the layer they
name. How a layer's records become geometry is layers/'s job (layers.LAYER_FRAMES)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayerSpec:
    id: str
    label_en: str
    label_fr: str
    geometry_type: str  # "Point" or "MultiPolygon"
    needs_location: bool  # lon/lat of the place (point layers; hub of a coverage zone)
    needs_footprint: bool  # countries and/or regions to dissolve into an area


LAYERS: dict[str, LayerSpec] = {
    spec.id: spec
    for spec in (
        LayerSpec("embassy-post", "Embassy posts and seconded experts",
                  "Postes en ambassade et experts détachés", "Point", True, False),
        LayerSpec("school", "Schools and training centres", "Écoles et centres de formation",
                  "Point", True, False),
        LayerSpec("centre", "Fusion, rescue and coordination centres; regional organisations",
                  "Centres de fusion, de sauvetage et de coordination ; organisations régionales",
                  "Point", True, False),
        LayerSpec("detachment", "Detachments and deployed units",
                  "Détachements et unités déployées", "Point", True, False),
        LayerSpec("coverage-zone", "Coverage zones of regional offices",
                  "Zones de compétence des services régionaux", "MultiPolygon", True, True),
        LayerSpec("project-footprint", "Cooperation project footprints",
                  "Emprises des projets de coopération", "MultiPolygon", False, True),
        LayerSpec("sea-area", "Sea areas, as the sources word them",
                  "Espaces maritimes, tels que les sources les nomment", "MultiPolygon", False,
                  True),
        # Layers that users bring (presence/imported/): each file is a theme of its own.
        LayerSpec("imported-point", "Imported places", "Lieux importés", "Point", True, False),
        LayerSpec("imported-area", "Imported areas", "Zones importées", "MultiPolygon", False,
                  False),
    )
}

POINT_LAYERS = tuple(k for k, spec in LAYERS.items() if spec.geometry_type == "Point")
AREA_LAYERS = tuple(k for k, spec in LAYERS.items() if spec.geometry_type != "Point")
# Areas filled in their theme's colour (coverage zones are outlines with spokes).
FILLED_AREA_LAYERS = ("project-footprint", "sea-area", "imported-area")
