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

from figures.region_fit import region_geo
from layers import FILLED_AREA_LAYERS, POINT_LAYERS, build_layer, countries
from layers._build import footprint
from presence.dataset import Dataset
from presence.views import View, filter_mask

CHOROPLETH_SCALE = [[0.0, "#f4f4f2"], [0.001, "#dedcd6"], [1.0, "#6b6860"]]
OCEAN = "#e9f1f6"
SELECTION = "#111111"
COVERAGE = "#5a5a5a"
FOOTPRINT_OPACITY = 0.35
DRAWN_COLUMNS = ["layer", "theme", "category", "lon", "lat", "name_en", "name_fr", "footprint",
                 "counted", "extent", "places"]
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
SIZES = {"category": 11, "small-states": 9, "selection-point": 24, "legend": 11}
PRESENTING_SCALE = 1.7

AREA_TOLERANCE = 0.1  # degrees; areas are translucent overlays, drawn over exact borders
# Areas drawn by their own shape; project footprints are drawn country by country.
OWN_SHAPE_LAYERS = ("coverage-zone", "imported-area")


# A stack's hover lists this many of its records' names, then says how many more.
STACK_LISTED = 5
STACK_WORDS = {
    "en": {"here": "<b>{count} records here</b>", "more": "… and {count} more"},
    "fr": {"here": "<b>{count} éléments ici</b>", "more": "… et {count} de plus"},
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
            "coverage", "spokes", "selection-areas", "small-states",
            *(f"category:{category}" for category in dataset.categories.index),
            "selection-point"]


def approximate_footprints(dataset: Dataset) -> list[frozenset[str]]:
    """The distinct areas that approximate records draw, in record order: each gets a dotted
    outline trace of its own, drawn once, which a change of view only shows or hides."""
    records = dataset.records
    chosen = records.loc[records["extent"] == "approximate", "footprint"]
    return list(dict.fromkeys(footprint for footprint in chosen if footprint))


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
    shape = shapely.simplify(footprint(dataset, countries_in), OUTLINE_TOLERANCE,
                             preserve_topology=True)
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
    return as_text(records[f"name_{lang}"].fillna(records["name_en"]))


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
        listed += "<br>" + STACK_WORDS[lang]["more"].format(count=len(group) - STACK_LISTED)
    return listed


def _filled_data(dataset: Dataset, records: pd.DataFrame, lang: str) -> dict:
    """The filled areas of one theme in view. A project footprint fills each country it
    covers: one feature per country however many footprints meet there, which its hover
    lists (a click selects the footprint, or the country when there are several). An
    imported area is its own feature."""
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
            "customdata": [covering[iso3][0][0] if len(covering[iso3]) == 1
                           else f"country:{iso3}" for iso3 in codes] + own["customdata"]}


def stacks(points: pd.DataFrame, lang: str) -> dict:
    """One symbol per place for the point records of one category: records at the same lon
    and lat are one stack, labelled with their number and listed in its hover. A click
    selects the stack's first record, whose details list the others at that place."""
    if not len(points):  # with no point, stale names do no harm: spare the bytes
        return {"lon": [], "lat": []}
    places = _grouped(zip(points["lon"].tolist(), points["lat"].tolist()), points, lang)
    here = STACK_WORDS[lang]["here"]
    return {"lon": [lon for lon, _ in places], "lat": [lat for _, lat in places],
            "text": [str(len(stack)) if len(stack) > 1 else "" for stack in places.values()],
            "hovertext": [(here.format(count=len(stack)) + "<br>" if len(stack) > 1 else "")
                          + _listed(stack, lang) for stack in places.values()],
            "customdata": [stack[0][0] for stack in places.values()]}


def view_data(dataset: Dataset, view: View, selected: str | None = None,
              lang: str = "en") -> list[dict]:
    """For each trace slot, the properties that depend on the view. Dotted keys
    ("marker.color") are nested properties."""
    # Only the columns drawn: filtering copies every column it keeps.
    drawn = dataset.records[DRAWN_COLUMNS]
    records = drawn[filter_mask(dataset, view)]
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
    for chosen in (areas[~approximate], areas[approximate]):
        by_theme = dict(tuple(chosen.groupby("theme")))
        for theme in dataset.themes.index:
            data.append(_filled_data(dataset, by_theme.get(theme, chosen.iloc[:0]), lang))
    shown = set(records.loc[records["extent"] == "approximate", "footprint"])
    in_legend = False  # one legend entry explains every dotted outline
    for countries_in in approximate_footprints(dataset):
        visible = countries_in in shown
        data.append({"visible": visible, "showlegend": visible and not in_legend})
        in_legend = in_legend or visible

    zones = records[records["layer"] == "coverage-zone"]
    data.append(_area_data(zones, lang))
    spoke_lon, spoke_lat = [], []
    for hub_lon, hub_lat, covered in zip(zones["lon"], zones["lat"], zones["footprint"]):
        for iso3 in sorted(covered):
            spoke_lon += [hub_lon, dataset.countries.at[iso3, "marker_lon"], None]
            spoke_lat += [hub_lat, dataset.countries.at[iso3, "marker_lat"], None]
    data.append({"lon": spoke_lon, "lat": spoke_lat})

    outlined, ring = selected_places(dataset, selected)
    data.append({"locations": outlined, "z": [1] * len(outlined)})

    small_state = dataset.countries["small_state"] & (counts > 0)
    small = dataset.countries[small_state]
    data.append({"lon": small["marker_lon"].round(3).tolist(),
                 "lat": small["marker_lat"].round(3).tolist(),
                 "text": as_text(small[f"name_{lang}"]),
                 "customdata": [f"country:{code}" for code in small.index],
                 "marker.color": counts[small_state].tolist(), "marker.cmax": top})

    # Point records carry their own lon/lat: no need to build the layers' geometries here.
    points = with_hidden[with_hidden["layer"].isin(POINT_LAYERS)]
    by_category = dict(tuple(points.groupby("category")))  # one split, not one mask per category
    for category_id in dataset.categories.index:
        chosen = by_category.get(category_id, points.iloc[:0])
        hidden = bool(view.categories) and category_id not in view.categories
        changes = {"showlegend": len(chosen) > 0,  # the legend lists what the view holds
                   "visible": "legendonly" if hidden else True}
        data.append(changes | stacks(chosen, lang))
    data.append({"lon": ring[:1], "lat": ring[1:]})
    return data


def stack_slots(dataset: Dataset) -> list[int]:
    """The trace slots whose text is a stack's number of records."""
    return [index for index, name in enumerate(trace_names(dataset))
            if name.startswith("category:")]


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


def _fixed_traces(dataset: Dataset, sources: GeoSources, lang: str) -> list:
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
            colorbar={"title": {"text": "Records" if lang == "en" else "Éléments"},
                      "thickness": 12, "len": 0.5, "x": 1.0},
            hovertemplate="%{text}: %{z}<extra></extra>",
            name="countries",
            showlegend=False,
        ),
    ]
    for theme_id, theme in dataset.themes.iterrows():
        hover = f"%{{text}}<extra>{as_text([theme[f'label_{lang}']])[0]}</extra>"
        traces.append(_area_trace(sources.areas, "id", f"footprint:{theme_id}", hover,
                                  theme["colour"], theme["colour"], 0.6, FOOTPRINT_OPACITY))
    for theme_id, theme in dataset.themes.iterrows():
        hover = (f"%{{text}}<extra>{as_text([theme[f'label_{lang}']])[0]} — "
                 f"{APPROXIMATE_WORDS[lang]['hover']}</extra>")
        traces.append(_area_trace(sources.areas, "id", f"approximate:{theme_id}", hover,
                                  theme["colour"], "rgba(0,0,0,0)", 0, APPROXIMATE_OPACITY))
    for countries_in in approximate_footprints(dataset):
        lons, lats = _outline(dataset, countries_in)
        traces.append(go.Scattergeo(
            lon=lons, lat=lats, mode="lines", name=APPROXIMATE_WORDS[lang]["legend"],
            legendgroup="approximate", legendrank=2000, hoverinfo="skip",
            line={"color": APPROXIMATE_LINE, "width": 1.3, "dash": "dot"}))
    traces += [
        _area_trace(sources.areas, "id", "coverage", "%{text}<extra></extra>",
                    "rgba(0,0,0,0)", COVERAGE, 1.2),
        go.Scattergeo(mode="lines", name="spokes", hoverinfo="skip", showlegend=False,
                      line={"color": COVERAGE, "width": 1.0}),
        _area_trace(sources.countries, "iso3", "selection-areas", "Selected<extra></extra>",
                    "rgba(0,0,0,0)", SELECTION, 2.5),
        # Small island states as dots shaded like the choropleth, so they stay visible.
        go.Scattergeo(
            mode="markers",
            marker={"size": SIZES["small-states"], "colorscale": CHOROPLETH_SCALE, "cmin": 0,
                    "line": {"color": "#4d4a44", "width": 1}},
            hovertemplate="%{text}<extra></extra>",
            name="small-states",
            showlegend=False,
        ),
    ]
    # One trace per legend category, so each keeps its own symbol, colour and legend entry.
    for _, category in dataset.categories.iterrows():
        traces.append(go.Scattergeo(
            mode="markers+text",  # the text is a stack's number of records
            marker={"symbol": category["symbol"], "color": category["colour"],
                    "size": SIZES["category"],
                    "line": {"color": "#ffffff", "width": 1}},
            textposition="top right",
            textfont={"size": SIZES["legend"], "color": "#1d1b18"},
            name=as_text([category[f"label_{lang}"]])[0],
            legendgroup=category["theme"],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    traces.append(go.Scattergeo(
        mode="markers", name="selection-point", hoverinfo="skip", showlegend=False,
        marker={"symbol": "circle-open", "size": SIZES["selection-point"], "color": SELECTION,
                "line": {"width": 3}}))
    return traces


def build_map(dataset: Dataset, view: View | None = None, selected: str | None = None,
              lang: str = "en", sources: GeoSources | None = None) -> go.Figure:
    """The whole figure; `sources` says where its area traces find their polygons
    (default: embedded in the figure)."""
    figure = go.Figure(_fixed_traces(dataset, sources or GeoSources.embedded(dataset), lang))
    for trace, changes in zip(figure.data, view_data(dataset, view or View(), selected, lang)):
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
    figure.update_geos(**{key.replace(".", "_"): value
                          for key, value in region_geo(dataset, (view or View()).region).items()})
    figure.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "font": {"size": SIZES["legend"]},
                "itemclick": "toggle", "itemdoubleclick": "toggleothers",
                "groupclick": "toggleitem"},  # a click hides one category, not its theme
        paper_bgcolor="#ffffff",
        font={"family": "Arial, Helvetica, sans-serif"},
        clickmode="event",
        uirevision="map",  # keep the user's zoom and pan across filter patches
    )
    return figure
