"""The briefings panel: choose a briefing, add the view on screen as a slide, reorder and
delete slides, create a briefing, and present it (slide by slide, through the URL)."""

from __future__ import annotations

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

import ids
from callbacks.presentation import as_query, query_pairs, slide_query, with_key
from i18n import lang_in, tr
from panels.decks import deck_controls
from panels.widgets import dropdown
from presence.briefings import BriefingError, BriefingStore
from presence.views import DISPLAY_KEYS, SELECTION_KEYS


def panel(lang: str) -> html.Details:
    return html.Details(className="briefing-panel", children=[
        html.Summary(tr("briefings", lang)),
        html.Div(className="briefing-grid", children=[
            html.Label(tr("briefing", lang), htmlFor=ids.BRIEFING_CHOICE),
            dropdown(lang, id=ids.BRIEFING_CHOICE, options=[], value=None,
                         placeholder=tr("choose briefing", lang)),
            html.Ol(id=ids.BRIEFING_SLIDES, className="slides"),
            html.Button(tr("present briefing", lang), id=ids.BRIEFING_PRESENT, n_clicks=0),
            # A window of its own (callbacks/presenter.py), to put on the presenter's screen.
            html.A(tr("open presenter", lang), href=f"presenter?lang={lang}",
                   target="presenter-view", id=ids.PRESENTER_LINK),
            deck_controls(lang),
            html.Fieldset([
                html.Legend(tr("add view", lang)),
                html.Label(tr("slide title", lang), htmlFor=ids.SLIDE_TITLE),
                dcc.Input(id=ids.SLIDE_TITLE, type="text", value="", maxLength=200),
                html.Label(tr("slide note", lang), htmlFor=ids.SLIDE_NOTE),
                dcc.Textarea(id=ids.SLIDE_NOTE, value="", maxLength=2000, rows=2),
                html.Button(tr("add", lang), id=ids.SLIDE_ADD, n_clicks=0),
            ]),
            html.Fieldset([
                html.Legend(tr("new briefing", lang)),
                html.Label(tr("briefing title", lang), htmlFor=ids.BRIEFING_NEW_TITLE),
                dcc.Input(id=ids.BRIEFING_NEW_TITLE, type="text", value="", maxLength=200),
                html.Button(tr("create", lang), id=ids.BRIEFING_CREATE, n_clicks=0),
            ]),
            html.P(id=ids.BRIEFING_STATUS, role="status", className="briefing-status"),
        ]),
    ])


def view_of(search: str) -> str:
    """The view on screen as a slide keeps it: filters and selection, not how it is shown."""
    return as_query([(k, v) for k, v in query_pairs(search)
                     if k not in DISPLAY_KEYS or k in SELECTION_KEYS]).lstrip("?")


def slide_list(briefing, briefing_id: str, current: int | None, lang: str) -> list:
    if briefing is None:
        return []
    if not briefing.slides:
        return [html.Li(tr("no slides", lang), className="hint")]

    def action(kind, index, text, label):
        return html.Button(text, id={"type": ids.SLIDE_ACTION, "action": kind, "index": index},
                           n_clicks=0, className="slide-button", title=label,
                           **{"aria-label": label})

    items = []
    for index, slide in enumerate(briefing.slides):
        title, note = slide.title_in(lang), slide.note_in(lang)
        items.append(html.Li(className="slide", **({"aria-current": "step"}
                                                   if index == current else {}), children=[
            html.Button(title, id={"type": ids.SLIDE_ACTION, "action": "go", "index": index},
                        n_clicks=0, className="link-button",
                        **{"aria-label": tr("show slide", lang, number=index + 1,
                                            title=title)}),
            html.Span(note, className="slide-note") if note else None,
            html.Span(className="slide-actions", children=[
                action("up", index, "↑", tr("move up", lang, title=title)),
                action("down", index, "↓", tr("move down", lang, title=title)),
                action("delete", index, "✕", tr("delete", lang, title=title)),
            ]),
        ]))
    return items


def apply_change(store: BriefingStore, trigger, chosen, search: str, slide_title,
                 slide_note, new_title, lang: str) -> tuple:
    """What a click of the panel does to the briefings on disk: create one, add the view as
    a slide, move or delete a slide. The briefing chosen after it, the status, and the
    fields to clear (slide title, note, new briefing's title)."""
    status, cleared = no_update, (no_update, no_update, no_update)
    try:
        if trigger == ids.BRIEFING_CREATE:
            chosen = store.create(new_title or "")
            status = tr("created", lang, title=(new_title or "").strip())
            cleared = (no_update, no_update, "")
        elif trigger == ids.SLIDE_ADD:
            if not chosen:
                raise BriefingError([])
            title = (slide_title or "").strip() or view_of(search) or tr("briefing", lang)
            briefing = store.add_slide(chosen, title, view_of(search), slide_note or "")
            status = tr("added", lang, title=title, number=len(briefing.slides))
            cleared = ("", "", no_update)
        elif isinstance(trigger, dict) and trigger.get("action") in ("up", "down", "delete"):
            index = int(trigger["index"])
            if trigger["action"] == "delete":
                store.delete_slide(chosen, index)
                status = tr("deleted", lang)
            else:
                store.move_slide(chosen, index, -1 if trigger["action"] == "up" else 1)
                status = tr("moved", lang)
    except BriefingError as error:
        status = tr("briefing failed", lang, why=str(error) or tr("choose first", lang))
    except (TypeError, ValueError):
        status = tr("briefing failed", lang, why=tr("choose first", lang))
    return chosen, status, cleared


def briefing_list(store: BriefingStore, chosen, in_url: dict, status, lang: str) -> tuple:
    """The briefings to choose from, the one chosen, its slides (the one the URL presents
    marked) and the status (or, if none, what could not be read)."""
    briefings, problems = store.all()
    if problems and status is no_update:
        status = tr("unreadable", lang, why="; ".join(str(p) for p in problems[:3]))
    options = [{"label": b.title_in(lang), "value": key} for key, b in briefings.items()]
    chosen = chosen if chosen in briefings else None
    current = int(in_url["slide"]) if in_url.get("briefing") == chosen and \
        in_url.get("slide", "").isdigit() else None
    return options, chosen, slide_list(briefings.get(chosen), chosen, current, lang), status


def register(app: Dash, store: BriefingStore) -> None:
    @app.callback(
        Output(ids.BRIEFING_CHOICE, "options"),
        Output(ids.BRIEFING_CHOICE, "value"),
        Output(ids.BRIEFING_SLIDES, "children"),
        Output(ids.BRIEFING_STATUS, "children"),
        Output(ids.SLIDE_TITLE, "value"),
        Output(ids.SLIDE_NOTE, "value"),
        Output(ids.BRIEFING_NEW_TITLE, "value"),
        Input(ids.URL, "search"),
        Input(ids.BRIEFING_CHOICE, "value"),
        Input(ids.SLIDE_ADD, "n_clicks"),
        Input(ids.BRIEFING_CREATE, "n_clicks"),
        Input({"type": ids.SLIDE_ACTION, "action": ALL, "index": ALL}, "n_clicks"),
        State(ids.SLIDE_TITLE, "value"),
        State(ids.SLIDE_NOTE, "value"),
        State(ids.BRIEFING_NEW_TITLE, "value"),
    )
    def manage(search, chosen, _add, _create, _actions, slide_title, slide_note, new_title):
        search = search if isinstance(search, str) else ""
        lang, trigger = lang_in(search), ctx.triggered_id
        in_url = dict(query_pairs(search))
        if trigger == ids.URL or trigger is None:
            chosen = in_url.get("briefing", chosen)
        if isinstance(trigger, dict) and trigger.get("action") in ("up", "down", "delete") \
                and not ctx.triggered[0]["value"]:
            return (no_update,) * 7  # the slides' buttons were just drawn, not clicked
        chosen, status, cleared = apply_change(store, trigger, chosen, search, slide_title,
                                               slide_note, new_title, lang)
        return (*briefing_list(store, chosen, in_url, status, lang), *cleared)

    @app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input({"type": ids.SLIDE_ACTION, "action": "go", "index": ALL}, "n_clicks"),
        Input(ids.BRIEFING_PRESENT, "n_clicks"),
        State(ids.BRIEFING_CHOICE, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def go_to_slide(_go, _present, chosen, search):
        if not ctx.triggered or not ctx.triggered[0]["value"]:
            return no_update
        search = search if isinstance(search, str) else ""
        if not isinstance(chosen, str):
            # A lone briefing is the one to present (not chosen in the list beforehand: a
            # chosen briefing is what the header's Present button and the P key present).
            chosen = lone_briefing(store)
            if chosen is None:
                return no_update  # say_what_to_choose answers
        trigger = ctx.triggered_id
        if trigger == ids.BRIEFING_PRESENT:  # from the first slide, full screen
            search = as_query(with_key(query_pairs(search), "present", "1"))
            number = 0
        else:
            number = int(trigger["index"])
        return slide_query(store, chosen, number, search) or no_update

    @app.callback(
        Output(ids.BRIEFING_STATUS, "children", allow_duplicate=True),
        Input(ids.BRIEFING_PRESENT, "n_clicks"),
        State(ids.BRIEFING_CHOICE, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def say_what_to_choose(clicks, chosen, search):
        """"Present this briefing" with none chosen among several says what to do."""
        if not clicks or isinstance(chosen, str) or lone_briefing(store) is not None:
            return no_update
        return tr("choose to present", lang_in(search if isinstance(search, str) else ""))


def lone_briefing(store: BriefingStore) -> str | None:
    briefings, _problems = store.all()
    return next(iter(briefings)) if len(briefings) == 1 else None
