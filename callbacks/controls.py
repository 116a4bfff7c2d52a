"""The controls beside the map: hidden or shown (remembered in the browser), and the
one-click "only this theme"."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx, no_update

import ids
from callbacks.guard import RefusedInput
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

    @app.callback(
        Output(ids.THEMES, "value", allow_duplicate=True),
        Input({"type": ids.THEME_ONLY, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def only_theme(clicks):
        chosen = ctx.triggered_id["index"] if isinstance(ctx.triggered_id, dict) else None
        if not any(clicks or ()):
            return no_update  # the buttons were (re)drawn, not clicked
        if chosen not in data.current().themes.index:
            raise RefusedInput("theme: not a theme of the data set")
        return [chosen]
