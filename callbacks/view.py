"""Keeps the URL, the filters and the map in step: one callback, so neither can lag the other.

A change of filter writes the URL (a history entry, so back and forward step through views);
a URL typed, pasted or reached by back/forward sets the filters. Either way the map gets a
Patch with the data of the view, never the country polygons again.
"""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, ctx, no_update

import ids
from figures.region_fit import region_geo
from figures.world_map import view_data
from layers import LAYERS
from presence.dataset import Dataset
from presence.views import NOTHING, View, ViewError, filter_records, parse_query


def view_from_controls(dataset: Dataset, themes, region, layers) -> View:
    """The view the controls show; raises ViewError on values the data set does not have
    (a forged request), like a bad URL would. All ticked means no filter."""
    all_themes, all_layers = list(dataset.themes.index), list(LAYERS)
    query = View(
        themes=() if sorted(themes or []) == sorted(all_themes) else tuple(themes or [NOTHING]),
        layers=() if sorted(layers or []) == sorted(all_layers) else tuple(layers or [NOTHING]),
        region=None if region in (None, "world") else region,
    ).to_query()
    return parse_query(query, dataset)


def map_patch(dataset: Dataset, records, region: str | None) -> Patch:
    patch = Patch()
    for index, changes in enumerate(view_data(dataset, records)):
        _assign(patch["data"][index], changes)
    _assign(patch["layout"]["geo"], region_geo(dataset, region))
    return patch


def _assign(target, changes: dict) -> None:
    """Top-level keys go in one merge (one operation on the wire); dotted keys ("marker.color")
    are set one by one so the rest of the nested object (the marker's style) is kept."""
    flat = {key: value for key, value in changes.items() if "." not in key}
    if flat:
        target.update(flat)
    for key, value in changes.items():
        if "." in key:
            node = target
            *parents, leaf = key.split(".")
            for parent in parents:
                node = node[parent]
            node[leaf] = value


def register(app: Dash, dataset: Dataset) -> None:
    all_themes, all_layers = list(dataset.themes.index), list(LAYERS)

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.THEMES, "value"),
        Output(ids.REGION, "value"),
        Output(ids.LAYERS, "value"),
        Output(ids.MAP, "figure"),
        Output(ids.RECORD_COUNT, "children"),
        Output(ids.EMPTY_STATE, "hidden"),
        Input(ids.URL, "search"),
        Input(ids.THEMES, "value"),
        Input(ids.REGION, "value"),
        Input(ids.LAYERS, "value"),
    )
    def sync_view(search, themes, region, layers):
        from_url = ctx.triggered_id in (None, ids.URL)
        try:
            view = (parse_query(search or "", dataset) if from_url
                    else view_from_controls(dataset, themes, region, layers))
        except ViewError:
            if not from_url:
                return (no_update,) * 7  # a forged control value: keep what is shown
            view = View()  # a URL naming what does not exist shows everything
        records = filter_records(dataset, view)
        query = view.to_query()
        count = f"{len(records)} of {len(dataset.records)} records shown"
        return (
            no_update if from_url else (f"?{query}" if query else ""),
            _ticked(view.themes, all_themes),
            view.region or "world",
            _ticked(view.layers, all_layers),
            map_patch(dataset, records, view.region),
            count,
            len(records) > 0,
        )


def _ticked(chosen: tuple[str, ...], every: list[str]) -> list[str]:
    """The boxes to tick: none for the 'none' sentinel, all when the view does not filter."""
    if chosen == (NOTHING,):
        return []
    return list(chosen or every)
