"""Presentation mode and the keyboard: both only ever change the URL, so a reload, back and
forward, and a pasted link all restore what the audience saw.

`present=1` hides the controls and enlarges the map's type and symbols; `briefing=ID&slide=N`
says which slide of which briefing is on screen. Keys arrive from assets/keyboard.js as
actions ("theme:3", "next-slide"…), turned into the next URL by `after_key` in the view
callback (callbacks/view.py), which shows that URL's view in the same round trip.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from dash import Dash, Input, Output, Patch, State, ctx, html, no_update

import ids
from figures.captions import count_text, default_title
from figures.world_map import mode_sizes
from i18n import lang_in
from presence.briefings import BriefingError, BriefingStore
from presence.dataset import Dataset
from presence.live import LiveDataset
from presence.views import DISPLAY_KEYS, SELECTION_KEYS, ViewError, filter_records, parse_query

# Keys the slide of a briefing replaces; the others say how it is shown and stay.
SHOWING = ("lang", "present")


def query_pairs(search) -> list[tuple[str, str]]:
    return parse_qsl(search.lstrip("?")) if isinstance(search, str) else []


def as_query(pairs) -> str:
    return f"?{urlencode(pairs)}" if pairs else ""


def with_key(pairs, key: str, value: str | None) -> list[tuple[str, str]]:
    kept = [(k, v) for k, v in pairs if k != key]
    return kept + [(key, value)] if value is not None else kept


def presenting(search) -> bool:
    return dict(query_pairs(search)).get("present") == "1"


def slide_query(store: BriefingStore, briefing_id: str, number: int, search: str) -> str | None:
    """The URL of slide `number` of a briefing, shown as the current URL shows things."""
    try:
        slides = store.read(briefing_id).slides
    except BriefingError:
        return None
    if not slides:
        return None
    number = min(max(number, 0), len(slides) - 1)
    shown = [(k, v) for k, v in query_pairs(search) if k in SHOWING]
    view = [(k, v) for k, v in parse_qsl(slides[number].view) if k not in DISPLAY_KEYS or
            k in SELECTION_KEYS]
    return as_query(view + shown + [("briefing", briefing_id), ("slide", str(number))])


def after_key(dataset: Dataset, store: BriefingStore, search: str, action: str,
              chosen_briefing: str | None = None) -> str | None:
    """The URL after a keyboard action, or None when the key changes nothing.
    `chosen_briefing` is the one picked in the briefings panel: presenting resumes it."""
    pairs = query_pairs(search)
    if not isinstance(action, str):
        return None
    if action.startswith("theme:") and action[6:].isdigit():
        number = int(action[6:])
        if number == 0:
            return as_query(with_key(with_key(pairs, "theme", None), "category", None))
        if number <= len(dataset.themes):
            pairs = with_key(pairs, "category", None)
            return as_query(with_key(pairs, "theme", dataset.themes.index[number - 1]))
        return None
    if action in ("next-region", "previous-region"):
        regions = list(dataset.filter_regions)
        current = dict(pairs).get("region", "world")
        at = regions.index(current) if current in regions else 0
        chosen = regions[(at + (1 if action == "next-region" else -1)) % len(regions)]
        return as_query(with_key(pairs, "region", None if chosen == "world" else chosen))
    if action == "toggle-present":
        if presenting(search):
            return as_query(with_key(pairs, "present", None))
        return resumed(store, search, chosen_briefing) or \
            as_query(with_key(pairs, "present", "1"))
    if action == "leave":
        return as_query(with_key(pairs, "present", None)) if presenting(search) else None
    if action in ("next-slide", "previous-slide"):
        found: dict[str, str] = dict(pairs)
        if "briefing" not in found:
            return None
        shown = int(found["slide"]) if found.get("slide", "").isdigit() else -1
        step = 1 if action == "next-slide" else -1
        return slide_query(store, found["briefing"], max(shown + step, 0), search)
    return None


def resumed(store: BriefingStore, search: str, chosen_briefing: str | None) -> str | None:
    """Presenting again resumes the briefing of the URL at its slide, with the slide's own
    view (the presenter may have wandered off it); else the briefing chosen in the panel,
    from its first slide. None when there is no briefing to resume."""
    found = dict(query_pairs(search))
    showing = as_query(with_key(query_pairs(search), "present", "1"))
    if found.get("briefing"):
        number = int(found["slide"]) if found.get("slide", "").isdigit() else 0
        return slide_query(store, found["briefing"], number, showing)
    if isinstance(chosen_briefing, str) and chosen_briefing:
        return slide_query(store, chosen_briefing, 0, showing)
    return None


def stage_heading(dataset: Dataset, store: BriefingStore, search: str) -> list:
    """What presentation mode prints over the map: the slide's title and note in a briefing,
    else the themes and region; and how many records are shown."""
    lang = lang_in(search)
    found = dict(query_pairs(search))
    try:
        view = parse_query(search, dataset)
    except ViewError:
        return []
    records = filter_records(dataset, view)
    title, note = default_title(dataset, view, lang), ""
    if "briefing" in found and found.get("slide", "").isdigit():
        try:
            briefing = store.read(found["briefing"])
            number = int(found["slide"])
            slide = briefing.slides[number] if number < len(briefing.slides) else None
            # A slide's title and note describe its view; once the presenter changes the view
            # (a theme key…), the heading says what is shown instead.
            if slide is not None and parse_query(slide.view, dataset) == view:
                title, note = slide.title_in(lang), slide.note_in(lang)
                note = " · ".join(filter(None, [
                    f"{briefing.title_in(lang)} — {number + 1}/{len(briefing.slides)}", note]))
        except (BriefingError, ViewError):
            pass
    count = count_text(dataset, view, records, lang)
    # In presentation mode this is the page's main heading: the page header is hidden.
    return [html.H1(title), html.P(" · ".join(filter(None, [count, note])))]


def register(app: Dash, data: LiveDataset, store: BriefingStore) -> None:
    @app.callback(
        Output(ids.PAGE, "className"),
        Output(ids.STAGE_HEADING, "children"),
        Output(ids.MAP, "figure", allow_duplicate=True),
        Input(ids.URL, "search"),
        State(ids.PAGE, "className"),
        State(ids.MAP_PENDING, "data"),
        prevent_initial_call="initial_duplicate",
    )
    def show_mode(search, shown_as, pending):
        dataset, on = data.for_query(search), presenting(search)
        mode = "page presenting" if on else "page"
        heading = stage_heading(dataset, store, search) if on else []
        if shown_as == mode and ctx.triggered_id is not None:
            # Same mode, new view: resizing the symbols again would redraw the map twice.
            return no_update, heading, no_update
        if pending:  # the first map is built in this mode's sizes (callbacks/view.py)
            return mode, heading, no_update
        patch = Patch()
        for (*parents, leaf), size in mode_sizes(dataset, on):
            node = patch
            for key in parents:
                node = node[key]
            node[leaf] = size
        return mode, heading, patch

    @app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.PRESENT_BUTTON, "n_clicks"),
        Input(ids.PRESENT_EXIT, "n_clicks"),
        State(ids.URL, "search"),
        State(ids.BRIEFING_CHOICE, "value"),
        prevent_initial_call=True,
    )
    def on_present_button(_enter, _leave, search, chosen):
        return after_key(data.for_query(search), store, search or "", "toggle-present",
                         chosen) or no_update
