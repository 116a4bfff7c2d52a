"""The export panel beside the map: format, page size, resolution, and what the page says."""

from __future__ import annotations

from dash import dcc, html

import ids
from export.page import DEFAULT_DPI, DEFAULT_PAGE, DPIS, PAGES
from figures.fact_sheet import DEFAULT_MARKING_COLOUR
from i18n import tr

CUSTOM = "custom"
PARTS = ("title", "legend", "caption", "sources", "date", "scale", "locator")
# Colours of handling and classification markings in common use.
MARKING_COLOURS = {DEFAULT_MARKING_COLOUR: "red", "#e87722": "orange", "#007a33": "green",
                   "#0033a0": "blue", "#000000": "black"}


def export_panel(lang: str = "en") -> html.Details:
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
            dcc.Dropdown(id=ids.EXPORT_SIZE, value=DEFAULT_PAGE, clearable=False,
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
            dcc.Dropdown(id=ids.EXPORT_MARKING_COLOUR, value=DEFAULT_MARKING_COLOUR,
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
