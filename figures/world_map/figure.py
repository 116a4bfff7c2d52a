"""The whole map figure, and the layout properties that depend on the room."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from figures.name_placement import Frame
from figures.region_fit import view_geo
from figures.world_map.areas import BY_NAME, GeoSources
from figures.world_map.room import Room, in_legend
from figures.world_map.slots import mode_sizes, polygon_slots
from figures.world_map.style import NUMBER_SEPARATORS, OCEAN
from figures.world_map.traces import fixed_traces
from figures.world_map.view_data import view_data
from presence.dataset import Dataset
from presence.memo import per_dataset
from presence.views import View, filter_records


def map_layout(room: Room, dataset: Dataset, view: View, lang: str = "en",
               selected: str | None = None, records: pd.DataFrame | None = None,
               sources: GeoSources | None = None, zoom: float = 1.0) -> dict:
    """The layout properties that depend on the room: the frame (the view's region, or a
    selected country and its neighbourhood) widened to the map's shape, and where the
    legend sits. `records` are the view's, when the caller has filtered them already.
    With `sources`, also the polygons the frame draws (see `drawn_polygons`), the user
    having zoomed in `zoom` times."""
    records = filter_records(dataset, view) if records is None else records
    room = in_legend(room, dataset, records, lang)
    geo = view_geo(dataset, view.region, selected)
    frame = room.frame(geo)
    beside = room.legend_right(geo)
    size = round(room.legend_type(beside), 1)
    legend = ({"orientation": "v", "x": 1.0, "xanchor": "left", "y": 1, "yanchor": "top"}
              if beside else
              {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.01, "yanchor": "top"})
    placed = {"geo": frame.geo, "legend": legend | {"font": {"size": size},
                                                    "grouptitlefont": {"size": size}}}
    if sources is not None:
        placed["polygons"], meta = drawn_polygons(dataset, sources, frame, zoom)
        # The size framed for, as assets/map-size.js reports it: the page can tell a map
        # drawn for its own size from one drawn for the default, before the size came.
        placed["meta"] = meta | {"room": [round(room.width), round(room.height)]}
    return placed


def drawn_polygons(dataset: Dataset, sources: GeoSources, frame: Frame,
                   zoom: float = 1.0) -> tuple[dict[int, str | dict], dict]:
    """Each polygon slot's GeoJSON for a frame the user zoomed in `zoom` times: the lightest
    whose tolerance one pixel spans (GeoSources.drawn_at). And the layout's meta: the zoom
    past which they no longer hold, for assets/map-size.js to ask for finer ones; and every
    URL the map may draw, for assets/polygons.js to fetch while the browser is idle."""
    geo = frame.geo
    per_pixel = min(frame.degrees_per_pixel(geo.get("center.lon", 0),
                                            geo.get("center.lat", 0))) / zoom
    drawn, tolerance = sources.drawn_at(per_pixel)
    polygons = {index: getattr(drawn, field) for index, field in polygon_slots(dataset).items()}
    finer_past = None if tolerance is None else round(zoom * per_pixel / tolerance, 3)
    urls = [url for level in (sources, *(lighter for _, lighter in sources.screen))
            for url in (level.countries, level.areas) if isinstance(url, str)]
    return polygons, {"finer_past_zoom": finer_past, "polygons": list(dict.fromkeys(urls))}


# What the page shows until its first map is built for the size the browser reports (one
# drawing, not one at a default size and another at the real one: callbacks/view.py). No
# axes, no data: Plotly draws it in milliseconds.
PLACEHOLDER = {"data": [], "layout": {
    "xaxis": {"visible": False}, "yaxis": {"visible": False},
    "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "paper_bgcolor": "#ffffff",
    "plot_bgcolor": "#ffffff", "meta": {"placeholder": True}}}


def build_map(dataset: Dataset, view: View | None = None, selected: str | None = None,
              lang: str = "en", sources: GeoSources | None = None,
              room: Room | None = None, presenting: bool = False) -> go.Figure:
    """The whole figure, as a plotly Figure for the exports to style further; `sources` says
    where its area traces find their polygons (default: named only, BY_NAME, for
    figures.fact_sheet.embed_geometry to put in). `presenting`: its type and symbols at the
    presentation's sizes."""
    return go.Figure(map_figure(dataset, view, selected, lang, sources, room, presenting))


def map_figure(dataset: Dataset, view: View | None = None, selected: str | None = None,
               lang: str = "en", sources: GeoSources | None = None,
               room: Room | None = None, presenting: bool = False) -> dict:
    """The whole figure as Plotly's JSON, as the page draws it (build_map's arguments): the
    data set's blank map with the view's data and the room's frame set in it, as map_patch
    sets a change. Plain dicts: plotly's graph objects check every value set, 100 of the
    140 ms a world map took to build (the blank map is checked once per language)."""
    sources = sources or BY_NAME
    view, room = view or View(), room or Room()
    blank = _blank_map(dataset, lang)
    data = [dict(trace) for trace in blank["data"]]
    for trace, changes in zip(data, view_data(dataset, view, selected, lang, room)):
        for key, value in changes.items():
            _put(trace, key.split("."), value)
    placed = map_layout(room, dataset, view, lang, selected, sources=sources)
    for index, geojson in placed["polygons"].items():
        data[index]["geojson"] = geojson
    layout = dict(blank["layout"])
    for key, value in placed["geo"].items():
        _put(layout, ["geo", *key.split(".")], value)
    layout["legend"] = placed["legend"] | layout["legend"]
    layout["meta"] = placed["meta"]
    if presenting:  # the legend's type is the room's already (map_layout: as large as fits)
        for (part, index, *path), size in mode_sizes(dataset, presenting):
            if part == "data":
                _put(data[index], path, size)
    return {"data": data, "layout": layout}


def _put(target: dict, path: list[str], value) -> None:
    """Sets a nested property, copying each dict on its way: the blank map's are shared by
    every figure built from it. None removes the property, as plotly does."""
    *parents, leaf = path
    for parent in parents:
        target[parent] = dict(target.get(parent) or {})
        target = target[parent]
    if value is None:
        target.pop(leaf, None)
    else:
        target[leaf] = value


@per_dataset
def _blank_maps(dataset: Dataset) -> dict[str, dict]:
    return {}  # by language, filled as they are asked for


def _blank_map(dataset: Dataset, lang: str) -> dict:
    """Every trace and the layout that no view or room changes, checked by plotly once."""
    blanks = _blank_maps(dataset)
    if lang not in blanks:
        figure = go.Figure(fixed_traces(dataset, BY_NAME, lang))
        figure.update_geos(projection_type="natural earth", showframe=False,
                           showcoastlines=False, showcountries=False, showland=False,
                           showocean=True, oceancolor=OCEAN)
        figure.update_layout(
            margin={"l": 0, "r": 0, "t": 0, "b": 0},
            legend={"itemclick": "toggle", "itemdoubleclick": "toggleothers",
                    "traceorder": "grouped",
                    "groupclick": "toggleitem",  # a click hides one category, not its theme
                    "tracegroupgap": 8},
            paper_bgcolor="#ffffff",
            font={"family": "Arial, Helvetica, sans-serif"},
            # Decimal mark and thousands separator of the colour bar's numbers: 1,5 and 12 500
            # in French.
            separators=NUMBER_SEPARATORS.get(lang, ".,"),
            clickmode="event",
            # A click picks a symbol only on it (2 px of slack), not 20 px around it, Plotly's
            # default: else the symbols of a country drawn small take every click on its
            # land, and its card, which a click on the land opens, is out of reach.
            hoverdistance=2,
            modebar={"orientation": "v"},  # down the map's left edge (assets/style.css)
            uirevision="map",  # keep the user's zoom and pan across filter patches
        )
        blanks[lang] = figure.to_plotly_json()
    return blanks[lang]
