"""The polygons the map's area traces draw: the countries, the areas with a shape of their
own, and the dotted outlines of approximate extents."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from layers import layer_frame
from layers.geometry import footprint
from presence.dataset import Dataset
from presence.memo import per_dataset

AREA_TOLERANCE = 0.1  # degrees; areas are translucent overlays, drawn over exact borders
# Lighter polygons for the screen, by tolerance in degrees (coarsest first): a frame where
# one pixel spans at least that much draws them. They differ from the full ones by about a
# pixel, and Plotly, which projects every vertex again on every change of view, redraws a
# world map a third faster. Exports keep every detail.
SCREEN_TOLERANCES = (0.2, 0.1)
# The coarsest are drawn only where a pixel spans 0.2° or more (a world map): there an island
# under a quarter of such a pixel, (0.1°)², shows as nothing, yet costs Plotly as much as any
# shape on every redraw. Those files leave them out, keeping each country's largest part: the
# countries' 4,064 parts become 1,537, their 29,169 vertices 18,961. The finer ones keep every
# island: the 0.1° areas are also those exports draw.
WORLD_TOLERANCE = SCREEN_TOLERANCES[0]
SPECK = (WORLD_TOLERANCE / 2) ** 2  # square degrees
# Areas drawn by their own shape; named project footprints are drawn country by country,
# stand-ins by pieces (stand_in_pieces).
OWN_SHAPE_LAYERS = ("coverage-zone", "sea-area", "imported-area")
# Degrees: a dotted outline needs no finer detail, and islands below OUTLINE_MIN_AREA (square
# degrees) keep only their faint fill, so a filter change stays a few kilobytes.
OUTLINE_TOLERANCE = 0.5
OUTLINE_MIN_AREA = 0.5


@dataclass(frozen=True)
class GeoSources:
    """The two GeoJSON the map's area traces draw from: embedded dicts, or URLs the browser
    fetches once each (Plotly caches a GeoJSON by its URL for every trace that names it).
    `screen` holds lighter ones by tolerance (SCREEN_TOLERANCES), for the dashboard."""

    countries: str | dict
    areas: str | dict
    screen: tuple[tuple[float, GeoSources], ...] = ()

    @classmethod
    def embedded(cls, dataset: Dataset) -> GeoSources:
        return cls(countries_geojson(dataset), areas_geojson(dataset))

    def drawn_at(self, degrees_per_pixel: float) -> tuple[GeoSources, float | None]:
        """The polygons to draw where one pixel spans `degrees_per_pixel`, and their
        tolerance (None: every detail)."""
        for tolerance, lighter in self.screen:
            if tolerance <= degrees_per_pixel:
                return lighter, tolerance
        return self, None


# Placeholders a figure names its geometry by until figures.fact_sheet.embed_geometry puts
# in what each trace draws: plotly would spend seconds copying and comparing megabytes of
# GeoJSON it does not need to look at (3.5 s of a world map's 4 s when embedded whole).
BY_NAME = GeoSources(countries="countries", areas="areas")


def countries_geojson(dataset: Dataset, tolerance: float | None = None) -> dict:
    """The country polygons as GeoJSON keyed by iso3; with a tolerance (degrees), simplified
    as a coverage, so that neighbours still meet."""
    countries = dataset.countries[["iso3", "geometry"]]
    if tolerance is not None:
        # Clockwise outer rings, as plotly.js's d3-geo reads them: an anticlockwise ring
        # is the rest of the globe.
        countries = countries.set_geometry(shapely.orient_polygons(
            simplified_countries(dataset, tolerance), exterior_cw=True))
    return json.loads(countries.to_json(drop_id=True))


@per_dataset
def _simplified(dataset: Dataset) -> dict[float, object]:
    return {}


def simplified_countries(dataset: Dataset, tolerance: float):
    """The countries' shapes simplified as a coverage (neighbours still meet), once per data
    set and tolerance: the countries' file and the areas' file of one tolerance share them."""
    found = _simplified(dataset)
    if tolerance not in found:
        shapes = dataset.countries.geometry.to_numpy()
        if tolerance >= WORLD_TOLERANCE:
            shapes = without_specks(shapes)
        found[tolerance] = shapely.coverage_simplify(shapes, tolerance)
    return found[tolerance]


def without_specks(shapes):
    """Each shape without its parts under SPECK square degrees, but for its largest."""
    kept = []
    for shape in shapes:
        parts = shapely.get_parts(shape)
        if len(parts) < 2:
            kept.append(shape)
            continue
        areas = shapely.area(parts)
        keep = (areas >= SPECK) | (areas == areas.max())
        kept.append(shape if keep.all() else shapely.multipolygons(parts[keep]))
    return np.array(kept, dtype=object)


def areas_geojson(dataset: Dataset, tolerance: float = AREA_TOLERANCE) -> dict:
    """The polygons the area traces draw from. Every country (id 'country:ISO3'), simplified
    as a coverage so that neighbours still meet: a project footprint fills each country it
    covers, so the features drawn are bounded by the countries, whatever the number of
    records. One feature per coverage zone and imported area, keyed by record id: a zone
    is its countries dissolved (its outline has no inner borders), an imported area the
    file's own shape. And one per piece of the stand-ins (`stand_in_pieces`), 'stand-in:N'."""
    codes = dataset.countries.index
    countries = simplified_countries(dataset, tolerance)
    frames = [layer_frame(dataset, layer) for layer in OWN_SHAPE_LAYERS]
    pieces = stand_in_pieces(dataset).pieces
    ids = [f"country:{code}" for code in codes] + [
        record_id for frame in frames for record_id in frame.index] + [
        f"stand-in:{number}" for number in range(len(pieces))]
    own = shapely.simplify([g for frame in frames for g in frame.geometry], tolerance,
                           preserve_topology=True)
    # A stand-in's piece is its countries dissolved: their simplified shapes meet, so the
    # union leaves no inner border, and the map draws one path where it drew a dozen.
    dissolved = [shapely.coverage_union_all(countries[codes.get_indexer(piece)])
                 for piece in pieces]
    shapes = shapely.orient_polygons(
        shapely.set_precision([*countries, *own, *dissolved], 0.001), exterior_cw=True)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": area_id}, "geometry": shape.__geo_interface__}
        for area_id, shape in zip(ids, shapes)]}


def made_from(dataset: Dataset, kind: str) -> bytes:
    """What a file of `kind` ("countries" or "areas") is drawn from, for the digest that
    names it: the countries' codes and shapes, and for the areas also each own-shape
    record's id and shape."""
    parts = [*shapely.to_wkb(dataset.countries.geometry.to_numpy()),
             "|".join(dataset.countries.index).encode()]
    if kind == "areas":
        for layer in OWN_SHAPE_LAYERS:
            frame = layer_frame(dataset, layer)
            parts += [*shapely.to_wkb(frame.geometry.to_numpy()), "|".join(frame.index).encode()]
        # An edit that moves a stand-in cuts the pieces anew: a new file.
        parts.append("|".join(",".join(piece) for piece in stand_in_pieces(dataset).pieces).encode())
    return b"\0".join(parts)


@dataclass(frozen=True)
class StandIns:
    """Where a source names a region, not countries, its record's footprint is the region's
    countries standing in for its words, drawn as one faint fill. The countries of every
    such stand-in, cut into pieces that each lie in the same stand-ins: whatever stand-ins a
    view shows, a theme's fill is a few whole pieces, none drawn twice (a piece in two shown
    stand-ins of a theme would be darker), and each piece is one dissolved shape in the
    areas' file."""

    pieces: tuple[tuple[str, ...], ...]  # each piece's countries (iso3), sorted
    of: dict[frozenset[str], tuple[int, ...]]  # each stand-in's pieces, by its countries


@per_dataset
def stand_in_pieces(dataset: Dataset) -> StandIns:
    records = dataset.records
    kept = (records["layer"] == "project-footprint") & (records["extent"] == "approximate")
    footprints = list(dict.fromkeys(records.loc[kept, "footprint"].tolist()))
    inside: dict[str, list[int]] = {}  # each country's stand-ins, by number
    for number, countries_in in enumerate(footprints):
        for iso3 in countries_in:
            inside.setdefault(iso3, []).append(number)
    grouped: dict[tuple[int, ...], list[str]] = {}
    for iso3 in sorted(inside):
        grouped.setdefault(tuple(inside[iso3]), []).append(iso3)
    pieces = tuple(tuple(countries_in) for countries_in in grouped.values())
    return StandIns(pieces, {
        countries_in: tuple(piece for piece, numbers in enumerate(grouped) if number in numbers)
        for number, countries_in in enumerate(footprints)})


@per_dataset
def approximate_footprints(dataset: Dataset) -> tuple[frozenset[str], ...]:
    """The distinct areas that approximate records draw, in record order: each gets a dotted
    outline trace of its own, drawn once, which a change of view only shows or hides."""
    return tuple(dict.fromkeys(key for key in outlined(dataset.records) if key))


def outlined(records: pd.DataFrame) -> list[frozenset[str]]:
    """What each approximate record's dotted outline goes round: its countries, or for a
    sea area (which holds none) the sea areas it names."""
    # Read as plain lists: every view asks, and a selection of the records copies them all.
    return [frozenset(regions) if layer == "sea-area" else footprint
            for extent, layer, footprint, regions in zip(
                records["extent"].tolist(), records["layer"].tolist(),
                records["footprint"].tolist(), records["regions"].tolist())
            if extent == "approximate"]


# Outlines by area, for the countries' geometry they were drawn from: every layout and every
# export builds the map, and the outlines of one geometry never change.
_outlines: dict[frozenset[str], tuple[list, list]] = {}
_outlines_of: list = [None]


def outline(dataset: Dataset, countries_in: frozenset[str]) -> tuple[list, list]:
    """An area's outline as lon and lat lists, rings separated by None."""
    if _outlines_of[0] is not dataset.countries:
        _outlines.clear()
        _outlines_of[0] = dataset.countries
    if countries_in not in _outlines:
        _outlines[countries_in] = _draw_outline(dataset, countries_in)
    return _outlines[countries_in]


def _draw_outline(dataset: Dataset, countries_in: frozenset[str]) -> tuple[list, list]:
    seas = dataset.sea_areas
    area = shapely.union_all(seas.loc[sorted(countries_in)].to_numpy()) \
        if countries_in <= set(seas.index) else footprint(dataset, countries_in)
    shape = shapely.simplify(area, OUTLINE_TOLERANCE, preserve_topology=True)
    lons: list = []
    lats: list = []
    for part in getattr(shape, "geoms", [shape]):
        if part.area < OUTLINE_MIN_AREA:
            continue
        xs, ys = part.exterior.xy
        lons += [round(x, 1) for x in xs] + [None]
        lats += [round(y, 1) for y in ys] + [None]
    return lons, lats
