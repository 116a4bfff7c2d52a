"""The export panel beside the map: format, page size, resolution, and what the page says."""

from __future__ import annotations

from dash import dcc, html

import ids
from export.page import DEFAULT_DPI, DEFAULT_PAGE, DPIS, LABELS
from figures.fact_sheet import DEFAULT_MARKING_COLOUR

CUSTOM = "custom"
PARTS = {"title": "Title", "legend": "Legend", "caption": "Caption stating the filters",
         "sources": "Source line", "date": "Date of export"}
# Colours of handling and classification markings in common use.
MARKING_COLOURS = {DEFAULT_MARKING_COLOUR: "Red", "#e87722": "Orange", "#007a33": "Green",
                   "#0033a0": "Blue", "#000000": "Black"}


def export_panel() -> html.Details:
    return html.Details(className="export-panel", children=[
        html.Summary("Export map"),
        html.Div(className="export-grid", children=[
            html.Fieldset([
                html.Legend("Format"),
                dcc.RadioItems(id=ids.EXPORT_FORMAT, value="png", inline=True,
                               labelClassName="choice",
                               options=[{"label": "PNG", "value": "png"},
                                        {"label": "SVG (vector)", "value": "svg"},
                                        {"label": "PDF (vector)", "value": "pdf"}]),
            ]),
            html.Label("Page size", htmlFor=ids.EXPORT_SIZE),
            dcc.Dropdown(id=ids.EXPORT_SIZE, value=DEFAULT_PAGE, clearable=False,
                         options=[*({"label": label, "value": name}
                                    for name, label in LABELS.items()),
                                  {"label": "Custom (mm)", "value": CUSTOM}]),
            html.Div(id=f"{ids.EXPORT_SIZE}-custom", className="export-custom", hidden=True,
                     children=[
                html.Label("Width (mm)", htmlFor=ids.EXPORT_WIDTH),
                dcc.Input(id=ids.EXPORT_WIDTH, type="number", min=20, max=2000, value=180),
                html.Label("Height (mm)", htmlFor=ids.EXPORT_HEIGHT),
                dcc.Input(id=ids.EXPORT_HEIGHT, type="number", min=20, max=2000, value=120),
            ]),
            html.Fieldset([
                html.Legend("Resolution (PNG)"),
                dcc.RadioItems(id=ids.EXPORT_DPI, value=DEFAULT_DPI, inline=True,
                               labelClassName="choice",
                               options=[{"label": f"{dpi} DPI", "value": dpi} for dpi in DPIS]),
            ]),
            html.Label("Title", htmlFor=ids.EXPORT_TITLE),
            dcc.Input(id=ids.EXPORT_TITLE, type="text", value="", maxLength=200,
                      placeholder="Themes and region of the view"),
            html.Fieldset([
                html.Legend("On the page"),
                dcc.Checklist(id=ids.EXPORT_PARTS, value=list(PARTS), labelClassName="choice",
                              options=[{"label": label, "value": part}
                                       for part, label in PARTS.items()]),
            ]),
            html.Label("Handling or classification marking (top and bottom; none when empty)",
                       htmlFor=ids.EXPORT_MARKING),
            dcc.Input(id=ids.EXPORT_MARKING, type="text", value="", maxLength=120,
                      placeholder="e.g. DIFFUSION RESTREINTE"),
            html.Label("Marking colour", htmlFor=ids.EXPORT_MARKING_COLOUR),
            dcc.Dropdown(id=ids.EXPORT_MARKING_COLOUR, value=DEFAULT_MARKING_COLOUR,
                         clearable=False,
                         options=[{"label": name, "value": colour}
                                  for colour, name in MARKING_COLOURS.items()]),
            html.Button("Export", id=ids.EXPORT_BUTTON, n_clicks=0, className="export-button"),
            html.P(id=ids.EXPORT_STATUS, className="export-status", role="status",
                   **{"aria-live": "polite"}),
            dcc.Store(id=ids.EXPORT_SCREEN),
            dcc.Download(id=ids.EXPORT_DOWNLOAD),
        ]),
    ])
