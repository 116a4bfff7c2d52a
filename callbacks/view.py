"""Keeps the URL, the filters, the selection, the map, the table and the details in step.

One callback owns the view, so no part can lag another: a change of filter or selection
writes the URL (a history entry, so back and forward step through views); a URL typed,
pasted or reached by back/forward sets the controls; a shortcut key (a theme, a region, a
slide: callbacks.presentation.after_key) writes the URL it leads to and shows its view, in
one round trip. The page's first map is built whole, for the size the browser first reports
(the page holds a placeholder until then: one drawing, not one at a default size and one at
the real size); after it, the map only gets a Patch with the data of the view, never the
country polygons again (only, when its frame changes, which of them to draw:
GeoSources.drawn_at).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode

import pandas as pd
from dash import ClientsideFunction, Dash, Input, Output, Patch, State, ctx, no_update
from dash.exceptions import PreventUpdate

import ids
from callbacks.guard import RefusedInput
from callbacks.presentation import after_key, presenting
from callbacks.selection import selectable
from figures.captions import count_text
from figures.table import MAX_ROWS, table_rows
from figures.world_map import (
    PRESENTING_SCALE,
    GeoSources,
    Room,
    map_figure,
    map_layout,
    sized_slots,
    trace_names,
    view_data,
)
from i18n import label, lang_in, tr
from layout import category_options, theme_only_buttons, theme_options, year_bounds
from panels.details import details
from presence.briefings import BriefingStore
from presence.dataset import Dataset
from presence.layer_registry import LAYERS
from presence.live import LiveDataset
from presence.views import (
    DISPLAY_KEYS,
    NOTHING,
    SELECTION_KEYS,
    View,
    ViewError,
    checked,
    filter_records,
    parse_query,
    selection_in,
    selection_pairs,
)


def view_from_controls(dataset: Dataset, themes, region, layers, categories=(), actor=None,
                       years=None, attested=None) -> View:
    """The view the controls show; raises ViewError on values the data set does not have
    (a forged request), as a bad URL would. All ticked, or the full year range, means no
    filter."""
    def chosen(values, every) -> tuple[str, ...]:
        values = list(values or [])
        return () if sorted(values) == sorted(every) else tuple(values or [NOTHING])

    first_last = list(year_bounds(dataset))
    return checked(View(
        themes=chosen(themes, dataset.themes.index),
        layers=chosen(layers, LAYERS),
        categories=tuple(categories or ()),
        region=None if region in (None, "world") else region,
        actor=actor or None,
        years=None if not years or list(years) == first_last else (int(years[0]), int(years[1])),
        attested=None if attested is None else int(attested),
    ), dataset)


def query_of(view: View, selected: str | None, search: str = "") -> str:
    """The URL query of a view and selection, keeping how the current URL shows it (its
    language, presentation mode, briefing and slide)."""
    kept = [(key, value) for key, value in parse_qsl((search or "").lstrip("?"))
            if key in DISPLAY_KEYS and key not in SELECTION_KEYS]
    query = "&".join(filter(None, [view.to_query(), urlencode(selection_pairs(selected) + kept)]))
    return f"?{query}" if query else ""


def categories_after_legend_click(dataset: Dataset, view: View, restyle) -> tuple[str, ...]:
    """The categories shown after a legend click or double-click (a Plotly restyle event
    that sets `visible` on some traces); () when every category of the view is shown."""
    changes, indices = restyle
    visible = changes["visible"]
    names = trace_names(dataset)
    in_view = set(filter_records(dataset, replace(view, categories=()))["category"])
    shown = set(view.categories) & in_view if view.categories else set(in_view)
    for position, index in enumerate(indices):
        name = names[index] if 0 <= index < len(names) else ""
        if not name.startswith("category:"):
            continue
        value = visible[position] if isinstance(visible, list) else visible
        category = name.removeprefix("category:")
        if value is True:
            shown.add(category)
        else:
            shown.discard(category)
    if shown >= in_view:
        return ()
    return tuple(c for c in dataset.categories.index if c in shown) or (NOTHING,)


def room_of(size, search: str) -> Room:
    """The room the map is drawn in: its size as the browser reports it (a default until it
    has), at presentation scale in presentation mode."""
    scale = PRESENTING_SCALE if presenting(search) else 1.0
    try:
        width, height = float(size["width"]), float(size["height"])
    except (TypeError, KeyError, ValueError):
        return Room(scale=scale)
    if not (100 <= width <= 20000 and 100 <= height <= 20000):
        raise RefusedInput("map size: out of range")
    return Room(width, height, scale)


# The user's zoom and pan as assets/map-size.js reports them, with the values each may take.
USER_VIEW = {"projection.scale": (0.1, 1000), "projection.rotation.lon": (-540, 540),
             "center.lon": (-540, 540), "center.lat": (-90, 90)}


def user_view(size) -> dict | None:
    """The zoom and pan the user made in the region on screen, sent with the map's size, or
    None when the map shows its own frame."""
    view = size.get("view") if isinstance(size, dict) else None
    if view is None:
        return None
    try:
        if set(view) != set(USER_VIEW):
            raise ValueError
        kept = {key: float(view[key]) for key in USER_VIEW}
    except (TypeError, ValueError):
        raise RefusedInput("map size: not a zoom and pan") from None
    if not all(low <= kept[key] <= high for key, (low, high) in USER_VIEW.items()):
        raise RefusedInput("map size: zoom or pan out of range")
    return kept


def map_patch(dataset: Dataset, view: View, selected: str | None, refit: bool,
              lang: str = "en", room: Room | None = None, kept: dict | None = None,
              sized_only: bool = False, records: pd.DataFrame | None = None,
              sources: GeoSources | None = None, data: list[dict] | None = None) -> Patch:
    """The map's update for a view; `refit` also moves the map to the view's region, framed
    to fill the room, with the legend where it leaves the map most room, and draws the
    polygons of `sources` that suit the frame. A zoom and pan `kept` (the user's) stay on
    the new frame. `sized_only` sends only what the room changes (frame, legend, names,
    colour bar's corner, polygons), never the records' data: an answer to a resize that
    comes after a click's must not undo the click. `records` are the view's, filtered
    once by the caller, and `data` their view_data in this room, when the caller has it."""
    records = filter_records(dataset, view) if records is None else records
    patch = Patch()
    room = room or Room()
    sized = set(sized_slots(dataset))
    if data is None:
        data = view_data(dataset, view, selected, lang, room, records=records)
    for index, changes in enumerate(data):
        if sized_only and index not in sized:
            continue
        if sized_only and index == 0:
            changes = {key: value for key, value in changes.items()
                       if key.startswith("colorbar.x")}
        _assign(patch["data"][index], changes)
    if refit:
        zoom = (kept or {}).get("projection.scale", 1.0)
        placed = map_layout(room, dataset, view, lang, selected, records, sources, zoom)
        _assign(patch["layout"]["geo"], placed["geo"] | (kept or {}))
        if sources is not None:
            for index, geojson in placed["polygons"].items():
                patch["data"][index]["geojson"] = geojson
            patch["layout"]["meta"] = placed["meta"]
        legend = placed["legend"]
        _assign(patch["layout"]["legend"], {key: value for key, value in legend.items()
                                            if key in ("orientation", "x", "xanchor", "y",
                                                       "yanchor")}
                | {"font.size": legend["font"]["size"],
                   "grouptitlefont.size": legend["grouptitlefont"]["size"]})
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


def reframes(before: str | None, after: str | None) -> bool:
    """Whether a change of selection moves the map: to a newly chosen country's frame, or
    back to the region's once no record or country is selected. Choosing a record keeps the
    frame, so a click on a symbol in a country's frame does not zoom out."""
    def is_country(selected):
        return bool(selected) and selected.startswith("country:")

    return after != before and (is_country(after) or (after is None and is_country(before)))


def _ticked(chosen: tuple[str, ...], every: list[str]) -> list[str]:
    """The boxes to tick: none for the 'none' sentinel, all when the view does not filter."""
    if chosen == (NOTHING,):
        return []
    return list(chosen or every)


# What the view callback sets, by name, in the order Dash lists them.
VIEW_OUTPUTS = {
    "search": Output(ids.URL, "search"),
    "themes": Output(ids.THEMES, "value"),
    "categories": Output(ids.CATEGORIES, "value"),
    "category_options": Output(ids.CATEGORIES, "options"),
    "region": Output(ids.REGION, "value"),
    "layers": Output(ids.LAYERS, "value"),
    "actor": Output(ids.ACTOR, "value"),
    "years": Output(ids.YEARS, "value"),
    "attested": Output(ids.ATTESTED, "value"),
    "selected": Output(ids.SELECTED, "data"),
    "map": Output(ids.MAP, "figure"),
    "count": Output(ids.RECORD_COUNT, "children"),
    "nothing_hidden": Output(ids.EMPTY_STATE, "hidden"),
    "rows": Output(ids.TABLE, "rowData"),
    "selected_rows": Output(ids.TABLE, "selectedRows"),
    "scroll_to": Output(ids.TABLE, "scrollTo"),
    "details": Output(ids.DETAILS, "children"),
    "theme_options": Output(ids.THEMES, "options"),
    "theme_only": Output(ids.THEME_ONLY_BUTTONS, "children"),
    "data_version": Output(ids.DATA_VERSION, "data"),
    "frame_note": Output(ids.FRAME_NOTE, "children"),
    "pending": Output(ids.MAP_PENDING, "data", allow_duplicate=True),
}


@dataclass(frozen=True)
class _Shown:
    """What a change asks the page to show, and where it came from."""

    view: View
    selected: str | None
    from_url: bool  # the URL set the view (a load, a link, back or forward): echo it
    stale: bool  # the page was built on another state of the imported layers
    keyed: str | None = None  # the URL a shortcut key led to, which the page must take


def _shown(dataset: Dataset, trigger, search, controls: tuple, selected, restyle,
           page_version) -> _Shown:
    """The view and selection a change asks for: the URL's on a load, a link, back or
    forward, or when the page is stale; else the controls', with a legend click's
    categories. RefusedInput for values no control offers; PreventUpdate for a restyle
    that is not a legend click."""
    # A layer was imported or removed since the page was built (here or by a colleague):
    # the map's trace slots and the theme boxes are those of other data, so they are sent
    # whole, and the view is read again from the URL.
    stale = (page_version or "") != dataset.version
    # On first load several inputs count as changed (the URL and the store among them): the
    # URL wins whenever it is one of them.
    from_url = trigger in (None, ids.KEYBOARD) or f"{ids.URL}.search" in ctx.triggered_prop_ids \
        or stale
    try:
        if from_url:
            view = parse_query(search or "", dataset)
            # A change saved selects its record in the round the data moves on: it wins.
            if not (stale and f"{ids.SELECTED}.data" in ctx.triggered_prop_ids):
                selected = selection_in(search)
        else:
            view = view_from_controls(dataset, *controls)
        if trigger == ids.MAP:
            if not (isinstance(restyle, list) and len(restyle) == 2
                    and isinstance(restyle[0], dict) and "visible" in restyle[0]):
                raise PreventUpdate  # a restyle that is not a legend click
            view = replace(view, categories=categories_after_legend_click(dataset, view,
                                                                           restyle))
    except (ViewError, TypeError, ValueError, IndexError, KeyError) as error:
        if not from_url:  # no control offers such a value: a forged request
            raise RefusedInput(f"filter values: {error}") from None
        view, selected = View(), None  # a URL naming what does not exist shows everything
    if selected is not None and not selectable(dataset, selected):
        if not from_url:  # the selection store only ever holds known ids
            raise RefusedInput("selection: not a record or country id")
        selected = None  # a stale link: show the view without the selection
    return _Shown(view, selected, from_url, stale)


def _keyed(dataset: Dataset, store: BriefingStore, key, search, chosen) -> str:
    """The URL a shortcut key leads to; PreventUpdate when the key changes nothing."""
    action = key.get("action") if isinstance(key, dict) else None
    changed = after_key(dataset, store, search or "", action, chosen)
    if changed is None or changed == (search or ""):
        raise PreventUpdate
    return changed


def _controls_answer(dataset: Dataset, shown: _Shown, trigger, search, lang: str) -> dict:
    """The URL and the controls. Controls are written back only when the URL set the view
    (or the legend set the categories): echoing a click back would undo the clicks made
    while it travelled."""
    view, from_url = shown.view, shown.from_url
    shown_themes = _ticked(view.themes, list(dataset.themes.index))

    def control(value, set_here=from_url):
        return value if set_here else no_update

    return {
        "search": shown.keyed if shown.keyed is not None else
        no_update if from_url else query_of(view, shown.selected, search),
        "themes": control(shown_themes),
        "categories": control([c for c in view.categories if c != NOTHING],
                              from_url or trigger == ids.MAP),
        "category_options": category_options(dataset, shown_themes, lang),
        "region": control(view.region or "world"),
        "layers": control(_ticked(view.layers, list(LAYERS))),
        "actor": control(view.actor),
        "years": control(list(view.years) if view.years else list(year_bounds(dataset))),
        "attested": control(view.attested),
        "selected": control(shown.selected, from_url),
        "theme_options": theme_options(dataset, lang) if shown.stale else no_update,
        "theme_only": theme_only_buttons(dataset, lang) if shown.stale else no_update,
        "data_version": dataset.version if shown.stale else no_update,
        "frame_note": frame_note(dataset, shown.selected, lang),
    }


def frame_note(dataset: Dataset, selected: str | None, lang: str) -> str:
    """Under the Region box: the country the map is framed on while its card is open (the
    box still names the region whose records are counted)."""
    iso3 = (selected or "").removeprefix("country:")
    if not (selected or "").startswith("country:") or iso3 not in dataset.countries.index:
        return ""
    return tr("framed on", lang, country=label(dataset.countries, iso3, "name", lang))


def _records_answer(dataset: Dataset, shown: _Shown, records, lang: str) -> dict:
    """The count, the empty state, the table and the details of the records in view."""
    selected = shown.selected
    in_view = selected in records.index
    return {
        "count": _count(records, dataset, lang, shown.view),
        "nothing_hidden": len(records) > 0,
        "rows": table_rows(dataset, records, lang),
        "selected_rows": {"ids": [selected]} if in_view else [],
        "scroll_to": {"rowId": selected, "rowPosition": "middle"} if in_view else no_update,
        "details": details(dataset, selected, records, lang),
    }


def register(app: Dash, data: LiveDataset, geo_sources, store: BriefingStore) -> None:
    """`geo_sources(dataset)` says where the map finds the data set's polygons; `store`
    holds the briefings whose slides the keys step through."""

    @app.callback(
        output=VIEW_OUTPUTS,
        inputs=[
            Input(ids.URL, "search"),
            Input(ids.THEMES, "value"),
            Input(ids.CATEGORIES, "value"),
            Input(ids.REGION, "value"),
            Input(ids.LAYERS, "value"),
            Input(ids.ACTOR, "value"),
            Input(ids.YEARS, "value"),
            Input(ids.ATTESTED, "value"),
            Input(ids.SELECTED, "data"),
            Input(ids.MAP, "restyleData"),
            Input(ids.IMPORTS_CHANGED, "data"),
            Input(ids.KEYBOARD, "data"),
        ],
        state=[State(ids.MAP_SIZE, "data"), State(ids.DATA_VERSION, "data"),
               State(ids.BRIEFING_CHOICE, "value"), State(ids.MAP_PENDING, "data")],
        # The page's first call: its answer sets the controls and the table; the map waits
        # for its size (fit_to_size).
        prevent_initial_call="initial_duplicate",
    )
    def sync_view(search, themes, categories, region, layers, actor, years, attested, selected,
                  restyle, _imported, key, size, page_version, chosen_briefing, pending):
        trigger, dataset = ctx.triggered_id, data.for_query(search)
        keyed = None
        if trigger == ids.KEYBOARD:  # the key's URL, shown as a URL typed would be
            search = keyed = _keyed(dataset, store, key, search, chosen_briefing)
        lang = lang_in(search)
        room = room_of(size, search)
        shown = replace(_shown(dataset, trigger, search,
                               (themes, region, layers, categories, actor, years, attested),
                               selected, restyle, page_version), keyed=keyed)
        view = shown.view
        records = filter_records(dataset, view)  # once: every part below shows these
        pending_after = no_update
        if pending and not size:
            figure = no_update  # the first map is built for the size the browser reports
        elif pending or shown.stale:
            # The page shows the placeholder (a change came before the first map), or was
            # built on other data: the whole map.
            figure = map_figure(dataset, view, shown.selected, lang, geo_sources(dataset),
                                room, presenting(search))
            pending_after = False
        else:
            refit = shown.from_url or trigger == ids.REGION or (
                trigger == ids.SELECTED and reframes(selection_in(search), shown.selected))
            figure = map_patch(dataset, view, shown.selected, refit, lang, room,
                               records=records, sources=geo_sources(dataset))
        return (_controls_answer(dataset, shown, trigger, search, lang)
                | {"map": figure, "pending": pending_after}
                | _records_answer(dataset, shown, records, lang))

    # Not part of sync_view: Dash keeps only the last answer of a callback, and a size that
    # came while a click's answer travelled would drop that answer.
    @app.callback(
        Output(ids.MAP, "figure", allow_duplicate=True),
        Output(ids.MAP_FANS, "data"),
        Output(ids.MAP_FIRST, "data"),
        Input(ids.MAP_SIZE, "data"),
        State(ids.URL, "search"),
        State(ids.SELECTED, "data"),
        State(ids.DATA_VERSION, "data"),
        State(ids.MAP_PENDING, "data"),
        prevent_initial_call=True,
    )
    def fit_to_size(size, search, selected, page_version, pending):
        """The map changed size: frame it and place its names again, keeping the user's zoom
        and pan; and the symbols sharing a place fanned for that size, which the browser
        applies only to the very symbols they were laid out for (assets/map-size.js). The
        page's first size: its first map, whole, which the browser applies only if no
        change has drawn one since (the change's answer was built after this one's)."""
        if not size:  # the page always sends one (assets/map-size.js): a forged call
            return no_update, no_update, no_update
        dataset = data.for_query(search)
        if not pending and (page_version or "") != dataset.version:
            return no_update, no_update, no_update  # sync_view sends the new data whole
        try:
            view = parse_query(search or "", dataset)
        except ViewError:
            view = View()
        if selected is not None and not selectable(dataset, selected):
            raise RefusedInput("selection: not a record or country id")
        lang, room = lang_in(search), room_of(size, search)
        if pending:
            link = selection_in(search)  # a link's selection, as sync_view takes it
            if selected is None and link is not None and selectable(dataset, link):
                selected = link
            return no_update, no_update, map_figure(dataset, view, selected, lang,
                                                    geo_sources(dataset), room, presenting(search))
        records = filter_records(dataset, view)
        changes = view_data(dataset, view, selected, lang, room, records=records)
        return (map_patch(dataset, view, selected, True, lang, room, user_view(size),
                          sized_only=True, records=records, sources=geo_sources(dataset),
                          data=changes),
                fans(dataset, changes), no_update)

    # The map's first size, measured once as the page starts (its only input never changes):
    # the first map is asked for at once, beside the page's other first answers.
    app.clientside_callback(
        ClientsideFunction(namespace="mapSize", function_name="measure"),
        Output(ids.MAP_SIZE, "data"),
        Input(ids.MAP, "id"),
    )

    app.clientside_callback(
        ClientsideFunction(namespace="mapSize", function_name="first"),
        Output(ids.MAP, "figure", allow_duplicate=True),
        Output(ids.MAP_PENDING, "data", allow_duplicate=True),
        Input(ids.MAP_FIRST, "data"),
        State(ids.MAP, "figure"),
        prevent_initial_call=True,
    )

    app.clientside_callback(
        ClientsideFunction(namespace="mapSize", function_name="fanned"),
        Output(ids.MAP, "figure", allow_duplicate=True),
        Input(ids.MAP_FANS, "data"),
        State(ids.MAP, "figure"),
        prevent_initial_call=True,
    )


def fans(dataset: Dataset, changes: list[dict]) -> dict:
    """Where each category's symbols are drawn (fanned where several share a place), by
    trace index, with the record each symbol selects: the browser moves them only if its
    map draws exactly those symbols (no click has changed them since)."""
    return {str(index): {key: changes[index][key] for key in ("lon", "lat", "customdata")
                         if key in changes[index]}
            for index, name in enumerate(trace_names(dataset)) if name.startswith("category:")}


def _count(records, dataset: Dataset, lang: str = "en", view: View | None = None) -> str:
    text = count_text(dataset, view, records, lang)
    if len(records) > MAX_ROWS:
        text += tr("count capped", lang, rows=f"{MAX_ROWS:,}")
    return text
