"""The naive way of building the same dashboard, for comparison in the same run: the same
controls and the same figure, but every filter change builds a new figure and sends it whole,
geometry included."""

from __future__ import annotations

from pathlib import Path

from dash import Dash, Input, Output, dcc, html

import ids
from callbacks.view import view_from_controls
from figures.world_map import GeoSources, build_map
from layout import filters, graph_config
from presence.loader import load_dataset
from presence.views import ViewError, filter_records


def create_naive_app(data_folder) -> Dash:
    dataset = load_dataset(data_folder)
    geo = GeoSources.embedded(dataset)
    app = Dash(__name__, serve_locally=True, compress=True,
               assets_folder=str(Path(__file__).resolve().parents[1] / "assets"))
    topojson = app.get_asset_url("topojson/")
    app.layout = html.Div([
        filters(dataset, "en"),
        html.P(id=ids.RECORD_COUNT),
        dcc.Graph(id=ids.MAP, figure=build_map(dataset, sources=geo), config=graph_config(topojson),
                  style={"height": "68vh"}),
    ])

    @app.callback(Output(ids.MAP, "figure"), Output(ids.RECORD_COUNT, "children"),
                  Input(ids.THEMES, "value"), Input(ids.REGION, "value"),
                  Input(ids.LAYERS, "value"))
    def redraw(themes, region, layers):
        try:
            view = view_from_controls(dataset, themes, region, layers)
        except ViewError:
            view = None
        figure = build_map(dataset, view, sources=geo)
        count = 0 if view is None else len(filter_records(dataset, view))
        return figure, f"{count} of {len(dataset.records)} records shown"

    return app
