"""The names on the map: of the places with symbols, of the small states' dots and of the
countries with records in view, placed together by figures.name_placement."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from figures import name_placement
from figures.world_map.room import Room
from figures.world_map.style import SIZES
from figures.world_map.traces import as_text
from i18n import labels as in_language
from presence.dataset import Dataset

# How a record is placed when its city goes beside its acronym on the map.
CITY_NAMED = ("named", "site")


@dataclass(frozen=True)
class PlacedNames:
    """The data of the name slots: places' names, countries' names, the leader lines of
    names moved off their place, and the numbers' key (places named by a number)."""

    places: dict
    countries: dict
    leaders: dict
    key: list[str]
    unnamed: list[str]  # places with no room for a name or a number


# A point record's fields its place's name is made of (place_name), as `_stacks` reads them.
NAME_FIELDS = ("city", "short", "short_en", "name", "name_en", "place_basis")


def place_name(stack: list[dict], lang: str) -> str:
    """A place's name on the map: its record's short name (an acronym as the source writes
    it), or the city; with the number of records when there are several. `stack`: the
    place's records in order, each its NAME_FIELDS in the map's language."""
    if len(stack) > 1:
        city = next((record["city"] for record in stack if not _missing(record["city"])), None)
        first = stack[0]
        name = city if city is not None else \
            first["name"] if not _missing(first["name"]) else first["name_en"]
        return f"{name} ({len(stack)})"
    record = stack[0]
    city = record["city"]  # the city's name in the map's language (Pékin, Manille)
    for column in ("short", "short_en", "city"):
        if isinstance(record[column], str) and record[column]:
            # An acronym says where it is ("COSS, Nouméa") where its city is known: the
            # source's, or the facility's own site; not a capital standing in for a country.
            if column != "city" and isinstance(city, str) and city \
                    and city != record[column] and record["place_basis"] in CITY_NAMED:
                return f"{record[column]}, {city}"
            return record[column]
    name = record["name"] if isinstance(record["name"], str) else record["name_en"]
    return name if len(name) <= 28 else name[:27] + "…"


def _missing(value) -> bool:
    """A blank cell as pandas reads one: None or NaN (an empty text is a value)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _stacks(points: pd.DataFrame, lang: str) -> dict[tuple[float, float], list[dict]]:
    """The point records by place (lon, lat), places in the order first met and records in
    order, each with its NAME_FIELDS in `lang`: read as plain lists, once, not a pandas
    group per place."""
    columns = {"city": in_language(points, "city", lang), "short": points[f"short_{lang}"],
               "short_en": points["short_en"], "name": points[f"name_{lang}"],
               "name_en": points["name_en"], "place_basis": points["place_basis"]}
    values = [column.tolist() for column in columns.values()]
    stacks: dict[tuple[float, float], list[dict]] = {}
    for lon, lat, *fields in zip(points["lon"].tolist(), points["lat"].tolist(), *values):
        if _missing(lon) or _missing(lat):  # no place to name (as pandas' groupby drops it)
            continue
        stacks.setdefault((lon, lat), []).append(dict(zip(NAME_FIELDS, fields)))
    return stacks


def place_names(dataset: Dataset, frame: name_placement.Frame, points: pd.DataFrame,
                reach: dict, small: pd.DataFrame, counts: pd.Series, room: Room, lang: str,
                name_scale: float = 1.0, keep_off=(), lines=(),
                centres: dict | None = None) -> PlacedNames:
    """The names of the places with symbols, of the small states' dots and of the countries
    with records in view (`counts` > 0), placed together (places first, then countries with
    the most records first), off the boxes `keep_off` and clear of the `lines` (the spokes'
    segments in px). A place whose symbols' ring was set off its land (`centres`: place →
    the ring's centre) is named beside the ring, and a line joins the ring to its place."""
    size = SIZES["label"] * room.scale * name_scale
    centres = centres or {}
    groups = _stacks(points, lang)
    order = sorted(groups, key=lambda place: -len(groups[place]))
    places = []
    for lon, lat in order:
        drawn_lon, drawn_lat = centres.get((lon, lat), (lon, lat))
        places.append(name_placement.Place(
            drawn_lon, drawn_lat, as_text([place_name(groups[(lon, lat)], lang)])[0],
            reach.get((lon, lat), SIZES["category"] * room.scale / 2)))
    # The rings' lines back to their places: drawn with the names' leaders, and no name
    # crosses them.
    ring_lon, ring_lat = _ring_leaders(frame, centres, reach)
    lines = [*lines, *name_placement.line_segments(frame, ring_lon, ring_lat, pieces=1)]
    # A small state's dot under a named place is named by it.
    site_x, site_y = frame.project([p.lon for p in places], [p.lat for p in places])
    dot = SIZES["small-states"] * room.scale
    dot_lon, dot_lat = small["marker_lon"].tolist(), small["marker_lat"].tolist()
    dot_x, dot_y = frame.project(dot_lon, dot_lat)
    for lon, lat, name, x, y in zip(dot_lon, dot_lat, as_text(small[f"name_{lang}"]),
                                    dot_x, dot_y):
        if not (((site_x - x) ** 2 + (site_y - y) ** 2) < (2 * dot) ** 2).any():
            places.append(name_placement.Place(lon, lat, name, dot / 2))
    symbol_places = len(places)
    places += _country_places(dataset, counts, set(small.index), lang)
    placement = name_placement.place(frame, places, size, keep_off=keep_off, lines=lines)

    anchors = {}  # a moved name's point, and its leader line from the place
    leader_lon: list = list(ring_lon)
    leader_lat: list = list(ring_lat)
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
    return PlacedNames(trace(range(symbol_places)), trace(range(symbol_places, len(places))),
                       {"lon": leader_lon, "lat": leader_lat}, placement.key,
                       placement.unnamed)


def _country_places(dataset: Dataset, counts: pd.Series, dotted: set[str],
                    lang: str) -> list[name_placement.Place]:
    """The countries with records in view and no dot of their own (`dotted`: a small
    state's dot is named with the places), most records first."""
    countries = dataset.countries
    chosen = [index for index, (iso3, count) in enumerate(zip(countries.index.tolist(),
                                                              counts.tolist()))
              if count > 0 and iso3 not in dotted]
    records = np.asarray(counts.to_numpy()[chosen])
    # Most records first, ties in the order pandas' sort_values(ascending=False) gives them
    # (its quicksort on the reversed values, reversed back), as the names were placed before.
    order = np.arange(len(chosen))[::-1][records[::-1].argsort(kind="quicksort")][::-1]
    lons, lats = countries["marker_lon"].tolist(), countries["marker_lat"].tolist()
    names = as_text(countries[f"name_{lang}"])
    return [name_placement.Place(lons[chosen[i]], lats[chosen[i]], names[chosen[i]], 0,
                                 symbol=False) for i in order.tolist()]


def _ring_leaders(frame: name_placement.Frame, centres: dict, reach: dict) -> tuple[list, list]:
    """Lines from each place to the edge of its ring set on the sea, as Plotly takes them
    (lon, lat, with None between lines)."""
    lons: list = []
    lats: list = []
    for (lon, lat), (centre_lon, centre_lat) in centres.items():
        xs, ys = frame.project([lon, centre_lon], [lat, centre_lat])
        dx, dy = xs[0] - xs[1], ys[0] - ys[1]
        length = math.hypot(dx, dy)
        if length <= reach[(lon, lat)]:
            continue
        per_x, per_y = frame.degrees_per_pixel(centre_lon, centre_lat)
        share = reach[(lon, lat)] / length
        lons += [lon, round(centre_lon + dx * share * per_x, 4), None]
        lats += [lat, round(centre_lat - dy * share * per_y, 4), None]
    return lons, lats
