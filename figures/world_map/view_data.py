"""What a change of view sends the map: for each trace slot (figures.world_map.slots), the
properties that depend on the records in view, the selection and the room.

`InView` has one method per kind of slot, named as the kind, given the slot's key; what
several slots share (the records in view, the counts per country, the fanned symbols, the
placed names) is computed once, when first asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cached_property
from html import escape

import numpy as np
import pandas as pd

from figures import name_placement
from figures.region_fit import view_geo
from figures.world_map.areas import (
    approximate_footprints,
    outline,
    outlined,
    stand_in_pieces,
)
from figures.world_map.clustering import NO_CLUSTERS, clusters, too_many
from figures.world_map.names import PlacedNames, place_names
from figures.world_map.offshore import offshore
from figures.world_map.room import Room, in_legend, wrapped
from figures.world_map.slots import slots
from figures.world_map.style import APPROXIMATE_OPACITY, COLOURBAR, SIZES
from figures.world_map.traces import as_text, theme_labels
from i18n import LANGUAGES, attested_note, list_separator, separator, tr
from layers import countries
from presence.dataset import Dataset
from presence.layer_registry import FILLED_AREA_LAYERS, POINT_LAYERS
from presence.memo import per_dataset
from presence.views import View, filter_mask

DRAWN_COLUMNS = ["layer", "theme", "category", "lon", "lat", "name_en", "name_fr", "short_en",
                 "short_fr", "city", "city_fr", "footprint", "regions", "counted", "extent",
                 "places", "older_as_of", "place_basis", "host_iso3"]
# A stack's hover lists this many of its records' names, then says how many more.
STACK_LISTED = 5
# The key's "Unlabelled" line lists this many names, then says how many more.
MOST_UNNAMED = 12


def view_data(dataset: Dataset, view: View, selected: str | None = None,
              lang: str = "en", room: Room | None = None,
              frame: name_placement.Frame | None = None, name_scale: float = 1.0,
              colourbar_corner: str | None = None,
              records: pd.DataFrame | None = None, clear_of_outlines: bool = False) -> list[dict]:
    """For each trace slot, the properties that depend on the view, drawn in `room` (or in
    `frame`, the map's own area, when the caller has laid it out). Dotted keys
    ("marker.color") are nested properties. Names are set at `name_scale` × the symbols'
    scale, and keep off the colour bar's lower corner ("left", "right"; by default the one
    with fewer symbols under it). `records` are the view's, when the caller has filtered
    them already. Names never cross a spoke; `clear_of_outlines`, nor a dotted outline: on
    paper, where no halo breaks the line under a name as it does on screen."""
    in_view = InView(dataset, view, selected, lang, room or Room(), frame, name_scale,
                     colourbar_corner, records, clear_of_outlines)
    return [getattr(in_view, slot.kind.name.replace("-", "_"))(slot.key)
            for slot in slots(dataset)]


@per_dataset
def _drawn_columns(dataset: Dataset) -> pd.DataFrame:
    """The records' columns the map draws: filtering copies every column it keeps."""
    return dataset.records[DRAWN_COLUMNS]


@per_dataset
def _country_names(dataset: Dataset) -> dict[str, dict[str, str]]:
    """By language, each country's name by iso3: a fill's hover names each country it
    covers, hundreds on a world map."""
    return {lang: dict(zip(dataset.countries.index.tolist(),
                           dataset.countries[f"name_{lang}"].tolist())) for lang in LANGUAGES}


@per_dataset
def _dot_columns(dataset: Dataset) -> tuple[pd.DataFrame, np.ndarray]:
    """The countries' columns a small state's dot is drawn and named from, and which are
    small states."""
    dotted = dataset.countries[["marker_lon", "marker_lat",
                                *(f"name_{lang}" for lang in LANGUAGES)]]
    return dotted, dataset.countries["small_state"].to_numpy(dtype=bool)


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


@dataclass
class InView:
    dataset: Dataset
    view: View
    selected: str | None
    lang: str
    given_room: Room
    given_frame: name_placement.Frame | None
    name_scale: float
    colourbar_corner: str | None
    given_records: pd.DataFrame | None = None
    clear_of_outlines: bool = False

    # What the slots share.

    @cached_property
    def drawn(self) -> pd.DataFrame:
        return _drawn_columns(self.dataset)

    @cached_property
    def records(self) -> pd.DataFrame:
        if self.given_records is not None:
            return self.given_records[DRAWN_COLUMNS]
        return self.drawn[filter_mask(self.dataset, self.view)]

    @cached_property
    def room(self) -> Room:
        return in_legend(self.given_room, self.dataset, self.records, self.lang, self.crowded)

    @cached_property
    def geo(self) -> dict:
        """The view's frame before it is widened to the room: the region's, or the selected
        country's."""
        return view_geo(self.dataset, self.view.region, self.selected)

    @cached_property
    def frame(self) -> name_placement.Frame:
        return self.given_frame or self.room.frame(self.geo)

    @cached_property
    def counts(self) -> pd.Series:
        return countries.record_counts(self.dataset, self.records)

    @cached_property
    def top(self) -> int:
        return max(int(self.counts.max()), 1)

    @cached_property
    def areas(self) -> pd.DataFrame:
        return self.records[self.records["layer"].isin(FILLED_AREA_LAYERS)]

    @cached_property
    def zones(self) -> pd.DataFrame:
        return self.records[self.records["layer"] == "coverage-zone"]

    @cached_property
    def small(self) -> pd.DataFrame:
        """Small states with records in view: drawn as dots (their dots' columns only: a
        selection of the countries' frame would copy their shapes too)."""
        dotted, small_state = _dot_columns(self.dataset)
        return dotted.iloc[np.flatnonzero(small_state & (self.counts.to_numpy() > 0))]

    @cached_property
    def points(self) -> pd.DataFrame:
        """Point records in view, with those of categories the user hid: their symbols stay
        in the data, drawn only as greyed legend entries ("legendonly"), so that a click on
        the legend can bring them back. Point records carry their own lon/lat: no need to
        build the layers' geometries here."""
        with_hidden = self.drawn[filter_mask(self.dataset, replace(self.view, categories=()))] \
            if self.view.categories else self.records
        return with_hidden[with_hidden["layer"].isin(POINT_LAYERS)]

    @cached_property
    def shown_points(self) -> pd.DataFrame:
        """Point records in view, without those of categories the user hid."""
        return self.points[self.points["category"].isin(self.view.categories)] \
            if self.view.categories else self.points

    @cached_property
    def crowded(self) -> bool:
        """Whether the symbols shown are too many to draw one by one."""
        return too_many(self.shown_points)

    @cached_property
    def clustered(self) -> dict | None:
        """The clusters' data when the symbols in view would crowd the map, else None."""
        if not self.crowded:
            return None
        return clusters(self.dataset, self.geo, self.shown_points, self.room.scale, self.lang)

    @cached_property
    def _fanned(self) -> tuple[dict[str, dict], dict, dict]:
        """Each category's symbols, fanned out where several categories share a place; each
        place's symbols' reach in px; and the centres of the rings set off a country's
        land. With clusters, the categories draw no symbol."""
        if self.clustered:  # the legend lists what the map draws
            return {category_id: {"showlegend": False, "visible": True, "lon": [], "lat": []}
                    for category_id in self.dataset.categories.index}, {}, {}
        # The points read as plain lists once, and split by category in one pass: a pandas
        # group and its columns per category cost more than the symbols' own work.
        points = self.points
        lons, lats = points["lon"].tolist(), points["lat"].tolist()
        record_ids, names = points.index.tolist(), _names(points, self.lang)
        by_category: dict[str, list[int]] = {}
        for position, category in enumerate(points["category"].tolist()):
            by_category.setdefault(category, []).append(position)
        symbols = {}
        for category_id in self.dataset.categories.index:
            chosen = by_category.get(category_id, [])
            hidden = bool(self.view.categories) and category_id not in self.view.categories
            changes = {"showlegend": len(chosen) > 0,  # the legend lists what the view holds
                       "visible": "legendonly" if hidden else True}
            symbols[category_id] = changes | _stacked(
                [lons[i] for i in chosen], [lats[i] for i in chosen],
                [record_ids[i] for i in chosen], [names[i] for i in chosen], self.lang)
        hosts = dict(zip(zip(lons, lats), [iso3 if isinstance(iso3, str) else None
                                           for iso3 in points["host_iso3"].tolist()]))
        reach, centres = _fan(self.frame, list(symbols.values()),
                              SIZES["category"] * self.room.scale, self.dataset, hosts)
        return symbols, reach, centres

    @cached_property
    def corner(self) -> str:
        drawn = [*self._fanned[0].values(), (self.clustered or NO_CLUSTERS) | {"visible": True}]
        return self.colourbar_corner or emptier_corner(self.frame, drawn, self.dots, self.room)

    @cached_property
    def dots(self) -> pd.DataFrame:
        """The small states' dots drawn: not those under a cluster's circle, which would
        hide them and take the cluster's hover (Plotly's hover prefers the smaller)."""
        if not self.clustered:
            return self.small
        xs, ys = self.frame.project(self.small["marker_lon"], self.small["marker_lat"])
        covered = np.zeros(len(self.small), dtype=bool)
        for left, top, right, bottom in self.circles:
            covered |= (xs >= left) & (xs <= right) & (ys >= top) & (ys <= bottom)
        return self.small[~covered]

    @cached_property
    def circles(self) -> list[tuple[float, float, float, float]]:
        """The clusters' circles' boxes in the frame's px (left, top, right, bottom)."""
        if not self.clustered:
            return []
        xs, ys = self.frame.project(self.clustered["lon"], self.clustered["lat"])
        return [(x - size / 2, y - size / 2, x + size / 2, y + size / 2)
                for x, y, size in zip(xs.tolist(), ys.tolist(), self.clustered["marker.size"])]

    @cached_property
    def selection(self) -> tuple[list[str], list[float]]:
        return selected_places(self.dataset, self.selected)

    @cached_property
    def spoke_lines(self) -> tuple[list, list]:
        lons: list = []
        lats: list = []
        marker = self.dataset.countries
        for hub_lon, hub_lat, covered in zip(self.zones["lon"], self.zones["lat"],
                                             self.zones["footprint"]):
            for iso3 in sorted(covered):
                lons += [hub_lon, marker.at[iso3, "marker_lon"], None]
                lats += [hub_lat, marker.at[iso3, "marker_lat"], None]
        return lons, lats

    @cached_property
    def names(self) -> PlacedNames:
        view, counts = self.view, self.counts
        # A country's page names its neighbours too, whether or not they have records.
        named_countries = counts if not view.touching else \
            counts + 1 + (counts.index == view.touching) * counts.max()
        # Clusters are not named (their number says what they hold): names keep off them.
        named_points = self.shown_points.iloc[:0] if self.clustered else self.shown_points
        # No name is crossed by a spoke, nor on paper by the dotted outline of an
        # approximate extent or the outline of a coverage zone.
        lines = name_placement.line_segments(self.frame, *self.spoke_lines)
        if self.clear_of_outlines:
            for countries_in, data in zip(approximate_footprints(self.dataset), self.outlines):
                if data["visible"]:
                    lines += name_placement.polyline_segments(
                        self.frame, *outline(self.dataset, countries_in))
            # A coverage zone's outline is its countries' together.
            for covered in self.zones["footprint"]:
                lines += name_placement.polyline_segments(
                    self.frame, *outline(self.dataset, covered))
        return place_names(self.dataset, self.frame, named_points, self._fanned[1], self.dots,
                           named_countries, self.room, self.lang, self.name_scale,
                           [_colourbar_box(self.frame, self.room, self.corner), *self.circles],
                           lines, centres=self._fanned[2])

    @cached_property
    def _area_rows(self) -> list[tuple]:
        """The areas in view read as plain lists once, each (theme, approximate, record id,
        hover name, layer, the countries of its footprint)."""
        areas = self.areas
        return list(zip(areas["theme"].tolist(), (areas["extent"] == "approximate").tolist(),
                        areas.index.tolist(), _names(areas, self.lang),
                        areas["layer"].tolist(), areas["footprint"].tolist()))

    @cached_property
    def _stand_in_rows(self) -> list[tuple]:
        """The approximate project footprints in view: stand-ins for the regions their
        sources name."""
        return [row for row in self._area_rows if _is_stand_in(row)]

    @cached_property
    def washes(self) -> int:
        # Stand-ins of several themes over one continent would add up to a wash that hides
        # its countries: together they are never darker than one.
        return max(1, len({theme for theme, approximate, *_ in self._area_rows
                           if approximate and isinstance(theme, str)}))

    @cached_property
    def filled(self) -> dict[tuple[str, bool], dict]:
        """Each theme's filled areas, by (theme, approximate); the stand-ins apart."""
        # One split, not a mask per theme (the rows of each theme and extent, in order).
        rows: dict[tuple[str, bool], list[tuple]] = {}
        for row in self._area_rows:
            if not _is_stand_in(row):
                rows.setdefault(row[:2], []).append(row[2:])
        filled = {}
        for theme in self.dataset.themes.index:
            for is_approximate in (False, True):
                data = _filled_data(self.dataset, rows.get((theme, is_approximate), []),
                                    self.lang, self.stand_in_lines)
                # One dotted key entry stands for every approximate fill.
                filled[(theme, is_approximate)] = data | {
                    "showlegend": not is_approximate and bool(data["locations"])} | (
                    {"marker.opacity": APPROXIMATE_OPACITY / self.washes}
                    if is_approximate else {})
        return filled

    @cached_property
    def stand_in_lines(self) -> dict[str, str]:
        """What the hover of a country under stand-ins in view adds, by iso3: for each
        theme, that its fill is an approximate extent, and the records it stands in for."""
        covering: dict[str, dict[str, list]] = {}  # by theme, by country: (id, name)
        for theme, _, record_id, name, _, countries_in in self._stand_in_rows:
            for iso3 in countries_in:
                covering.setdefault(theme, {}).setdefault(iso3, []).append((record_id, name))
        words = tr("map approximate hover", self.lang)
        lines: dict[str, str] = {}
        for theme, label in theme_labels(self.dataset)[self.lang].items():
            for iso3, group in covering.get(theme, {}).items():
                lines[iso3] = (f"{lines.get(iso3, '')}<br><i>{label} — {words}</i>"
                               f"<br>{_listed(group, self.lang)}")
        return lines

    @cached_property
    def outlines(self) -> list[dict]:
        shown = set(outlined(self.records))
        data, explained = [], False  # one legend entry explains every dotted outline
        for countries_in in approximate_footprints(self.dataset):
            visible = countries_in in shown
            data.append({"visible": visible, "showlegend": visible and not explained})
            explained = explained or visible
        return data

    # One method per kind of slot, given the slot's key.

    def countries(self, _) -> dict:
        lines = self.stand_in_lines
        # Whole-number ticks: a count of 0.5 records means nothing.
        return {"z": self.counts.tolist(), "zmax": self.top,
                "hovertext": [lines.get(iso3, "") for iso3 in self.dataset.countries.index],
                "colorbar.dtick": max(1, math.ceil(self.top / 5)),
                "colorbar.x": 0.005 if self.corner == "left" else 0.995,
                "colorbar.xanchor": self.corner}

    def footprint(self, theme: str) -> dict:
        return self.filled[(theme, False)]

    @cached_property
    def _pieces_shown(self) -> dict[str, set[int]]:
        """By theme, the pieces of its stand-ins in view."""
        pieces_of = stand_in_pieces(self.dataset).of
        shown: dict[str, set[int]] = {}
        for theme, _, _, _, _, countries_in in self._stand_in_rows:
            shown.setdefault(theme, set()).update(pieces_of[countries_in])
        return shown

    def stand_ins(self, theme: str) -> dict:
        """The pieces of the theme's stand-ins in view, each once."""
        pieces = self._pieces_shown.get(theme, set())
        return {"locations": [f"stand-in:{piece}" for piece in sorted(pieces)],
                "z": [1] * len(pieces), "marker.opacity": APPROXIMATE_OPACITY / self.washes}

    def approximate(self, theme: str) -> dict:
        return self.filled[(theme, True)]

    def outline(self, number: str) -> dict:
        return self.outlines[int(number)]

    def coverage(self, _) -> dict:
        return _area_data(self.zones, self.lang) | {"showlegend": len(self.zones) > 0}

    def spokes(self, _) -> dict:
        lons, lats = self.spoke_lines
        return {"lon": lons, "lat": lats, "showlegend": bool(lons)}

    def selection_areas(self, _) -> dict:
        outlined_countries, _ring = self.selection
        return {"locations": outlined_countries, "z": [1] * len(outlined_countries)}

    def country_labels(self, _) -> dict:
        return self.names.countries

    def small_states(self, _) -> dict:
        small = self.dots
        return {"lon": small["marker_lon"].round(3).tolist(),
                "lat": small["marker_lat"].round(3).tolist(),
                "text": as_text(small[f"name_{self.lang}"]),
                "customdata": [f"country:{code}" for code in small.index],
                "marker.color": self.counts[small.index].tolist(), "marker.cmax": self.top,
                "showlegend": len(small) > 0}

    def category(self, category_id: str) -> dict:
        return self._fanned[0][category_id]

    def clusters(self, _) -> dict:
        return self.clustered or NO_CLUSTERS

    def leaders(self, _) -> dict:
        return self.names.leaders

    def labels(self, _) -> dict:
        return self.names.places

    def numbered(self, _) -> dict:
        key = list(self.names.key)
        unnamed = self.names.unnamed
        if unnamed:
            # The names are escaped already, as every name on the map. Listed up to
            # MOST_UNNAMED, the rest counted, in lines of the legend's width: one line of a
            # layer's 300 names at one place was 12,500 px wide, and Plotly left the map 64.
            listed = list_separator(self.lang).join(unnamed[:MOST_UNNAMED])
            if len(unnamed) > MOST_UNNAMED:
                listed += tr("map unnamed more", self.lang, count=len(unnamed) - MOST_UNNAMED)
            key.append(wrapped(f"{tr('map unnamed', self.lang)}{separator(self.lang)}{listed}"))
        return {"showlegend": bool(key), "name": "<br>".join(key) or " "}

    def selection_point(self, _) -> dict:
        _outlined, ring = self.selection
        return {"lon": ring[:1], "lat": ring[1:]}


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


def _is_stand_in(row: tuple) -> bool:
    """Whether an area row of InView._area_rows is an approximate project footprint."""
    return row[1] and row[4] == "project-footprint"


def _listed(group: list, lang: str) -> str:
    """A group's names for its hover: the first STACK_LISTED, then how many more."""
    listed = "<br>".join(name for _, name in group[:STACK_LISTED])
    if len(group) > STACK_LISTED:
        listed += "<br>" + tr("map more", lang, count=len(group) - STACK_LISTED)
    return listed


def _filled_data(dataset: Dataset, areas: list[tuple], lang: str,
                 stand_in_lines: dict[str, str]) -> dict:
    """The filled areas of one theme in view, each (record id, hover name, layer, the
    countries of its footprint). A project footprint fills each country it covers: one
    feature per country however many footprints meet there, which its hover lists, with the
    stand-ins over it (the pointer reaches the footprint, not the country under it); a click
    there opens the country, whose panel lists them (a footprint never takes a country's
    click). A sea area or an imported area is its own feature."""
    if not areas:  # most themes, in most views: spare the frames' work
        return {"locations": [], "z": [], "text": [], "customdata": []}
    own: dict = {"locations": [], "text": []}
    covering: dict = {}  # each country a footprint covers: its (record id, name), in order
    for record_id, name, layer, countries_in in areas:
        if layer == "project-footprint":
            for iso3 in countries_in:
                covering.setdefault(iso3, []).append((record_id, name))
        else:
            own["locations"].append(record_id)
            own["text"].append(name)
    names = _country_names(dataset)[lang]
    codes = sorted(covering)
    locations = [f"country:{iso3}" for iso3 in codes] + own["locations"]
    return {"locations": locations, "z": [1] * len(locations),
            "text": [f"<b>{escape(names[iso3], quote=False)}</b><br>"
                     f"{_listed(covering[iso3], lang)}{stand_in_lines.get(iso3, '')}"
                     for iso3 in codes] + own["text"],
            "customdata": list(locations)}


def stacks(points: pd.DataFrame, lang: str) -> dict:
    """One symbol per place for the point records of one category: records at the same lon
    and lat are one stack, listed in its hover (the place's name on the map says how many
    records it holds). A click selects the stack's first record, whose details list the
    others at that place."""
    return _stacked(points["lon"].tolist(), points["lat"].tolist(), points.index.tolist(),
                    _names(points, lang), lang)


def _stacked(lons: list, lats: list, record_ids: list, names: list, lang: str) -> dict:
    """`stacks` of records given as lists: their places, ids and hover names, in order."""
    if not lons:  # with no point, stale names do no harm: spare the bytes
        return {"lon": [], "lat": []}
    places: dict = {}  # each place's (record id, name) pairs in record order
    for place, record_id, name in zip(zip(lons, lats), record_ids, names):
        places.setdefault(place, []).append((record_id, name))
    here = tr("map records here", lang)
    return {"lon": [lon for lon, _ in places], "lat": [lat for _, lat in places],
            "hovertext": [(here.format(count=len(stack)) + "<br>" if len(stack) > 1 else "")
                          + _listed(stack, lang) for stack in places.values()],
            "customdata": [stack[0][0] for stack in places.values()]}


def _colourbar_box(frame: name_placement.Frame, room: Room,
                   corner: str) -> tuple[float, float, float, float]:
    """The colour bar's box in the frame's px (left, top, right, bottom), with a margin."""
    width, height = COLOURBAR[0] * room.scale + 8, COLOURBAR[1] * room.scale + 8
    left = 0 if corner == "left" else frame.width - width
    return left, frame.height - height, left + width, frame.height


def emptier_corner(frame: name_placement.Frame, symbols: list[dict], small: pd.DataFrame,
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


def _fan(frame: name_placement.Frame, symbols: list[dict], size: float, dataset: Dataset,
         hosts: dict) -> tuple[dict, dict]:
    """Symbols of several categories at one place are spread on a small ring around it, so
    each can be seen and clicked; a ring that would cover much of its host country's land
    (`hosts`: place → iso3) is set on the sea beside it (figures/world_map/offshore.py).
    Moves them in `symbols`; returns each place's symbols' reach in px (the radius its name
    keeps clear of), and the moved rings' centres (lon, lat) by place."""
    at_place: dict = {}
    for slot, changes in enumerate(symbols):
        if changes.get("visible") is not True:
            continue
        for index, place in enumerate(zip(changes["lon"], changes["lat"])):
            at_place.setdefault(place, []).append((slot, index))
    # Neighbours on a ring do not touch.
    rings = {place: size * (0.5 + 0.16 * len(members))
             for place, members in at_place.items() if len(members) > 1}
    reach = {place: rings[place] + size / 2 if place in rings else size / 2
             for place in at_place}
    moved = offshore(dataset, frame, {place: (hosts.get(place), reach[place]) for place in rings})
    centres = {}
    for (lon, lat), ring in rings.items():
        per_x, per_y = frame.degrees_per_pixel(lon, lat)
        dx, dy = moved.get((lon, lat), (0.0, 0.0))
        centre_lon, centre_lat = lon + dx * per_x, lat - dy * per_y
        if (lon, lat) in moved:
            centres[(lon, lat)] = (round(centre_lon, 4), round(centre_lat, 4))
        members = at_place[(lon, lat)]
        for number, (slot, index) in enumerate(members):
            angle = math.pi / 2 - 2 * math.pi * number / len(members)
            symbols[slot]["lon"][index] = round(centre_lon + ring * math.cos(angle) * per_x, 4)
            symbols[slot]["lat"][index] = round(centre_lat + ring * math.sin(angle) * per_y, 4)
    return reach, centres
