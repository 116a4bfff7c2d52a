"""The page: filters beside the map, a header stating what is shown, and the sources."""

from __future__ import annotations

from dash import dcc, html

import ids
from figures.world_map import build_map
from layers import LAYERS
from presence.dataset import Dataset


def graph_config(topojson_url: str) -> dict:
    """Graph options; `topojsonURL` points Plotly at our own base maps instead of a CDN."""
    return {"topojsonURL": topojson_url, "displaylogo": False, "scrollZoom": True,
            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "cooperation-map"}}


def filters(dataset: Dataset) -> html.Aside:
    return html.Aside(className="filters", children=[
        html.Label("Region", htmlFor=ids.REGION),
        dcc.Dropdown(id=ids.REGION, value="world", clearable=False,
                     options=[{"label": row.name_en, "value": region_id}
                              for region_id, row in dataset.regions.iterrows()]),
        html.Fieldset([
            html.Legend("Themes"),
            dcc.Checklist(id=ids.THEMES, value=list(dataset.themes.index),
                          options=[{"label": row.label_en, "value": theme_id}
                                   for theme_id, row in dataset.themes.iterrows()],
                          labelClassName="choice"),
        ]),
        html.Fieldset([
            html.Legend("Layers"),
            dcc.Checklist(id=ids.LAYERS, value=list(LAYERS),
                          options=[{"label": spec.label_en, "value": layer_id}
                                   for layer_id, spec in LAYERS.items()],
                          labelClassName="choice"),
        ]),
    ])


def build_layout(dataset: Dataset, topojson_url: str) -> html.Div:
    sources = "; ".join(f"{row.title} ({row.data_as_of})" for row in dataset.sources.itertuples())
    return html.Div(className="page", children=[
        dcc.Location(id=ids.URL, refresh=False),
        html.Header(className="page-header", children=[
            html.H1("France's security and defence cooperation"),
            html.P(id=ids.RECORD_COUNT, children=f"{len(dataset.records)} records shown"),
        ]),
        html.Main(className="workspace", children=[
            filters(dataset),
            html.Div(className="map-panel", children=[
                html.P(id=ids.EMPTY_STATE, className="empty-state", hidden=True,
                       children="No record matches these filters. Widen the region or "
                                "tick more themes or layers."),
                dcc.Graph(id=ids.MAP, className="map", figure=build_map(dataset),
                          config=graph_config(topojson_url), style={"height": "72vh"}),
            ]),
        ]),
        html.Footer(className="page-footer", children=[html.Span(f"Sources: {sources}.")]),
    ])
