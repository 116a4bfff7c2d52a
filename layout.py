"""The page: a header stating what is shown, the map, and where the data comes from."""

from __future__ import annotations

from dash import dcc, html

import ids
from figures.world_map import build_map
from presence.dataset import Dataset


def graph_config(topojson_url: str) -> dict:
    """Graph options; `topojsonURL` points Plotly at our own base maps instead of a CDN."""
    return {"topojsonURL": topojson_url, "displaylogo": False, "scrollZoom": True,
            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "cooperation-map"}}


def build_layout(dataset: Dataset, topojson_url: str) -> html.Div:
    sources = "; ".join(f"{row.title} ({row.data_as_of})" for row in dataset.sources.itertuples())
    return html.Div(className="page", children=[
        html.Header(className="page-header", children=[
            html.H1("France's security and defence cooperation"),
            html.P(id=ids.RECORD_COUNT,
                   children=f"{len(dataset.records)} cooperation records, "
                            f"{len(dataset.themes)} themes"),
        ]),
        dcc.Graph(id=ids.MAP, className="map", figure=build_map(dataset),
                  config=graph_config(topojson_url), style={"height": "72vh"}),
        html.Footer(className="page-footer", children=[html.Span(f"Sources: {sources}.")]),
    ])
