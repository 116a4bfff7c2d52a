"""The controls beside the map: hidden or shown (remembered in the browser), and the
one-click "only this theme"."""

from __future__ import annotations

from dash import ALL, ClientsideFunction, Dash, Input, Output, State

import ids
from i18n import lang_in, tr
from presence.live import LiveDataset


def register(app: Dash, data: LiveDataset) -> None:
    @app.callback(
        Output(ids.CONTROLS_SHOWN, "data"),
        Input(ids.CONTROLS_TOGGLE, "n_clicks"),
        State(ids.CONTROLS_SHOWN, "data"),
        prevent_initial_call=True,
    )
    def toggle(_clicks, shown):
        return not (shown is not False)

    @app.callback(
        Output(ids.WORKSPACE, "className"),
        Output(ids.CONTROLS_TOGGLE, "children"),
        Output(ids.CONTROLS_TOGGLE, "aria-expanded"),
        Input(ids.CONTROLS_SHOWN, "data"),
        State(ids.URL, "search"),
    )
    def show(shown, search):
        lang = lang_in(search)
        if shown is False:
            return "workspace controls-hidden", tr("show controls", lang), "false"
        return "workspace", tr("hide controls", lang), "true"

    # In the browser (assets/controls.js): the view callback checks the theme it ticks.
    app.clientside_callback(
        ClientsideFunction(namespace="controls", function_name="onlyTheme"),
        Output(ids.THEMES, "value", allow_duplicate=True),
        Input({"type": ids.THEME_ONLY, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )

    # In the browser (assets/controls.js): what was typed in the Region or Country box
    # brings the names that start with it to the top of its list.
    for box in (ids.REGION, ids.COUNTRY):
        app.clientside_callback(
            ClientsideFunction(namespace="controls", function_name="startsFirst"),
            Output(box, "options"),
            Input(box, "search_value"),
            State(box, "options"),
            prevent_initial_call=True,
        )
