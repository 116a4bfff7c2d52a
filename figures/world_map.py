"""The map: countries shaded by records in view, project footprints, coverage zones with their
spokes, the selection, and one marker trace per legend category.

The traces sit in fixed slots (`trace_names`). Geometry and styles are set once by `build_map`;
a change of view only sends `view_data`, the few properties that depend on the records.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from html import escape

import pandas as pd
import plotly.graph_objects as go
import shapely

from figures import labels
from figures.region_fit import fit_to_room, frame_aspect, view_geo
from i18n import attested_note, label
from i18n import labels as labels_in  # `labels` here is the name-placing module
from layers import FILLED_AREA_LAYERS, POINT_LAYERS, build_layer, countries
from layers._build import footprint
from presence.dataset import Dataset
from presence.views import View, filter_mask, filter_records

CHOROPLETH_SCALE = [[0.0, "#f4f4f2"], [0.001, "#dedcd6"], [1.0, "#6b6860"]]
OCEAN = "#e9f1f6"
SELECTION = "#111111"
COVERAGE = "#5a5a5a"
FOOTPRINT_OPACITY = 0.35
DRAWN_COLUMNS = ["layer", "theme", "category", "lon", "lat", "name_en", "name_fr", "short_en",
                 "short_fr", "city", "city_fr", "footprint", "regions", "counted", "extent",
                 "places", "older_as_of", "place_basis"]
# An approximate extent (a stand-in for the source's words) is filled fainter and outlined
# with dots, so that nobody reads it as the list of countries a source gives.
APPROXIMATE_OPACITY = 0.09
APPROXIMATE_LINE = "#3d3a35"
# Degrees: a dotted outline needs no finer detail, and islands below OUTLINE_MIN_AREA (square
# degrees) keep only their faint fill, so a filter change stays a few kilobytes.
OUTLINE_TOLERANCE = 0.5
OUTLINE_MIN_AREA = 0.5


# Sizes of symbols and legend type on screen; presentation mode multiplies them so they read
# from the back of a room.
SIZES = {"category": 11, "small-states": 9, "selection-point": 24, "legend": 11, "label": 11,
         "country-label": 10}
PRESENTING_SCALE = 1.7
LABEL_COLOUR = "#1d1b18"
# Dark enough to read over a footprint's fill.
COUNTRY_LABEL_COLOUR = "#3f3b35"
# A light halo keeps a name legible over any fill.
HALO = "0px 0px 2px #ffffff, 0px 0px 2px #ffffff"
# Symbols are outlined dark, so that they read on the pale ocean and on their theme's fill.
SYMBOL_OUTLINE = {"color": "#1d1b18", "width": 0.8}
# How much of the estimated map area names are placed in (see Room.frame).
ESTIMATE_MARGIN = 1.0
# Legend type is drawn narrower than the names' generous estimate (labels.text_width).
LEGEND_WIDTH_SHARE = 0.9
# The colour bar's box in px (width, height, its two-line title included), in the map's
# lower left corner (south-east Pacific on the world map: no record there), or the right
# one when fewer symbols lie there: names keep off it.
COLOURBAR = (170, 80)
# Lines of the legend kept for the numbers' key (places named by a number).
NUMBERS_KEPT = 3
# Legend entries wrap past this many characters, so the legend keeps a known width.
LEGEND_CHARACTERS = 34


@dataclass(frozen=True)
class Room:
    """The area the map is drawn in (CSS px) and the scale of its type and symbols
    (PRESENTING_SCALE in presentation mode). The legend sits right of the map in a wide
    room, under it in a narrow one; the map's frame is widened to the shape left to it."""

    width: float = 1100
    height: float = 640
    scale: float = 1.0
    # The legend's groups (a theme, the key), each its title and entries, as shown.
    legend: tuple[tuple[str, ...], ...] = ()

    def legend_type(self, legend_right: bool) -> float:
        """The legend's type size: the room's, or beside the map, as large as lets its
        groups stack within the room's height (down to the screen's size): a legend
        running off the bottom of a presentation screen hides its key."""
        size = SIZES["legend"] * self.scale
        if not legend_right:
            return size
        groups = self.legend or (("",) * 30,)
        while size > SIZES["legend"] and \
                sum(legend_group_height(group, size) + 8 for group in groups) > self.height - 10:
            size = max(size - 0.5, SIZES["legend"])
        return size

    def map_area(self, legend_right: bool) -> tuple[float, float]:
        """Width and height left to the map by the legend, laid out as Plotly does: a
        group is a column of its title and entries (legend_entry_height), its symbols and
        gap 40 px beside them; beside the map the groups stack, under it they fill rows of
        the map's width."""
        size = self.legend_type(legend_right)
        groups = self.legend or (("",) * 30,)

        def width(lines: tuple[str, ...]) -> float:
            return legend_group_width(lines, size) + 40 * self.scale

        def height(lines: tuple[str, ...]) -> float:
            return legend_group_height(lines, size) + 8

        if legend_right:
            return max(self.width - max(width(group) for group in groups) - 12, 100), \
                self.height
        rows, row_width, row_height = 0.0, 0.0, 0.0
        for group in groups:
            if row_width and row_width + width(group) > self.width:
                rows, row_width, row_height = rows + row_height, 0.0, 0.0
            row_width += width(group)
            row_height = max(row_height, height(group))
        return self.width, max(self.height - rows - row_height - 12, 100)

    def legend_right(self, geo: dict) -> bool:
        """Whether the legend beside the map leaves it more room than under it."""
        return self._fitted(geo, True)[0] >= self._fitted(geo, False)[0]

    def _fitted(self, geo: dict, legend_right: bool) -> tuple[float, labels.Frame]:
        width, height = self.map_area(legend_right)
        fitted = fit_to_room(geo, width / height)
        aspect = frame_aspect(fitted) or width / height
        area = min(width, height * aspect) * min(height, width / aspect)
        return area, labels.Frame(width, height, fitted)

    def frame(self, geo: dict) -> labels.Frame:
        """The map's frame, a little smaller than estimated: names placed for a smaller
        map only move apart on the one Plotly draws."""
        return replace(self._fitted(geo, self.legend_right(geo))[1], shrink=ESTIMATE_MARGIN)

def legend_entry_height(entry: str, size: float) -> float:
    """An entry's (or a group title's) height as Plotly lays it out: 1.3 × the type a line,
    16 px at least, and 3 px more."""
    return max((entry.count("<br>") + 1) * size * 1.3, 16) + 3


def legend_group_height(group: tuple[str, ...], size: float) -> float:
    """A legend group's height: its title and its entries."""
    return sum(legend_entry_height(entry, size) for entry in group)


def legend_group_width(group: tuple[str, ...], size: float,
                       share: float = LEGEND_WIDTH_SHARE) -> float:
    """The width of a group's longest line of text (its symbols not counted), at `share` of
    the names' generous estimate."""
    return max(labels.text_width(line, size) * share
               for entry in group for line in entry.split("<br>"))


AREA_TOLERANCE = 0.1  # degrees; areas are translucent overlays, drawn over exact borders
# Areas drawn by their own shape; project footprints are drawn country by country.
OWN_SHAPE_LAYERS = ("coverage-zone", "sea-area", "imported-area")


# Plotly's layout.separators by language: the decimal mark, then the thousands separator.
NUMBER_SEPARATORS = {"en": ".,", "fr": ",\u202f"}
# A stack's hover lists this many of its records' names, then says how many more.
STACK_LISTED = 5
# The map's own words: hovers, the legend's key, the colour bar.
MAP_WORDS = {
    "en": {"here": "<b>{count} records here</b>", "more": "… and {count} more",
           "numbered": "Numbers on the map", "per country": "Records in view,<br>per country",
           "coverage": "Coverage zone of a regional service",
           "spokes": "From its seat to the countries it covers",
           "small states": "Small state, shaded as its country",
           "footprints": "Project footprints"},
    "fr": {"here": "<b>{count} éléments ici</b>", "more": "… et {count} de plus",
           "numbered": "Numéros sur la carte", "per country": "Éléments affichés,<br>par pays",
           "coverage": "Zone de compétence d'un service régional",
           "spokes": "De son siège aux pays couverts",
           "small states": "Petit État, teinté comme son pays",
           "footprints": "Emprises des projets"},
}

APPROXIMATE_WORDS = {
    "en": {"legend": "Approximate extent: a stand-in for the source's words (dotted)",
           "hover": "approximate extent"},
    "fr": {"legend": "Étendue approximative : tient lieu des mots de la source (pointillés)",
           "hover": "étendue approximative"},
}


@dataclass(frozen=True)
class GeoSources:
    """The two GeoJSON the map's area traces draw from: embedded dicts, or URLs the browser
    fetches once each (Plotly caches a GeoJSON by its URL for every trace that names it)."""

    countries: str | dict
    areas: str | dict

    @classmethod
    def embedded(cls, dataset: Dataset) -> GeoSources:
        return cls(countries_geojson(dataset), areas_geojson(dataset))


def countries_geojson(dataset: Dataset) -> dict:
    """The country polygons as GeoJSON keyed by iso3."""
    return json.loads(dataset.countries[["iso3", "geometry"]].to_json(drop_id=True))


def areas_geojson(dataset: Dataset) -> dict:
    """The polygons the area traces draw from. Every country (id 'country:ISO3'), simplified
    as a coverage so that neighbours still meet: a project footprint fills each country it
    covers, so the features drawn are bounded by the countries, whatever the number of
    records. And one feature per coverage zone and imported area, keyed by record id: a zone
    is its countries dissolved (its outline has no inner borders), an imported area the
    file's own shape."""
    codes = dataset.countries.index
    countries = shapely.coverage_simplify(dataset.countries.geometry.to_numpy(), AREA_TOLERANCE)
    frames = [build_layer(dataset, layer) for layer in OWN_SHAPE_LAYERS]
    ids = [f"country:{code}" for code in codes] + [
        record_id for frame in frames for record_id in frame.index]
    own = shapely.simplify([g for frame in frames for g in frame.geometry], AREA_TOLERANCE,
                           preserve_topology=True)
    shapes = shapely.orient_polygons(shapely.set_precision([*countries, *own], 0.001),
                                     exterior_cw=True)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": area_id}, "geometry": shape.__geo_interface__}
        for area_id, shape in zip(ids, shapes)]}


def trace_names(dataset: Dataset) -> list[str]:
    """The name of every trace slot, in drawing order (later slots draw on top)."""
    return ["countries",
            *(f"footprint:{theme}" for theme in dataset.themes.index),
            *(f"approximate:{theme}" for theme in dataset.themes.index),
            *(f"outline:{number}" for number in range(len(approximate_footprints(dataset)))),
            "coverage", "spokes", "selection-areas", "country-labels", "small-states",
            *(f"category:{category}" for category in dataset.categories.index),
            "leaders", "labels", "numbered", "selection-point"]


def approximate_footprints(dataset: Dataset) -> list[frozenset[str]]:
    """The distinct areas that approximate records draw, in record order: each gets a dotted
    outline trace of its own, drawn once, which a change of view only shows or hides."""
    return list(dict.fromkeys(key for key in _outlined(dataset.records) if key))


def _outlined(records: pd.DataFrame) -> list[frozenset[str]]:
    """What each approximate record's dotted outline goes round: its countries, or for a
    sea area (which holds none) the sea areas it names."""
    approximate = records[records["extent"] == "approximate"]
    return [frozenset(regions) if layer == "sea-area" else footprint for layer, footprint, regions
            in zip(approximate["layer"], approximate["footprint"], approximate["regions"])]


# Outlines by area, for the countries' geometry they were drawn from: every layout and every
# export builds the map, and the outlines of one geometry never change.
_outlines: dict[frozenset[str], tuple[list, list]] = {}
_outlines_of: list = [None]


def _outline(dataset: Dataset, countries_in: frozenset[str]) -> tuple[list, list]:
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
    lons, lats = [], []
    for part in getattr(shape, "geoms", [shape]):
        if part.area < OUTLINE_MIN_AREA:
            continue
        xs, ys = part.exterior.xy
        lons += [round(x, 1) for x in xs] + [None]
        lats += [round(y, 1) for y in ys] + [None]
    return lons, lats


def selected_places(dataset: Dataset, selected: str | None) -> tuple[list[str], list[float]]:
    """The countries to outline and the point to ring for a selection: a record id, or
    'country:ISO3'. Unknown selections select nothing."""
    if not selected:
        return [], []
    if selected.startswith("country:"):
        iso3 = selected.removeprefix("country:")
        return ([iso3], []) if iso3 in dataset.countries.index else ([], [])
    if selected not in dataset.records.index:
        return [], []
    record = dataset.records.loc[selected]
    point = [] if pd.isna(record["lon"]) else [float(record["lon"]), float(record["lat"])]
    # Outlined: where the record is known to be. An approximate extent's stand-in keeps its
    # dotted outline, never the selection's solid one.
    return sorted(record["counted"]), point


def as_text(values) -> list[str]:
    """Data text for Plotly, which reads tags in text (<b>, <a href>…): escaped, so a name is
    shown as written, whatever it holds."""
    return [escape(str(value), quote=False) for value in values]


def _names(records: pd.DataFrame, lang: str) -> list[str]:
    """Records' names for hovers, each known only from an older source saying so."""
    names = as_text(records[f"name_{lang}"].fillna(records["name_en"]))
    if "older_as_of" not in records:
        return names
    return [f"{name} <i>({attested_note(as_of, lang)})</i>" if isinstance(as_of, str) else name
            for name, as_of in zip(names, records["older_as_of"])]


def _area_data(records: pd.DataFrame, lang: str) -> dict:
    """Area records in view: their features in the areas GeoJSON, named for hover."""
    return {"locations": records.index.tolist(), "z": [1] * len(records),
            "text": _names(records, lang), "customdata": records.index.tolist()}


def _grouped(keys, records: pd.DataFrame, lang: str) -> dict:
    """Records grouped by key (a place, a country), each group as (record id, name) pairs in
    record order: the first is the one a click selects."""
    groups: dict = {}
    for key, record_id, name in zip(keys, records.index.tolist(), _names(records, lang)):
        groups.setdefault(key, []).append((record_id, name))
    return groups


def _listed(group: list, lang: str) -> str:
    """A group's names for its hover: the first STACK_LISTED, then how many more."""
    listed = "<br>".join(name for _, name in group[:STACK_LISTED])
    if len(group) > STACK_LISTED:
        listed += "<br>" + MAP_WORDS[lang]["more"].format(count=len(group) - STACK_LISTED)
    return listed


def _filled_data(dataset: Dataset, records: pd.DataFrame, lang: str) -> dict:
    """The filled areas of one theme in view. A project footprint fills each country it
    covers: one feature per country however many footprints meet there, which its hover
    lists; a click there opens the country, whose panel lists them (a footprint never takes
    a country's click). A sea area or an imported area is its own feature."""
    spans = records["layer"] == "project-footprint"
    own = _area_data(records[~spans], lang)
    footprints = records[spans]
    # One row per footprint and country it covers.
    pairs = footprints.loc[footprints.index.repeat(footprints["footprint"].map(len))]
    covering = _grouped([iso3 for countries_in in footprints["footprint"]
                         for iso3 in countries_in], pairs, lang)
    if not covering:
        return own
    names = dataset.countries[f"name_{lang}"]
    codes = sorted(covering)
    return {"locations": [f"country:{iso3}" for iso3 in codes] + own["locations"],
            "z": [1] * (len(codes) + len(own["z"])),
            "text": [f"<b>{escape(names[iso3], quote=False)}</b><br>"
                     f"{_listed(covering[iso3], lang)}" for iso3 in codes] + own["text"],
            "customdata": [f"country:{iso3}" for iso3 in codes] + own["customdata"]}


def stacks(points: pd.DataFrame, lang: str) -> dict:
    """One symbol per place for the point records of one category: records at the same lon
    and lat are one stack, listed in its hover (the place's name on the map says how many
    records it holds). A click selects the stack's first record, whose details list the
    others at that place."""
    if not len(points):  # with no point, stale names do no harm: spare the bytes
        return {"lon": [], "lat": []}
    places = _grouped(zip(points["lon"].tolist(), points["lat"].tolist()), points, lang)
    here = MAP_WORDS[lang]["here"]
    return {"lon": [lon for lon, _ in places], "lat": [lat for _, lat in places],
            "hovertext": [(here.format(count=len(stack)) + "<br>" if len(stack) > 1 else "")
                          + _listed(stack, lang) for stack in places.values()],
            "customdata": [stack[0][0] for stack in places.values()]}


def view_data(dataset: Dataset, view: View, selected: str | None = None,
              lang: str = "en", room: Room | None = None,
              frame: labels.Frame | None = None, name_scale: float = 1.0,
              colourbar_corner: str | None = None) -> list[dict]:
    """For each trace slot, the properties that depend on the view, drawn in `room` (or in
    `frame`, the map's own area, when the caller has laid it out). Dotted keys
    ("marker.color") are nested properties. Names are set at `name_scale` × the symbols'
    scale, and keep off the colour bar's lower corner ("left", "right"; by default the one
    with fewer symbols under it)."""
    # Only the columns drawn: filtering copies every column it keeps.
    drawn = dataset.records[DRAWN_COLUMNS]
    records = drawn[filter_mask(dataset, view)]
    room = in_legend(room or Room(), dataset, records, lang)
    # Symbols of categories the user hid stay in the data, drawn only as greyed legend
    # entries ("legendonly"), so that a click on the legend can bring them back.
    with_hidden = drawn[filter_mask(dataset, replace(view, categories=()))] \
        if view.categories else records
    counts = countries.record_counts(dataset, records)
    top = max(int(counts.max()), 1)
    # Whole-number ticks: a count of 0.5 records means nothing.
    data: list[dict] = [{"z": counts.tolist(), "zmax": top,
                         "colorbar.dtick": max(1, math.ceil(top / 5))}]

    areas = records[records["layer"].isin(FILLED_AREA_LAYERS)]
    approximate = areas["extent"] == "approximate"
    # Stand-ins of several themes over one continent would add up to a wash that hides its
    # countries: together they are never darker than one.
    washes = max(1, areas.loc[approximate, "theme"].nunique())
    for chosen, listed in ((areas[~approximate], True), (areas[approximate], False)):
        by_theme = dict(tuple(chosen.groupby("theme")))
        for theme in dataset.themes.index:
            filled = _filled_data(dataset, by_theme.get(theme, chosen.iloc[:0]), lang)
            # One dotted key entry stands for every approximate fill.
            data.append(filled | {"showlegend": listed and bool(filled["locations"])}
                        | ({} if listed else {"marker.opacity": APPROXIMATE_OPACITY / washes}))
    shown = set(_outlined(records))
    explained = False  # one legend entry explains every dotted outline
    for countries_in in approximate_footprints(dataset):
        visible = countries_in in shown
        data.append({"visible": visible, "showlegend": visible and not explained})
        explained = explained or visible

    zones = records[records["layer"] == "coverage-zone"]
    data.append(_area_data(zones, lang) | {"showlegend": len(zones) > 0})
    spoke_lon, spoke_lat = [], []
    for hub_lon, hub_lat, covered in zip(zones["lon"], zones["lat"], zones["footprint"]):
        for iso3 in sorted(covered):
            spoke_lon += [hub_lon, dataset.countries.at[iso3, "marker_lon"], None]
            spoke_lat += [hub_lat, dataset.countries.at[iso3, "marker_lat"], None]
    data.append({"lon": spoke_lon, "lat": spoke_lat, "showlegend": bool(spoke_lon)})

    outlined, ring = selected_places(dataset, selected)
    data.append({"locations": outlined, "z": [1] * len(outlined)})

    small_state = dataset.countries["small_state"] & (counts > 0)
    small = dataset.countries[small_state]
    labels_at = len(data)
    data.append({})  # the countries' names, placed with the others below
    data.append({"lon": small["marker_lon"].round(3).tolist(),
                 "lat": small["marker_lat"].round(3).tolist(),
                 "text": as_text(small[f"name_{lang}"]),
                 "customdata": [f"country:{code}" for code in small.index],
                 "marker.color": counts[small_state].tolist(), "marker.cmax": top,
                 "showlegend": len(small) > 0})

    # Point records carry their own lon/lat: no need to build the layers' geometries here.
    points = with_hidden[with_hidden["layer"].isin(POINT_LAYERS)]
    by_category = dict(tuple(points.groupby("category")))  # one split, not one mask per category
    symbols = []
    for category_id in dataset.categories.index:
        chosen = by_category.get(category_id, points.iloc[:0])
        hidden = bool(view.categories) and category_id not in view.categories
        changes = {"showlegend": len(chosen) > 0,  # the legend lists what the view holds
                   "visible": "legendonly" if hidden else True}
        symbols.append(changes | stacks(chosen, lang))
    shown_points = points[points["category"].isin(view.categories)] if view.categories else points
    frame = frame or room.frame(view_geo(dataset, view.region, selected))
    places = _fan(frame, symbols, SIZES["category"] * room.scale)
    corner = colourbar_corner or _emptier_corner(frame, symbols, small, room)
    data[0] |= {"colorbar.x": 0.005 if corner == "left" else 0.995, "colorbar.xanchor": corner}
    # A country's page names its neighbours too, whether or not they have records.
    named_countries = counts if not view.touching else \
        counts + 1 + (counts.index == view.touching) * counts.max()
    named, country_names, leaders, key = _labels(dataset, frame, shown_points, places, small,
                                                 named_countries, room, lang, name_scale,
                                                 [_colourbar_box(frame, room, corner)],
                                                 labels.line_segments(frame, spoke_lon,
                                                                      spoke_lat))
    data[labels_at] = country_names
    data += symbols
    data.append(leaders)
    data.append(named)
    data.append({"showlegend": bool(key), "name": "<br>".join(key) or " "})
    data.append({"lon": ring[:1], "lat": ring[1:]})
    return data


def _colourbar_box(frame: labels.Frame, room: Room,
                   corner: str) -> tuple[float, float, float, float]:
    """The colour bar's box in the frame's px (left, top, right, bottom), with a margin."""
    width, height = COLOURBAR[0] * room.scale + 8, COLOURBAR[1] * room.scale + 8
    left = 0 if corner == "left" else frame.width - width
    return left, frame.height - height, left + width, frame.height


def _emptier_corner(frame: labels.Frame, symbols: list[dict], small: pd.DataFrame,
                    room: Room) -> str:
    """The lower corner with fewer symbols and small-state dots under the colour bar's box
    ("left" when even): the bar must not hide what the map shows."""
    lons = [lon for changes in symbols if changes.get("visible") is True
            for lon in changes["lon"]] + small["marker_lon"].tolist()
    lats = [lat for changes in symbols if changes.get("visible") is True
            for lat in changes["lat"]] + small["marker_lat"].tolist()
    if not lons:
        return "left"
    xs, ys = frame.project(lons, lats)

    def under(corner: str) -> int:
        left, top, right, bottom = _colourbar_box(frame, room, corner)
        return int(((xs >= left) & (xs <= right) & (ys >= top) & (ys <= bottom)).sum())

    return "right" if under("right") < under("left") else "left"


def _fan(frame: labels.Frame, symbols: list[dict], size: float) -> dict:
    """Symbols of several categories at one place are spread on a small ring around it, so
    each can be seen and clicked. Moves them in `symbols`; returns each place's symbols'
    reach in px (the radius its name keeps clear of)."""
    at_place: dict = {}
    for slot, changes in enumerate(symbols):
        if changes.get("visible") is not True:
            continue
        for index, place in enumerate(zip(changes["lon"], changes["lat"])):
            at_place.setdefault(place, []).append((slot, index))
    reach = {}
    for (lon, lat), members in at_place.items():
        if len(members) == 1:
            reach[(lon, lat)] = size / 2
            continue
        ring = size * (0.5 + 0.16 * len(members))  # neighbours on the ring do not touch
        per_x, per_y = frame.degrees_per_pixel(lon, lat)
        for number, (slot, index) in enumerate(members):
            angle = math.pi / 2 - 2 * math.pi * number / len(members)
            symbols[slot]["lon"][index] = round(lon + ring * math.cos(angle) * per_x, 4)
            symbols[slot]["lat"][index] = round(lat + ring * math.sin(angle) * per_y, 4)
        reach[(lon, lat)] = ring + size / 2
    return reach


# How a record is placed when its city goes beside its acronym on the map.
CITY_NAMED = ("named", "site")


def _place_name(stack: pd.DataFrame, lang: str) -> str:
    """A place's name on the map: its record's short name (an acronym as the source writes
    it), or the city; with the number of records when there are several."""
    city = labels_in(stack, "city", lang)
    if len(stack) > 1:
        city = city.dropna()
        name = city.iloc[0] if len(city) else stack[f"name_{lang}"].fillna(stack["name_en"]).iloc[0]
        return f"{name} ({len(stack)})"
    record = stack.iloc[0].copy()
    record["city"] = city.iloc[0]  # the city's name in the map's language (Pékin, Manille)
    for column in (f"short_{lang}", "short_en", "city"):
        if isinstance(record[column], str) and record[column]:
            # An acronym says where it is ("COSS, Nouméa") where its city is known: the
            # source's, or the facility's own site; not a capital standing in for a country.
            if column != "city" and isinstance(record["city"], str) and record["city"] \
                    and record["city"] != record[column] \
                    and record.get("place_basis") in CITY_NAMED:
                return f"{record[column]}, {record['city']}"
            return record[column]
    name = record[f"name_{lang}"] if isinstance(record[f"name_{lang}"], str) else record["name_en"]
    return name if len(name) <= 28 else name[:27] + "…"


def _labels(dataset: Dataset, frame: labels.Frame, points: pd.DataFrame, reach: dict,
            small: pd.DataFrame, counts: pd.Series, room: Room, lang: str,
            name_scale: float = 1.0, keep_off=(), lines=()):
    """The names of the places with symbols, of the small states' dots and of the countries
    with records in view (`counts` > 0), placed together (places first, then countries with
    the most records first), off the boxes `keep_off` and clear of the `lines` (the spokes'
    segments in px)."""
    size = SIZES["label"] * room.scale * name_scale
    groups = dict(tuple(points.groupby(["lon", "lat"], sort=False))) if len(points) else {}
    order = sorted(groups, key=lambda place: -len(groups[place]))
    places = [labels.Place(lon, lat, as_text([_place_name(groups[(lon, lat)], lang)])[0],
                           reach.get((lon, lat), SIZES["category"] * room.scale / 2))
              for lon, lat in order]
    # A small state's dot under a named place is named by it.
    site_x, site_y = frame.project([p.lon for p in places], [p.lat for p in places])
    dot = SIZES["small-states"] * room.scale
    dot_x, dot_y = frame.project(small["marker_lon"], small["marker_lat"])
    for (_, row), x, y in zip(small.iterrows(), dot_x, dot_y):
        if not (((site_x - x) ** 2 + (site_y - y) ** 2) < (2 * dot) ** 2).any():
            places.append(labels.Place(row["marker_lon"], row["marker_lat"],
                                       as_text([row[f"name_{lang}"]])[0], dot / 2))
    symbol_places = len(places)
    # Countries without a dot of their own: a small state's dot is named above.
    large = dataset.countries[(counts > 0) & ~dataset.countries.index.isin(small.index)]
    large = large.assign(records=counts[large.index]).sort_values("records", ascending=False)
    places += [labels.Place(row["marker_lon"], row["marker_lat"],
                            as_text([row[f"name_{lang}"]])[0], 0, symbol=False)
               for _, row in large.iterrows()]
    placement = labels.place(frame, places, size, keep_off=keep_off, lines=lines)

    anchors = {}  # a moved name's point, and its leader line from the place
    leader_lon, leader_lat = [], []
    for index, (dx, dy) in enumerate(placement.moved):
        if placement.text[index] and (dx or dy):
            p = places[index]
            per_x, per_y = frame.degrees_per_pixel(p.lon, p.lat)
            anchors[index] = placement.anchor[index]
            # From the edge of the symbols, not their middle.
            start = p.radius / math.hypot(dx, dy)
            leader_lon += [round(p.lon + dx * start * per_x, 4), anchors[index][0], None]
            leader_lat += [round(p.lat - dy * start * per_y, 4), anchors[index][1], None]

    def trace(chosen: range) -> dict:
        kept = [i for i in chosen if placement.text[i]]
        at = [anchors.get(i, (round(places[i].lon, 4), round(places[i].lat, 4))) for i in kept]
        return {"lon": [lon for lon, _ in at], "lat": [lat for _, lat in at],
                "text": [placement.text[i] for i in kept],
                "textposition": [placement.position[i] for i in kept],
                "marker.size": [0 if i in anchors else round(places[i].radius * 2, 1)
                                for i in kept]}
    return (trace(range(symbol_places)), trace(range(symbol_places, len(places))),
            {"lon": leader_lon, "lat": leader_lat}, placement.key)


def label_slots(dataset: Dataset) -> dict[int, str]:
    """The trace slots holding names, with the SIZES entry of their type."""
    names = trace_names(dataset)
    return {names.index("labels"): "label", names.index("country-labels"): "country-label"}


def display_sizes(dataset: Dataset, presenting: bool) -> tuple[dict[int, float], float]:
    """Marker size per trace slot, and the legend's type size, on screen or presenting."""
    scale = PRESENTING_SCALE if presenting else 1.0
    sizes = {}
    for index, name in enumerate(trace_names(dataset)):
        kind = name.partition(":")[0]
        if kind in SIZES:
            sizes[index] = round(SIZES[kind] * scale, 1)
    return sizes, round(SIZES["legend"] * scale, 1)


def _area_trace(geojson, key: str, name: str, hover: str, fill: str, line: str,
                line_width: float, opacity: float = 1.0) -> go.Choropleth:
    # One fill colour whatever z is: z is only there because a choropleth needs it.
    return go.Choropleth(
        geojson=geojson, featureidkey=f"properties.{key}", name=name,
        colorscale=[[0, fill], [1, fill]], showscale=False, zmin=0, zmax=1,
        marker={"line": {"color": line, "width": line_width}, "opacity": opacity},
        hovertemplate=hover, showlegend=False,
    )


def wrapped(text: str, width: int = LEGEND_CHARACTERS) -> str:
    """A legend entry broken into lines of at most `width` characters (at spaces)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join([*lines, line])


# The legend lists the themes first, then the key to outlines, lines and dots, then the
# numbers: Plotly orders groups by the rank of their entries (1000 by default).
KEY_RANK = {"key": 2000, "numbered": 2001}


def _key_entry(name: str, group: str, title: str, **style) -> dict:
    return {"name": wrapped(name), "legendgroup": group, "legendgrouptitle": {"text": title},
            "legendrank": KEY_RANK[group], **style}


def _fixed_traces(dataset: Dataset, sources: GeoSources, lang: str) -> list:
    words = MAP_WORDS[lang]
    key_title = "Key" if lang == "en" else "Clé de lecture"
    traces = [
        # The choropleth comes first: Plotly reads the first trace to decide which base map
        # to load.
        go.Choropleth(
            geojson=sources.countries,
            featureidkey="properties.iso3",
            locations=dataset.countries["iso3"].tolist(),
            text=as_text(dataset.countries[f"name_{lang}"]),
            customdata=[f"country:{code}" for code in dataset.countries.index],
            zmin=0,
            colorscale=CHOROPLETH_SCALE,
            marker_line_color="#ffffff",
            marker_line_width=0.4,
            # Inside the map's lower left corner, off the legend's way.
            colorbar={"title": {"text": MAP_WORDS[lang]["per country"], "side": "top",
                                "font": {"size": SIZES["legend"]}},
                      "orientation": "h", "thickness": 10, "len": COLOURBAR[0],
                      "lenmode": "pixels", "x": 0.005, "xanchor": "left", "y": 0.01,
                      "yanchor": "bottom",
                      "bgcolor": "rgba(255,255,255,0.8)", "tickfont": {"size": SIZES["legend"]},
                      "outlinewidth": 0},
            hovertemplate="%{text}: %{z}<extra></extra>",
            name="countries",
            showlegend=False,
        ),
    ]
    themes = {theme_id: as_text([theme[f"label_{lang}"]])[0]
              for theme_id, theme in dataset.themes.iterrows()}
    for theme_id, theme in dataset.themes.iterrows():
        hover = f"%{{text}}<extra>{themes[theme_id]}</extra>"
        trace = _area_trace(sources.areas, "id", f"footprint:{theme_id}", hover,
                            theme["colour"], theme["colour"], 0.6, FOOTPRINT_OPACITY)
        # Its swatch heads its theme's entries in the legend.
        trace.update(legendgroup=theme_id, legendgrouptitle={"text": wrapped(themes[theme_id])},
                     name=MAP_WORDS[lang]["footprints"])
        traces.append(trace)
    for theme_id, theme in dataset.themes.iterrows():
        hover = (f"%{{text}}<extra>{themes[theme_id]} — "
                 f"{APPROXIMATE_WORDS[lang]['hover']}</extra>")
        traces.append(_area_trace(sources.areas, "id", f"approximate:{theme_id}", hover,
                                  theme["colour"], "rgba(0,0,0,0)", 0, APPROXIMATE_OPACITY))
    for countries_in in approximate_footprints(dataset):
        lons, lats = _outline(dataset, countries_in)
        traces.append(go.Scattergeo(
            lon=lons, lat=lats, mode="lines", hoverinfo="skip",
            line={"color": APPROXIMATE_LINE, "width": 1.3, "dash": "dot"},
            **_key_entry(APPROXIMATE_WORDS[lang]["legend"], "key", key_title)))
    coverage = _area_trace(sources.areas, "id", "coverage", "%{text}<extra></extra>",
                           "rgba(0,0,0,0)", COVERAGE, 1.2)
    # A zone is an outline over its countries: the pointer reaches the country under it
    # (its hover and its click), and the country's panel lists the zone.
    coverage.update(hoverinfo="skip", hovertemplate=None)
    coverage.update(_key_entry(words["coverage"], "key", key_title))
    traces += [
        coverage,
        go.Scattergeo(mode="lines", hoverinfo="skip", line={"color": COVERAGE, "width": 1.0},
                      **_key_entry(words["spokes"], "key", key_title)),
        _area_trace(sources.countries, "iso3", "selection-areas", "Selected<extra></extra>",
                    "rgba(0,0,0,0)", SELECTION, 2.5),
        _label_trace("country-labels", COUNTRY_LABEL_COLOUR, SIZES["country-label"]),
        # Small island states as dots shaded like the choropleth, so they stay visible.
        go.Scattergeo(
            mode="markers",
            marker={"size": SIZES["small-states"], "colorscale": CHOROPLETH_SCALE, "cmin": 0,
                    "line": {"color": "#4d4a44", "width": 1}},
            hovertemplate="%{text}<extra></extra>",
            **_key_entry(words["small states"], "key", key_title),
        ),
    ]
    # One trace per legend category, so each keeps its own symbol, colour and legend entry.
    for _, category in dataset.categories.iterrows():
        traces.append(go.Scattergeo(
            mode="markers",
            marker={"symbol": category["symbol"], "color": category["colour"],
                    "size": SIZES["category"], "line": SYMBOL_OUTLINE},
            name=wrapped(as_text([category[f"label_{lang}"]])[0]),
            legendgroup=category["theme"],
            legendgrouptitle={"text": wrapped(themes[category["theme"]])},
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    traces.append(go.Scattergeo(mode="lines", name="leaders", hoverinfo="skip",
                                showlegend=False, line={"color": LABEL_COLOUR, "width": 0.7}))
    traces.append(_label_trace("labels", LABEL_COLOUR, SIZES["label"]))
    # Its legend entry lists the places whose name found no room, by the number drawn.
    traces.append(go.Scattergeo(lon=[None], lat=[None], mode="markers", hoverinfo="skip",
                                marker={"color": "rgba(0,0,0,0)", "size": 1},
                                **_key_entry(" ", "numbered", words["numbered"])))
    traces.append(go.Scattergeo(
        mode="markers", name="selection-point", hoverinfo="skip", showlegend=False,
        marker={"symbol": "circle-open", "size": SIZES["selection-point"], "color": SELECTION,
                "line": {"width": 3}}))
    return traces


def _label_trace(name: str, colour: str, size: float) -> go.Scattergeo:
    # Invisible markers as large as the symbols named: Plotly offsets a name from its point
    # by the marker's size, as the placement (figures.labels) counts.
    return go.Scattergeo(mode="markers+text", name=name, hoverinfo="skip", showlegend=False,
                         marker={"opacity": 0, "color": colour},
                         textfont={"size": size, "color": colour, "shadow": HALO})


def in_legend(room: Room, dataset: Dataset, records: pd.DataFrame, lang: str) -> Room:
    """The room, knowing the legend of `records`: per theme its title, its footprints'
    swatch and its categories with symbols; then the key."""
    words = MAP_WORDS[lang]
    points = set(records.loc[records["layer"].isin(POINT_LAYERS), "category"])
    filled = set(records.loc[records["layer"].isin(FILLED_AREA_LAYERS), "theme"])
    groups = []
    for theme_id in dataset.themes.index:
        entries = [wrapped(label(dataset.categories, category, "label", lang))
                   for category in dataset.categories.index[
                       dataset.categories["theme"] == theme_id] if category in points]
        entries = ([words["footprints"]] if theme_id in filled else []) + entries
        if entries:
            groups.append((wrapped(label(dataset.themes, theme_id, "label", lang)), *entries))
    key = [wrapped(APPROXIMATE_WORDS[lang]["legend"]), wrapped(words["small states"])]
    if (records["layer"] == "coverage-zone").any():
        key += [wrapped(words["coverage"]), wrapped(words["spokes"])]
    # The numbers' key is known once the names are placed: room for a few is kept.
    numbers = (words["numbered"], "<br>".join(["1 …"] * NUMBERS_KEPT))
    return replace(room, legend=(*groups, ("Key", *key), numbers))


def map_layout(room: Room, dataset: Dataset, view: View, lang: str = "en",
               selected: str | None = None) -> dict:
    """The layout properties that depend on the room: the frame (the view's region, or a
    selected country and its neighbourhood) widened to the map's shape, and where the
    legend sits."""
    room = in_legend(room, dataset, filter_records(dataset, view), lang)
    geo = view_geo(dataset, view.region, selected)
    frame = room.frame(geo)
    beside = room.legend_right(geo)
    size = round(room.legend_type(beside), 1)
    legend = ({"orientation": "v", "x": 1.0, "xanchor": "left", "y": 1, "yanchor": "top"}
              if beside else
              {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.01, "yanchor": "top"})
    return {"geo": frame.geo, "legend": legend | {"font": {"size": size},
                                                  "grouptitlefont": {"size": size}}}


def build_map(dataset: Dataset, view: View | None = None, selected: str | None = None,
              lang: str = "en", sources: GeoSources | None = None,
              room: Room | None = None) -> go.Figure:
    """The whole figure; `sources` says where its area traces find their polygons
    (default: embedded in the figure)."""
    figure = go.Figure(_fixed_traces(dataset, sources or GeoSources.embedded(dataset), lang))
    room = room or Room()
    for trace, changes in zip(figure.data, view_data(dataset, view or View(), selected, lang,
                                                     room)):
        trace.update({key.replace(".", "_"): value for key, value in changes.items()})
    figure.update_geos(
        projection_type="natural earth",
        showframe=False,
        showcoastlines=False,
        showcountries=False,
        showland=False,
        showocean=True,
        oceancolor=OCEAN,
    )
    placed = map_layout(room, dataset, view or View(), lang, selected)
    figure.update_geos(**{key.replace(".", "_"): value for key, value in placed["geo"].items()})
    figure.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend=placed["legend"] | {
            "itemclick": "toggle", "itemdoubleclick": "toggleothers", "traceorder": "grouped",
            "groupclick": "toggleitem",  # a click hides one category, not its theme
            "tracegroupgap": 8},
        paper_bgcolor="#ffffff",
        font={"family": "Arial, Helvetica, sans-serif"},
        # Decimal mark and thousands separator of the colour bar's numbers: 1,5 and 12 500
        # in French.
        separators=NUMBER_SEPARATORS.get(lang, ".,"),
        clickmode="event",
        uirevision="map",  # keep the user's zoom and pan across filter patches
    )
    return figure
