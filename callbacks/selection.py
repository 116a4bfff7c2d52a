"""What the user clicks becomes the selection: a symbol or an area on the map, a table row,
or a record listed in a country's details. The view callback does the rest."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx, no_update

import ids
from callbacks.guard import RefusedInput
from presence.dataset import Dataset
from presence.live import LiveDataset


def selectable(dataset: Dataset, selected) -> bool:
    """A record id, or 'country:ISO3' of a known country."""
    return isinstance(selected, str) and (
        selected in dataset.records.index
        or selected.startswith("country:")
        and selected.removeprefix("country:") in dataset.countries.index)


def selection_from_click(dataset: Dataset, click) -> str | None:
    """A record id (a symbol), 'country:ISO3' (a country or an area), or None."""
    try:
        point = click["points"][0]
    except (TypeError, KeyError, IndexError):
        return None
    custom = point.get("customdata")
    if isinstance(custom, str) and (custom in dataset.records.index or custom.startswith("country:")):
        return custom
    location = point.get("location")  # an area: a record id, or a country's iso3
    if isinstance(location, str) and location in dataset.records.index:
        return location
    if isinstance(location, str) and location in dataset.countries.index:
        return f"country:{location}"
    return None


def register(app: Dash, data: LiveDataset) -> None:
    @app.callback(
        Output(ids.SELECTED, "data", allow_duplicate=True),
        Output(ids.COUNTRY, "value"),
        Input(ids.MAP, "clickData"),
        Input(ids.TABLE, "selectedRows"),
        Input({"type": "select-record", "index": ALL}, "n_clicks"),
        Input(ids.COUNTRY, "value"),
        State(ids.SELECTED, "data"),
        prevent_initial_call=True,
    )
    def select(click, rows, _clicks, country, current):
        dataset = data.current()
        trigger = ctx.triggered_id
        field = no_update
        if trigger == ids.COUNTRY:
            if not isinstance(country, str):
                # Emptied: by its clear button, the card it opened closes with it; by a
                # selection elsewhere (below), nothing more to do.
                is_card = isinstance(current, str) and current.startswith("country:")
                return (None if is_card else no_update), no_update
            # The field keeps the country whose card it opened.
            chosen = f"country:{country}"
        elif trigger == ids.MAP:
            chosen = selection_from_click(dataset, click)
        elif trigger == ids.TABLE:
            # An empty list comes when the selected row leaves the view: keep the selection.
            row_ids = [row.get("id") for row in rows or [] if isinstance(row, dict)]
            chosen = row_ids[0] if row_ids else None
        elif isinstance(trigger, dict) and ctx.triggered[0]["value"]:
            chosen = trigger["index"] or None  # the panel's "clear" button has an empty index
            if chosen is None:
                return None, None
        else:
            return no_update, no_update
        if chosen is None:
            return no_update, field  # a click on the sea, or a row leaving the view
        if trigger != ids.COUNTRY:
            # The field names the country whose card is open, and no other.
            field = chosen.removeprefix("country:") if chosen.startswith("country:") else None
        if not selectable(dataset, chosen):
            # Symbols, rows, listed records and the field's countries are records or
            # countries of the data set; anything else was not sent by the page.
            raise RefusedInput("selection: not a record or country id")
        return (no_update if chosen == current else chosen), field
