"""The map: a choropleth of records per country under one marker trace per legend category."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go

from layers import POINT_LAYERS, build_layer, countries
from presence.dataset import Dataset

CHOROPLETH_SCALE = [[0.0, "#f4f4f2"], [0.001, "#dedcd6"], [1.0, "#6b6860"]]
OCEAN = "#e9f1f6"


def countries_geojson(dataset: Dataset) -> dict:
    """The country polygons as GeoJSON keyed by iso3; sent to the browser once."""
    return json.loads(dataset.countries[["iso3", "geometry"]].to_json(drop_id=True))


def _top(frame) -> int:
    return max(int(frame["record_count"].max()), 1)


def choropleth_trace(dataset: Dataset, frame: pd.DataFrame, lang: str = "en") -> go.Choropleth:
    """`frame` is the countries layer of the view (layers.countries.build)."""
    names = frame[f"name_{lang}"]
    return go.Choropleth(
        geojson=countries_geojson(dataset),
        featureidkey="properties.iso3",
        locations=frame["iso3"],
        z=frame["record_count"],
        text=names,
        zmin=0,
        zmax=_top(frame),
        colorscale=CHOROPLETH_SCALE,
        marker_line_color="#ffffff",
        marker_line_width=0.4,
        colorbar={"title": {"text": "Records" if lang == "en" else "Éléments"},
                  "thickness": 12, "len": 0.5, "x": 1.0},
        hovertemplate="%{text}: %{z}<extra></extra>",
        name="countries",
        showlegend=False,
    )


def small_state_trace(frame: pd.DataFrame, lang: str = "en") -> go.Scattergeo:
    """Small island states as dots shaded like the choropleth, so they stay visible."""
    shown = frame[frame["small_state"] & (frame["record_count"] > 0)]
    return go.Scattergeo(
        lon=shown["marker_lon"],
        lat=shown["marker_lat"],
        text=shown[f"name_{lang}"],
        customdata=shown["record_count"],
        mode="markers",
        marker={"size": 9, "color": shown["record_count"], "colorscale": CHOROPLETH_SCALE,
                "cmin": 0, "cmax": _top(frame),
                "line": {"color": "#4d4a44", "width": 1}},
        hovertemplate="%{text}: %{customdata}<extra></extra>",
        name="small states",
        showlegend=False,
    )


def marker_traces(dataset: Dataset, records: pd.DataFrame, lang: str = "en") -> list[go.Scattergeo]:
    """One Scattergeo per legend category, so each has its own symbol, colour and legend entry."""
    points = pd.concat([build_layer(dataset, layer, records) for layer in POINT_LAYERS])
    traces = []
    for category_id, category in dataset.categories.iterrows():
        chosen = points[points["category"] == category_id]
        if chosen.empty:
            continue
        traces.append(go.Scattergeo(
            lon=chosen["lon"],
            lat=chosen["lat"],
            text=chosen[f"name_{lang}"].fillna(chosen["name_en"]),
            customdata=chosen.index,
            mode="markers",
            marker={"symbol": category["symbol"], "color": category["colour"], "size": 11,
                    "line": {"color": "#ffffff", "width": 1}},
            name=category[f"label_{lang}"],
            legendgroup=category["theme"],
            hovertemplate="%{text}<extra></extra>",
        ))
    return traces


def build_map(dataset: Dataset, records: pd.DataFrame | None = None, lang: str = "en") -> go.Figure:
    records = dataset.records if records is None else records
    # The choropleth comes first: Plotly reads the first trace to decide which base map to load.
    frame = countries.build(dataset, records)
    figure = go.Figure([choropleth_trace(dataset, frame, lang),
                        small_state_trace(frame, lang),
                        *marker_traces(dataset, records, lang)])
    figure.update_geos(
        projection_type="natural earth",
        showframe=False,
        showcoastlines=False,
        showcountries=False,
        showland=False,
        showocean=True,
        oceancolor=OCEAN,
    )
    figure.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "font": {"size": 11}},
        paper_bgcolor="#ffffff",
        font={"family": "Arial, Helvetica, sans-serif"},
    )
    return figure
