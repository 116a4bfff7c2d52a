"""The page: filters beside the map, the details of the selection, and the records table."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import dash_ag_grid as dag
from dash import dcc, html

import ids
from figures.captions import day_text
from figures.table import columns
from figures.world_map import PLACEHOLDER
from i18n import (
    KEY_NAMES_FR,
    LANGUAGE_NAMES,
    LANGUAGES,
    date_text,
    file_name,
    label,
    labels,
    list_separator,
    tr,
    tr_count,
)
from panels import briefings, bring_layer, export
from panels.static_html import to_html
from panels.widgets import dropdown
from presence.dataset import Dataset
from presence.layer_registry import LAYERS
from presence.memo import per_dataset

ASSETS = Path(__file__).resolve().parent / "assets"


MODEBAR_FR = {"Pan": "Déplacer", "Zoom in": "Zoom avant", "Zoom out": "Zoom arrière"}


def graph_config(topojson_url: str, lang: str = "en") -> dict:
    """Graph options; `topojsonURL` points Plotly at our own base maps instead of a CDN."""
    # No button may offer to send the figure to a cloud service: the network is air-gapped
    # and the data is not for upload.
    return {"topojsonURL": topojson_url, "displaylogo": False, "scrollZoom": True,
            "showSendToCloud": False, "showEditInChartStudio": False, "plotlyServerURL": "",
            "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio", "lasso2d",
                                       "select2d"],
            "toImageButtonOptions": {"format": "png", "scale": 2,
                                     "filename": file_name("map", lang)},
            "locale": lang,
            # Plotly's French toolbar says "Translation" and "Zoom intérieur": the words
            # French software uses instead, over its own locale (assets/plotly-locale-fr.js).
            "locales": {"fr": {"dictionary": MODEBAR_FR}}}


@per_dataset
def year_bounds(dataset: Dataset) -> tuple[int, int]:
    """The years the slider spans: from the first year a record is in force to the latest
    year a record or a source dates."""
    years = dataset.records[["in_force_from", "in_force_until"]].stack()
    latest = dataset.sources["data_as_of"].str[:4].astype(int).max()
    return int(years.min()), max(int(years.max()), int(latest))


def category_options(dataset: Dataset, themes, lang: str = "en") -> list[dict]:
    """The categories of the `themes` ticked (all when none is), as every change of view
    sends them."""
    themes = set(themes or dataset.themes.index)
    return [{"label": name, "value": category_id}
            for category_id, theme, name in _category_labels(dataset)[lang] if theme in themes]


@per_dataset
def _category_labels(dataset: Dataset) -> dict[str, list[tuple[str, str, str]]]:
    """By language, each category's id, theme and label, in the data set's order."""
    return {lang: [(category_id, theme, label(dataset.categories, category_id, "label", lang))
                   for category_id, theme in zip(dataset.categories.index.tolist(),
                                                 dataset.categories["theme"].tolist())]
            for lang in LANGUAGES}


def theme_options(dataset: Dataset, lang: str = "en") -> list[dict]:
    return [{"label": label(dataset.themes, theme_id, "label", lang), "value": theme_id}
            for theme_id in dataset.themes.index]


def theme_only_buttons(dataset: Dataset, lang: str = "en") -> list[html.Button]:
    """One "only" button per theme, imported themes included: one click shows that theme
    alone, as the keys 1–5 do."""
    buttons = []
    for theme_id in dataset.themes.index:
        words = tr("only this theme", lang, theme=label(dataset.themes, theme_id, "label", lang))
        buttons.append(html.Button(tr("only", lang), id={"type": ids.THEME_ONLY, "index": theme_id},
                                   n_clicks=0, className="only-button", title=words,
                                   **{"aria-label": words}))
    return buttons


def filters(dataset: Dataset, lang: str) -> html.Aside:
    first, last = year_bounds(dataset)
    # Imported records name no French actor. The filter matches the actor's name as the
    # data gives it (`actor`); the list shows it in the page's language.
    named = dataset.records[dataset.records["actor"] != ""].drop_duplicates("actor")
    actors = sorted(zip(labels(named, "actor", lang), named["actor"]))
    return html.Aside(className="filters", **{"aria-label": tr("filters", lang)}, children=[
        html.Label(tr("region", lang), htmlFor=ids.REGION),
        dropdown(lang, id=ids.REGION, value="world", clearable=False, search_order="original",
                     options=[{"label": label(dataset.regions, region_id, "name", lang),
                               "value": region_id} for region_id in dataset.filter_regions]),
        html.P(id=ids.FRAME_NOTE, className="frame-note", **{"aria-live": "polite"}),
        html.Label(tr("country", lang), htmlFor=ids.COUNTRY),
        dropdown(lang, id=ids.COUNTRY, value=None, search_order="original",
                 placeholder=tr("country placeholder", lang),
                     options=country_options(dataset, lang)),
        html.Fieldset(className="themes", children=[
            html.Legend(tr("themes", lang)),
            dcc.Checklist(id=ids.THEMES, value=list(dataset.themes.index),
                          options=theme_options(dataset, lang), labelClassName="choice"),
            html.Div(id=ids.THEME_ONLY_BUTTONS, className="theme-only",
                     children=theme_only_buttons(dataset, lang)),
        ]),
        html.Label(tr("categories", lang), htmlFor=ids.CATEGORIES),
        dropdown(lang, id=ids.CATEGORIES, multi=True, value=[],
                     placeholder=tr("all categories", lang),
                     options=category_options(dataset, None, lang)),
        html.Fieldset([
            html.Legend(tr("layers", lang)),
            dcc.Checklist(id=ids.LAYERS, value=list(LAYERS),
                          options=[{"label": getattr(spec, f"label_{lang}"), "value": layer_id}
                                   for layer_id, spec in LAYERS.items()],
                          labelClassName="choice"),
        ]),
        html.Label(tr("actor", lang), htmlFor=ids.ACTOR),
        dropdown(lang, id=ids.ACTOR, value=None, placeholder=tr("all actors", lang),
                     options=[{"label": shown, "value": actor} for shown, actor in actors]),
        html.Label(tr("years", lang), htmlFor=ids.YEARS, className="years-label"),
        # Padded so that the first and last years' marks, centred on the ends, are whole.
        html.Div(className="years-slider", children=dcc.RangeSlider(
            id=ids.YEARS, min=first, max=last, step=1, value=[first, last],
            marks={year: str(year) for year in range(first, last + 1, 5)},
            tooltip={"placement": "bottom"})),
        # "In 2023 or later" leaves out what only the 2013 overview says.
        html.Label(tr("attested since", lang), htmlFor=ids.ATTESTED),
        dropdown(lang, id=ids.ATTESTED, value=None, placeholder=tr("any date", lang),
                     options=attested_options(dataset, lang)),
    ])


def country_options(dataset: Dataset, lang: str = "en") -> list[dict]:
    """The countries some record touches, by name: choosing one opens its card."""
    touched = set().union(*dataset.records["places"]) if len(dataset.records) else set()
    names = {iso3: label(dataset.countries, iso3, "name", lang) for iso3 in touched}
    return [{"label": name, "value": iso3}
            for iso3, name in sorted(names.items(), key=lambda item: item[1])]


def attested_options(dataset: Dataset, lang: str = "en") -> list[dict]:
    """Each year records are attested in but the oldest (which would leave nothing out)."""
    return [{"label": tr("attested in or after", lang, year=year), "value": year}
            for year in dataset.attested_years()[1:]]


@functools.cache
def grid_locale_fr() -> dict:
    """AG Grid's own French texts (geodata/build/grid_locale.py)."""
    return json.loads((ASSETS / "ag-grid-locale-fr.json").read_text(encoding="utf-8"))


def records_table(dataset: Dataset, lang: str) -> html.Section:
    return html.Section(className="records", children=[
        html.Div(className="records-bar", children=[
            html.Label(tr("search", lang), htmlFor=ids.TABLE_SEARCH, className="visually-hidden"),
            dcc.Input(id=ids.TABLE_SEARCH, type="search", debounce=True,
                      placeholder=tr("search placeholder", lang)),
            html.Button(tr("download csv", lang), id=ids.DOWNLOAD_CSV, n_clicks=0),
            html.Button(tr("download geojson", lang), id=ids.DOWNLOAD_GEOJSON, n_clicks=0),
            dcc.Download(id=ids.DOWNLOAD),
        ]),
        dag.AgGrid(
            id=ids.TABLE,
            columnDefs=columns(lang),
            rowData=[],
            getRowId="params.data.id",
            defaultColDef={"sortable": True, "filter": True, "resizable": True},
            dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                              "enableClickSelection": True},
                             "animateRows": False,
                             # The grid's own words ("No Rows To Show", its filters) in the
                             # page's language.
                             **({"localeText": grid_locale_fr()} if lang == "fr" else {})},
            style={"height": "320px"},
        ),
    ])


def language_switch(lang: str) -> html.Nav:
    """Links to the same view in each language; following one reloads the page in it."""
    return html.Nav(className="language-switch", **{"aria-label": tr("language", lang)},
                    children=[
        html.A(LANGUAGE_NAMES[code], id={"type": ids.LANGUAGE_LINK, "index": code},
               href=f"?lang={code}", lang=code, hrefLang=code,
               **({"aria-current": "true"} if code == lang else {}))
        for code in LANGUAGES])


# The keys as each language's keyboards label them.
SHORTCUT_KEYS = [("1 – 5", "key themes"), ("0", "key all themes"),
                 ("R / Shift+R, ] / [", "key regions"),
                 ("→ / ←, Page Down / Page Up", "key slides"), ("P", "key present"),
                 ("Esc", "key leave"), ("?", "key help")]


def key_names(keys: str, lang: str) -> str:
    if lang == "fr":
        for english, french in KEY_NAMES_FR.items():
            keys = keys.replace(english, french)
    return keys


@functools.cache
def shortcuts_html(lang: str) -> str:
    """The list of keyboard shortcuts as HTML, served in the page outside Dash's layout
    (app.py): no callback touches it, and its 34 elements would each cost a store selector
    on every update of the page (the first map about 30 ms sooner, 2 % less main-thread
    work before it)."""
    return to_html(shortcuts_dialog(lang))


def shortcuts_dialog(lang: str) -> html.Dialog:
    """The list of keyboard shortcuts, opened by `?` or its button (assets/keyboard.js)."""
    return html.Dialog(id=ids.SHORTCUTS, className="shortcuts",
                       **{"aria-labelledby": f"{ids.SHORTCUTS}-title"}, children=[
        html.H2(tr("shortcuts title", lang), id=f"{ids.SHORTCUTS}-title"),
        html.Table(html.Tbody([html.Tr([html.Th(html.Kbd(key_names(keys, lang)), scope="row"),
                                        html.Td(tr(what, lang))])
                               for keys, what in SHORTCUT_KEYS])),
        html.P(tr("shortcuts note", lang)),
        html.Button(tr("close", lang), id=ids.SHORTCUTS_CLOSE, n_clicks=0),
    ])


def data_state(dataset: Dataset, lang: str) -> html.Div:
    """The data's state, and a day to see it as it stood then (`asof=`, set by
    assets/as-of.js). Seeing a past day, a banner says so and leads back to today."""
    form = html.Form(className="as-of-form", children=[
        html.Label(tr("as of label", lang), htmlFor=ids.AS_OF_DAY),
        # Typed, not a date picker: the browser's picker has a button inside the field that
        # takes the focus without showing it, and typing a day is quicker.
        dcc.Input(id=ids.AS_OF_DAY, type="text", value=dataset.as_of[0] if dataset.as_of
                  else None, placeholder=tr("as of format", lang),
                  pattern=r"\d{4}-\d{2}-\d{2}", className="as-of-day"),
        html.Button(tr("as of show", lang), type="submit", className="as-of-show"),
    ])
    # The header's data number, and the notice assets/data-watch.js shows when the server
    # holds newer data than the map (both hidden on a past day's page, which does not age).
    number = html.Span(tr("data now", lang, number=dataset.change_number), id=ids.DATA_NUMBER,
                       className="data-number", hidden=bool(dataset.as_of))
    changed = html.P(id=ids.DATA_CHANGED, role="status", hidden=True, className="data-changed",
                     children=[tr("data changed", lang), " ",
                               html.Button(tr("show new data", lang), id=ids.DATA_CHANGED_SHOW,
                                           n_clicks=0, className="link-button")])
    if not dataset.as_of:
        return html.Div(className="data-state", children=[number, form, changed])
    day, as_of_number = dataset.as_of
    return html.Div(className="data-state as-of", children=[
        html.P(role="status", className="as-of-banner", children=[
            tr("as of banner", lang, day=day_text(dt.date.fromisoformat(day), lang),
               number=as_of_number), " ",
            html.A(tr("back to today", lang), href="?", className="as-of-today")]),
        form, number, changed])


def build_layout(dataset: Dataset, topojson_url: str, lang: str = "en") -> html.Div:
    sources = list_separator(lang).join(
        f"{label(dataset.sources, source_id, 'title', lang)} "
        f"({date_text(dataset.sources.at[source_id, 'data_as_of'], lang)})"
        for source_id in dataset.sources.index)
    return html.Div(id=ids.PAGE, className="page", lang=lang, children=[
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.SELECTED, data=None),
        dcc.Store(id=ids.KEYBOARD, data=None),
        dcc.Store(id=ids.DATA_VERSION, data=dataset.version),
        dcc.Store(id=ids.IMPORTS_CHANGED, data=None),
        dcc.Store(id=ids.MAP_SIZE, data=None),
        dcc.Store(id=ids.MAP_FANS, data=None),
        dcc.Store(id=ids.MAP_PENDING, data=True),
        dcc.Store(id=ids.MAP_FIRST, data=None),
        dcc.Store(id=ids.CONTROLS_SHOWN, data=True, storage_type="local"),
        html.Header(className="page-header", children=[
            html.Div(className="page-title", children=[
                html.H1(tr("page title", lang)),
                html.P(id=ids.RECORD_COUNT, children=tr_count(
                    "count", lang, len(dataset.records), total=len(dataset.records))),
                data_state(dataset, lang),
            ]),
            html.Div(className="page-actions", children=[
                html.Button(tr("hide controls", lang), id=ids.CONTROLS_TOGGLE, n_clicks=0,
                            **{"aria-expanded": "true", "aria-controls": ids.WORKSPACE}),
                html.Button(tr("present", lang), id=ids.PRESENT_BUTTON, n_clicks=0),
                html.Button(tr("shortcuts", lang), id=ids.SHORTCUTS_BUTTON, n_clicks=0,
                            **{"aria-haspopup": "dialog"}),
                language_switch(lang),
            ]),
        ]),
        html.Main(className="main", children=[html.Div(id=ids.WORKSPACE, className="workspace",
                                                       children=[
            filters(dataset, lang),
            html.Div(className="map-panel", children=[
                html.Div(id=ids.STAGE_HEADING, className="stage-heading",
                         **{"aria-live": "polite"}),
                html.Button(tr("leave presentation", lang), id=ids.PRESENT_EXIT, n_clicks=0,
                            className="present-exit"),
                html.P(id=ids.EMPTY_STATE, className="empty-state", hidden=True,
                       children=tr("empty", lang)),
                # Its height comes from the page (style.css): the map fills what the controls
                # leave, and follows when they are hidden. The first map is built for that
                # size (callbacks/view.py): the page holds no map of its own, and does not
                # grow with the records.
                dcc.Graph(id=ids.MAP, className="map", responsive=True, figure=PLACEHOLDER,
                          config=graph_config(topojson_url, lang)),
            ]),
            html.Div(className="side-panel", children=[
                bring_layer.panel(dataset, lang),
                briefings.panel(lang),
                export.panel(lang),
                html.Section(id=ids.DETAILS, className="details", **{"aria-live": "polite"}),
                # The record's history and edits, or the latest changes (callbacks/editing.py).
                html.Section(className="changes", children=[
                    dcc.Store(id=ids.EDITOR_STATE, data={"mode": "view"}),
                    html.P(id=ids.EDITOR_MESSAGE, role="status", className="editor-message",
                           **{"aria-live": "polite"}),
                    html.Div(id=ids.EDITOR),
                ]),
            ]),
        ]),
            records_table(dataset, lang),
            # Not a <footer>: Dash's page already ends with one (holding its scripts), and a
            # page has one contentinfo landmark.
            html.P(className="page-footer", children=f"{tr('sources', lang)} : {sources}."
                   if lang == "fr" else f"{tr('sources', lang)}: {sources}."),
        ]),
    ])
