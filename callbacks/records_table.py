"""The records table's own controls: the search box, and downloads of the records in view."""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, State, ctx, dcc, no_update

import ids
from export.records import to_csv, to_geojson
from i18n import file_name, lang_in
from presence.live import LiveDataset
from presence.views import ViewError, filter_records, parse_query


def register(app: Dash, data: LiveDataset) -> None:
    @app.callback(Output(ids.TABLE, "dashGridOptions"), Input(ids.TABLE_SEARCH, "value"),
                  prevent_initial_call=True)
    def search(text):
        options = Patch()
        options["quickFilterText"] = str(text or "")[:200]
        return options

    @app.callback(
        Output(ids.DOWNLOAD, "data"),
        Input(ids.DOWNLOAD_CSV, "n_clicks"),
        Input(ids.DOWNLOAD_GEOJSON, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def download(_csv, _geojson, search):
        dataset, lang = data.for_query(search), lang_in(search)
        try:
            records = filter_records(dataset, parse_query(search or "", dataset))
        except ViewError:
            return no_update
        if ctx.triggered_id == ids.DOWNLOAD_CSV:
            return dcc.send_string(to_csv(records), f"{file_name('records', lang)}.csv")
        return dcc.send_string(to_geojson(dataset, records),
                               f"{file_name('records', lang)}.geojson")
