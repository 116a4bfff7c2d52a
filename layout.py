"""The page: filters beside the map, the details of the selection, and the records table."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import dcc, html

import ids
from export.panel import export_panel
from figures.table import COLUMNS
from figures.world_map import GeoSources, build_map
from layers import LAYERS
from presence.dataset import Dataset


def graph_config(topojson_url: str) -> dict:
    """Graph options; `topojsonURL` points Plotly at our own base maps instead of a CDN."""
    return {"topojsonURL": topojson_url, "displaylogo": False, "scrollZoom": True,
            "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "cooperation-map"}}


def year_bounds(dataset: Dataset) -> tuple[int, int]:
    years = dataset.records[["year_start", "year_end"]].stack()
    return int(years.min()), int(years.max())


def category_options(dataset: Dataset, themes) -> list[dict]:
    chosen = dataset.categories[dataset.categories["theme"].isin(themes or dataset.themes.index)]
    return [{"label": row.label_en, "value": category_id}
            for category_id, row in chosen.iterrows()]


def filters(dataset: Dataset) -> html.Aside:
    first, last = year_bounds(dataset)
    actors = sorted(dataset.records["actor"].unique())
    return html.Aside(className="filters", children=[
        html.Label("Region", htmlFor=ids.REGION),
        dcc.Dropdown(id=ids.REGION, value="world", clearable=False,
                     options=[{"label": row.name_en, "value": region_id}
                              for region_id, row in dataset.regions.iterrows()]),
        html.Fieldset([
            html.Legend("Themes"),
            dcc.Checklist(id=ids.THEMES, value=list(dataset.themes.index),
                          options=[{"label": row.label_en, "value": theme_id}
                                   for theme_id, row in dataset.themes.iterrows()],
                          labelClassName="choice"),
        ]),
        html.Label("Categories (all when empty)", htmlFor=ids.CATEGORIES),
        dcc.Dropdown(id=ids.CATEGORIES, multi=True, value=[], placeholder="All categories",
                     options=category_options(dataset, None)),
        html.Fieldset([
            html.Legend("Layers"),
            dcc.Checklist(id=ids.LAYERS, value=list(LAYERS),
                          options=[{"label": spec.label_en, "value": layer_id}
                                   for layer_id, spec in LAYERS.items()],
                          labelClassName="choice"),
        ]),
        html.Label("French actor", htmlFor=ids.ACTOR),
        dcc.Dropdown(id=ids.ACTOR, value=None, placeholder="All actors",
                     options=[{"label": actor, "value": actor} for actor in actors]),
        html.Label("Years (the full range shows records without a year too)",
                   htmlFor=ids.YEARS, className="years-label"),
        dcc.RangeSlider(id=ids.YEARS, min=first, max=last, step=1, value=[first, last],
                        marks={year: str(year) for year in range(first, last + 1, 5)},
                        tooltip={"placement": "bottom"}),
    ])


def records_table(dataset: Dataset) -> html.Section:
    return html.Section(className="records", children=[
        html.Div(className="records-bar", children=[
            html.Label("Search", htmlFor=ids.TABLE_SEARCH, className="visually-hidden"),
            dcc.Input(id=ids.TABLE_SEARCH, type="search", placeholder="Search the records in view",
                      debounce=True),
            html.Button("Download CSV", id=ids.DOWNLOAD_CSV, n_clicks=0),
            html.Button("Download GeoJSON", id=ids.DOWNLOAD_GEOJSON, n_clicks=0),
            dcc.Download(id=ids.DOWNLOAD),
        ]),
        dag.AgGrid(
            id=ids.TABLE,
            columnDefs=COLUMNS,
            rowData=[],
            getRowId="params.data.id",
            defaultColDef={"sortable": True, "filter": True, "resizable": True},
            dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                              "enableClickSelection": True},
                             "animateRows": False},
            style={"height": "320px"},
        ),
    ])


def build_layout(dataset: Dataset, topojson_url: str, geo: GeoSources) -> html.Div:
    sources = "; ".join(f"{row.title} ({row.data_as_of})" for row in dataset.sources.itertuples())
    return html.Div(className="page", children=[
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.SELECTED, data=None),
        html.Header(className="page-header", children=[
            html.H1("France's security and defence cooperation"),
            html.P(id=ids.RECORD_COUNT, children=f"{len(dataset.records)} records shown"),
        ]),
        html.Main(className="workspace", children=[
            filters(dataset),
            html.Div(className="map-panel", children=[
                html.P(id=ids.EMPTY_STATE, className="empty-state", hidden=True,
                       children="No record matches these filters. Widen the region or "
                                "tick more themes, categories or layers."),
                dcc.Graph(id=ids.MAP, className="map",
                          figure=build_map(dataset, sources=geo),
                          config=graph_config(topojson_url), style={"height": "68vh"}),
            ]),
            html.Div(className="side-panel", children=[
                export_panel(),
                html.Section(id=ids.DETAILS, className="details", **{"aria-live": "polite"}),
            ]),
        ]),
        records_table(dataset),
        html.Footer(className="page-footer", children=[html.Span(f"Sources: {sources}.")]),
    ])
