"""The export panel beside the map: format, page size, resolution and what the page says; and
its button: the view in the URL, at the zoom on screen, drawn on the server by the same
exporter as `python app.py export`, and sent as a download."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qsl, urlencode

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

import ids
from callbacks.guard import RefusedInput
from export.exporter import Exporter, ExportRequest, file_stem, read_query, slug
from export.page import (
    COUNTRY_PAGE,
    DEFAULT_DPI,
    DEFAULT_PAGE,
    DPIS,
    MAX_SIDE_MM,
    PAGES,
    PageError,
    custom_page,
    parse_page,
)
from export.renderer import RenderError
from figures import captions
from figures.country_page import page_title
from figures.fact_sheet import DEFAULT_MARKING_COLOUR, SheetOptions, screen_geo
from i18n import lang_in, number_text, tr
from panels.widgets import dropdown
from presence.dataset import Dataset
from presence.live import LiveDataset
from presence.views import SELECTION_KEYS, ViewError

CUSTOM = "custom"
PARTS = ("title", "legend", "caption", "sources", "date", "scale", "locator")
# Colours of handling and classification markings in common use.
MARKING_COLOURS = {DEFAULT_MARKING_COLOUR: "red", "#e87722": "orange", "#007a33": "green",
                   "#0033a0": "blue", "#000000": "black"}


def panel(lang: str = "en") -> html.Details:
    return html.Details(className="export-panel", children=[
        html.Summary(tr("export map", lang)),
        html.Div(className="export-grid", children=[
            html.Fieldset([
                html.Legend(tr("format", lang)),
                dcc.RadioItems(id=ids.EXPORT_FORMAT, value="png", inline=True,
                               labelClassName="choice",
                               options=[{"label": "PNG", "value": "png"},
                                        {"label": tr("svg vector", lang), "value": "svg"},
                                        {"label": tr("pdf vector", lang), "value": "pdf"}]),
            ]),
            html.Label(tr("page size", lang), htmlFor=ids.EXPORT_SIZE),
            dropdown(lang, id=ids.EXPORT_SIZE, value=DEFAULT_PAGE, clearable=False,
                         options=[*({"label": tr(name, lang), "value": name} for name in PAGES),
                                  {"label": tr("custom size", lang), "value": CUSTOM}]),
            html.Div(id=f"{ids.EXPORT_SIZE}-custom", className="export-custom", hidden=True,
                     children=[
                html.Label(tr("width mm", lang), htmlFor=ids.EXPORT_WIDTH),
                dcc.Input(id=ids.EXPORT_WIDTH, type="number", min=20, max=2000, value=180),
                html.Label(tr("height mm", lang), htmlFor=ids.EXPORT_HEIGHT),
                dcc.Input(id=ids.EXPORT_HEIGHT, type="number", min=20, max=2000, value=120),
            ]),
            html.Fieldset([
                html.Legend(tr("resolution", lang)),
                dcc.RadioItems(id=ids.EXPORT_DPI, value=DEFAULT_DPI, inline=True,
                               labelClassName="choice",
                               options=[{"label": f"{dpi} DPI", "value": dpi} for dpi in DPIS]),
            ]),
            html.Label(tr("title", lang), htmlFor=ids.EXPORT_TITLE),
            dcc.Input(id=ids.EXPORT_TITLE, type="text", value="", maxLength=200,
                      placeholder=tr("title placeholder", lang)),
            html.Fieldset([
                html.Legend(tr("on the page", lang)),
                dcc.Checklist(id=ids.EXPORT_PARTS, value=list(PARTS), labelClassName="choice",
                              options=[{"label": tr(f"part {part}", lang), "value": part}
                                       for part in PARTS]),
            ]),
            html.Label(tr("marking", lang), htmlFor=ids.EXPORT_MARKING),
            dcc.Input(id=ids.EXPORT_MARKING, type="text", value="", maxLength=120,
                      placeholder=tr("marking placeholder", lang)),
            html.Label(tr("marking colour", lang), htmlFor=ids.EXPORT_MARKING_COLOUR),
            dropdown(lang, id=ids.EXPORT_MARKING_COLOUR, value=DEFAULT_MARKING_COLOUR,
                         clearable=False,
                         options=[{"label": tr(name, lang), "value": colour}
                                  for colour, name in MARKING_COLOURS.items()]),
            html.Button(tr("export", lang), id=ids.EXPORT_BUTTON, n_clicks=0,
                        className="export-button"),
            html.P(id=ids.EXPORT_STATUS, className="export-status", role="status",
                   **{"aria-live": "polite"}),
            dcc.Store(id=ids.EXPORT_SCREEN),
            dcc.Download(id=ids.EXPORT_DOWNLOAD),
        ]),
    ])


def request_from_panel(search: str, fmt, size, width_mm, height_mm, dpi, title, parts, marking,
                       marking_colour, screen) -> ExportRequest:
    """The export the panel asks for; PageError or ViewError for values it cannot take."""
    # Values no control offers (a forged request) are refused; a wrong size typed by the
    # user gets a message.
    if fmt not in ("png", "svg", "pdf"):
        raise RefusedInput(f"unknown format {str(fmt)[:40]!r}")
    if size == CUSTOM:
        if not all(isinstance(v, (int, float)) for v in (width_mm, height_mm)):
            # A number input sends nothing for a value outside its bounds.
            raise PageError(f"give the custom width and height in millimetres, from 20 to "
                            f"{MAX_SIDE_MM}")
        page = custom_page(float(width_mm), float(height_mm))
    elif isinstance(size, str) and size in PAGES:
        page = parse_page(size)
    else:
        raise RefusedInput(f"unknown page size {str(size)[:40]!r}")
    if dpi not in DPIS or type(dpi) is not int:  # noqa: E721 - True == 1, and is no resolution
        raise RefusedInput(f"unknown resolution {str(dpi)[:40]!r}")
    parts = {p for p in parts if isinstance(p, str)} if isinstance(parts, list) else set(PARTS)
    title = title.strip() if isinstance(title, str) and title.strip() else None
    options = SheetOptions(
        title=title[:200] if title else None, show_title="title" in parts,
        show_legend="legend" in parts, show_caption="caption" in parts,
        show_sources="sources" in parts, show_date="date" in parts,
        show_scale_bar="scale" in parts, show_locator="locator" in parts,
        marking=marking[:120] if isinstance(marking, str) else "",
        marking_colour=marking_colour if isinstance(marking_colour, str)
        and marking_colour in MARKING_COLOURS else next(iter(MARKING_COLOURS)),
        exported_on=date.today())
    geo = screen.get("geo") if isinstance(screen, dict) else None
    return ExportRequest(query=(search or "").lstrip("?"), fmt=fmt, page=page, dpi=dpi,
                         options=options, screen=screen_geo(geo if isinstance(geo, dict) else None))


class SharedExporter:
    """The server's one exporter, for the export panel, the country card and the decks.
    Built on the first export only: the embedded geometry and Chromium cost memory a server
    that never exports should not pay. Rebuilt (keeping Chromium) when a layer is imported
    or removed."""

    def __init__(self) -> None:
        self._exporter: Exporter | None = None
        self._lock = threading.Lock()

    def __call__(self, dataset: Dataset) -> Exporter:
        with self._lock:
            if self._exporter is None:
                self._exporter = Exporter(dataset)
            elif self._exporter.dataset is not dataset:
                self._exporter = Exporter(dataset, self._exporter.renderer)
            return self._exporter


def view_export(exporter: Exporter, dataset: Dataset, screen, search, fmt, size, width_mm,
                height_mm, dpi, title, parts, marking, marking_colour) -> tuple:
    """The Export button: the view in the URL drawn as the panel asks, sent as a download,
    and the status saying what was made and how long it took."""
    started = time.perf_counter()
    lang = lang_in(search)
    try:
        request = request_from_panel(search, fmt, size, width_mm, height_mm, dpi, title,
                                     parts, marking, marking_colour, screen)
        image = exporter.export(request)
        name = f"{file_stem(dataset, request.query)}.{request.fmt}"
    except RefusedInput:  # a value no control produces: a forged request, answered 400
        raise
    # PageError, ViewError and a page too small for its legend are ValueErrors.
    except (ValueError, RenderError) as error:
        return no_update, tr("export failed", lang, why=error)
    page = tr(request.page.name, lang) if request.page.name in PAGES else \
        f"{request.page.width_mm:g} × {request.page.height_mm:g} mm"
    if request.fmt == "png":
        width, height = request.page.pixels(request.dpi)
        page += f", {request.dpi} DPI, {width} × {height} px"
    return dcc.send_bytes(image, name), _exported(name, page, image, started, lang)


def country_export(exporter: Exporter, dataset: Dataset, iso3, clicks, search, fmt, dpi,
                   marking, marking_colour) -> tuple:
    """The card's one-pager: its country, the records of the view in the URL, on an A4
    portrait page in the export panel's format, resolution and marking."""
    started = time.perf_counter()
    lang = lang_in(search)
    if iso3 not in dataset.countries.index:
        raise RefusedInput("one-pager: not a country of the data set")
    # The view's filters and how it is shown, without the selection: the page is the
    # country's.
    query = urlencode([(key, value) for key, value in parse_qsl((search or "").lstrip("?"))
                       if key not in SELECTION_KEYS])
    request = replace(request_from_panel(query, fmt, COUNTRY_PAGE, None, None, dpi, None,
                                         None, marking, marking_colour, None),
                      country=iso3)
    try:
        image = exporter.export(request)
    except (ValueError, RenderError) as error:
        return no_update, [tr("export failed", lang, why=error)] * len(clicks)
    name = f"{slug(page_title(dataset, iso3, lang))}.{request.fmt}"
    done = _exported(name, tr(COUNTRY_PAGE, lang), image, started, lang)
    return dcc.send_bytes(image, name), [done] * len(clicks)


def _exported(name: str, page: str, image: bytes, started: float, lang: str) -> str:
    """The status once a file is made: its name, page, size and how long it took."""
    return tr("exported", lang, name=name, page=page, size=number_text(len(image) / 1e6, lang),
              seconds=number_text(time.perf_counter() - started, lang))


def register(app: Dash, data: LiveDataset, shared_exporter: SharedExporter) -> None:

    # The map's zoom and pan live in the browser; read them at the moment of the click.
    app.clientside_callback(
        ClientsideFunction(namespace="exportPanel", function_name="screenView"),
        Output(ids.EXPORT_SCREEN, "data"),
        Input(ids.EXPORT_BUTTON, "n_clicks"),
        State(ids.MAP, "id"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.EXPORT_DOWNLOAD, "data"),
        Output(ids.EXPORT_STATUS, "children"),
        Input(ids.EXPORT_SCREEN, "data"),
        State(ids.URL, "search"),
        State(ids.EXPORT_FORMAT, "value"),
        State(ids.EXPORT_SIZE, "value"),
        State(ids.EXPORT_WIDTH, "value"),
        State(ids.EXPORT_HEIGHT, "value"),
        State(ids.EXPORT_DPI, "value"),
        State(ids.EXPORT_TITLE, "value"),
        State(ids.EXPORT_PARTS, "value"),
        State(ids.EXPORT_MARKING, "value"),
        State(ids.EXPORT_MARKING_COLOUR, "value"),
        prevent_initial_call=True,
        # While Chromium draws, the button is disabled and shows that it is busy.
        running=[(Output(ids.EXPORT_BUTTON, "disabled"), True, False),
                 (Output(ids.EXPORT_BUTTON, "className"), "export-button busy", "export-button")],
    )
    def export_view(screen, search, fmt, size, width_mm, height_mm, dpi, title, parts, marking,
                    marking_colour):
        dataset = data.for_query(search)
        return view_export(shared_exporter(dataset), dataset, screen, search, fmt, size,
                           width_mm, height_mm, dpi, title, parts, marking, marking_colour)

    @app.callback(
        Output(ids.EXPORT_DOWNLOAD, "data", allow_duplicate=True),
        Output({"type": "country-export-status", "index": ALL}, "children"),
        Input({"type": "country-export", "index": ALL}, "n_clicks"),
        State(ids.URL, "search"),
        State({"type": "country-export-format", "index": ALL}, "value"),
        State(ids.EXPORT_DPI, "value"),
        State(ids.EXPORT_MARKING, "value"),
        State(ids.EXPORT_MARKING_COLOUR, "value"),
        prevent_initial_call=True,
        running=[(Output({"type": "country-export", "index": ALL}, "disabled"), True, False)],
    )
    def export_country(clicks, search, formats, dpi, marking, marking_colour):
        trigger = ctx.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            return no_update, [no_update] * len(clicks)
        fmt = next((value for spec, value in zip(ctx.states_list[1], formats)
                    if spec["id"] == {"type": "country-export-format",
                                      "index": trigger["index"]}), "pdf")
        dataset = data.for_query(search)
        return country_export(shared_exporter(dataset), dataset, trigger["index"], clicks,
                              search, fmt, dpi, marking, marking_colour)

    @app.callback(
        Output(f"{ids.EXPORT_SIZE}-custom", "hidden"),
        Output(ids.EXPORT_DPI, "options"),
        Input(ids.EXPORT_SIZE, "value"),
        Input(ids.EXPORT_FORMAT, "value"),
        State(ids.EXPORT_DPI, "options"),
    )
    def show_relevant_settings(size, fmt, dpi_options):
        # Resolution only means something for a PNG; vectors print sharp at any size.
        options = [{**option, "disabled": fmt != "png"} for option in dpi_options or []]
        return size != CUSTOM, options

    @app.callback(Output(ids.EXPORT_TITLE, "placeholder"), Input(ids.URL, "search"))
    def default_title(search):
        dataset = data.for_query(search)
        try:
            shown = read_query(dataset, (search or "").lstrip("?"))
        except ViewError:
            return no_update
        return captions.default_title(dataset, shown.view, shown.lang)
