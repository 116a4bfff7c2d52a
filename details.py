"""The details panel: every field of the selected record with its source, or the records
that touch a selected country. Text from data goes in as text, never as HTML."""

from __future__ import annotations

import pandas as pd
from dash import html

from layers import LAYERS
from presence.dataset import RECORD_COLUMNS, Dataset

FIELD_LABELS = {
    "id": "Id", "layer": "Layer", "theme": "Theme", "category": "Category",
    "name_en": "Name (English)", "name_fr": "Name (French)", "host_iso3": "Host country",
    "city": "City or site", "lon": "Longitude", "lat": "Latitude",
    "place_basis": "How it was placed", "countries": "Countries covered or spanned",
    "regions": "Regions", "actor": "French actor", "partner": "Partners",
    "year_start": "From", "year_end": "To", "personnel": "French personnel (as the source gives it)",
    "description": "Description", "source": "Source", "source_section": "Section of the source",
}
PLACE_BASIS = {
    "named": "the source names this city or site",
    "capital": "the source names only the country: placed at its capital",
    "seat": "placed at the organisation's seat",
    "site": "placed at the known site of the facility the source names",
}


def _country_names(dataset: Dataset, codes) -> str:
    return ", ".join(f"{dataset.countries.at[c, 'name_en']} ({c})" for c in codes)


def _value(dataset: Dataset, record: pd.Series, field: str) -> str:
    value = record[field]
    if isinstance(value, tuple):
        if field == "countries":
            return _country_names(dataset, value)
        if field == "regions":
            return ", ".join(dataset.regions.at[r, "name_en"] for r in value)
        return "; ".join(value)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if field == "theme":
        return dataset.themes.at[value, "label_en"]
    if field == "category":
        return dataset.categories.at[value, "label_en"]
    if field == "layer":
        return LAYERS[value].label_en
    if field == "host_iso3":
        return _country_names(dataset, [value])
    if field == "place_basis":
        return PLACE_BASIS[value]
    if field == "source":
        source = dataset.sources.loc[value]
        return f"{source['title']}, {source['publisher']} (data as of {source['data_as_of']})"
    return str(value)


def record_details(dataset: Dataset, record_id: str) -> list:
    record = dataset.records.loc[record_id]
    rows = [html.Tr([html.Th(FIELD_LABELS[field], scope="row"),
                     html.Td(_value(dataset, record, field), className=f"field-{field}")])
            for field in RECORD_COLUMNS]
    return [html.H2(record["name_en"]), _clear_button(),
            html.Table(className="details-table", children=html.Tbody(rows))]


def _clear_button() -> html.Button:
    # The empty index tells the selection callback to clear the selection.
    return html.Button("Clear selection", id={"type": "select-record", "index": ""},
                       className="link-button", n_clicks=0)


def country_details(dataset: Dataset, iso3: str, records: pd.DataFrame) -> list:
    touching = records[records["places"].map(lambda places: iso3 in places)]
    items = [html.Li(html.Button(row["name_en"], id={"type": "select-record", "index": record_id},
                                 className="link-button", n_clicks=0))
             for record_id, row in touching.iterrows()]
    heading = f"{dataset.countries.at[iso3, 'name_en']}: {len(touching)} record(s) in view"
    return [html.H2(heading), _clear_button(),
            html.Ul(items) if items else html.P("No record in view.")]


def details(dataset: Dataset, selected: str | None, records: pd.DataFrame) -> list:
    """The panel's content for a selection (a record id or 'country:ISO3')."""
    if selected and selected.startswith("country:"):
        iso3 = selected.removeprefix("country:")
        if iso3 in dataset.countries.index:
            return country_details(dataset, iso3, records)
    elif selected in dataset.records.index:
        return record_details(dataset, selected)
    return [html.P("Click a symbol, an area or a table row to see its details and source.",
                   className="hint")]
