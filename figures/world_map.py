"""The map: a choropleth of records per country under one marker trace per legend category."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go

from layers import POINT_LAYERS, countries
from presence.dataset import Dataset

CHOROPLETH_SCALE = [[0.0, "#f4f4f2"], [0.001, "#dedcd6"], [1.0, "#6b6860"]]
OCEAN = "#e9f1f6"


def countries_geojson(dataset: Dataset) -> dict:
    """The country polygons as GeoJSON keyed by iso3; sent to the browser once."""
    return json.loads(dataset.countries[["iso3", "geometry"]].to_json(drop_id=True))


def _top(frame) -> int:
    return max(int(frame["record_count"].max()), 1)


def view_data(dataset: Dataset, records: pd.DataFrame, lang: str = "en") -> list[dict]:
    """For each trace of the map, in order, the properties that depend on the records in view.

    Everything else (geometry, symbols, colours) is fixed when the map is first built, so a
    filter change sends only these: a few KB, never the polygons again.
    """
    frame = countries.build(dataset, records)
    top = _top(frame)
    small = frame[frame["small_state"] & (frame["record_count"] > 0)]
    data = [
        {"z": frame["record_count"].tolist(), "zmax": top},
        {"lon": small["marker_lon"].round(3).tolist(), "lat": small["marker_lat"].round(3).tolist(),
         "text": small[f"name_{lang}"].tolist(), "customdata": small["record_count"].tolist(),
         "marker.color": small["record_count"].tolist(), "marker.cmax": top},
    ]
    # Point records carry their own lon/lat: no need to build the layers' geometries here.
    columns = list(dict.fromkeys(["category", "lon", "lat", "name_en", f"name_{lang}"]))
    points = records.loc[records["layer"].isin(POINT_LAYERS), columns]
    by_category = dict(tuple(points.groupby("category")))  # one split, not one mask per category
    for category_id in dataset.categories.index:
        chosen = by_category.get(category_id, points.iloc[:0])
        data.append({
            "lon": chosen["lon"].tolist(), "lat": chosen["lat"].tolist(),
            "text": chosen[f"name_{lang}"].fillna(chosen["name_en"]).tolist(),
            "customdata": chosen.index.tolist(),
            "showlegend": not chosen.empty,  # the legend lists only what is on the map
        })
    return data


def _fixed_traces(dataset: Dataset, lang: str) -> list:
    # The choropleth comes first: Plotly reads the first trace to decide which base map to load.
    traces = [
        go.Choropleth(
            geojson=countries_geojson(dataset),
            featureidkey="properties.iso3",
            locations=dataset.countries["iso3"].tolist(),
            text=dataset.countries[f"name_{lang}"].tolist(),
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
        # Small island states as dots shaded like the choropleth, so they stay visible.
        go.Scattergeo(
            mode="markers",
            marker={"size": 9, "colorscale": CHOROPLETH_SCALE, "cmin": 0,
                    "line": {"color": "#4d4a44", "width": 1}},
            hovertemplate="%{text}: %{customdata}<extra></extra>",
            name="small states",
            showlegend=False,
        ),
    ]
    # One trace per legend category, so each keeps its own symbol, colour and legend entry.
    for _, category in dataset.categories.iterrows():
        traces.append(go.Scattergeo(
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
    figure = go.Figure(_fixed_traces(dataset, lang))
    for trace, changes in zip(figure.data, view_data(dataset, records, lang)):
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
    figure.update_layout(
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "font": {"size": 11}},
        paper_bgcolor="#ffffff",
        font={"family": "Arial, Helvetica, sans-serif"},
    )
    return figure
