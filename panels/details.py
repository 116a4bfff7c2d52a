"""The details panel: every field of the selected record with its source, or the records
that touch a selected country. Text from data goes in as text, never as HTML."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from figures.record_text import (
    FIELD_LABELS,
    READING_ORDER,
    CardEntry,
    Reading,
    country_card,
    field_value,
    figure_text,
    figures_of,
    in_lang,
    readings_of,
)
from i18n import attested_note, label, tr, tr_count
from presence.dataset import Dataset


def same_place(record_id: str, records: pd.DataFrame) -> pd.DataFrame:
    """The other point records in view at the record's lon and lat: the rest of its stack on
    the map, and those of other categories drawn under it."""
    record = records.loc[record_id] if record_id in records.index else None
    if record is None or pd.isna(record["lon"]):
        return records.iloc[:0]
    here = (records["lon"] == record["lon"]) & (records["lat"] == record["lat"])
    return records[here & (records.index != record_id)]


def record_list(records: pd.DataFrame, lang: str) -> html.Ul:
    """Records as buttons that select them, each known only from an older source saying so."""
    return html.Ul([html.Li([html.Button(label(records, record_id, "name", lang),
                                         id={"type": "select-record", "index": record_id},
                                         className="link-button", n_clicks=0),
                             _attested_only(records, record_id, lang)])
                    for record_id in records.index])


def _attested_only(records: pd.DataFrame, record_id: str, lang: str):
    note = attested_note(records.at[record_id, "older_as_of"], lang) \
        if "older_as_of" in records else ""
    return html.Span(f" ({note})", className="attested-only") if note else None


# The fields that say how the data set stores a record rather than what it is.
# Records a country's card gives in full; the rest of each group is counted (a card of
# 20,000 imported records took 88 s to build and 800,000 characters to show).
CARD_MOST = 60
RECORD_DATA = ("layer", "name_en", "name_fr", "short_en", "short_fr", "lon", "lat", "id")


def record_details(dataset: Dataset, record_id: str, lang: str = "en",
                   records: pd.DataFrame | None = None) -> list:
    """The fields a record gives, in the order a reader needs them (READING_ORDER), its
    figures, and the records in view at the same place."""
    record = dataset.records.loc[record_id]
    given = figures_of(dataset, record_id)
    rows: list = []
    data_rows: list = []
    for field in READING_ORDER:
        if field == "figures":
            if len(given):
                rows.append(html.Tr([html.Th(tr("figures", lang), scope="row"), html.Td(
                    html.Ul([html.Li(figure_text(quantity, lang))
                             for _, quantity in given.iterrows()]),
                    className="field-figures")]))
            continue
        value = field_value(dataset, record, field, lang)
        if value in ("—", ""):
            continue
        (data_rows if field in RECORD_DATA else rows).append(html.Tr([
            html.Th(in_lang(FIELD_LABELS[field], lang), scope="row"),
            html.Td(value, className=f"field-{field}")]))
    found = [html.H2(label(dataset.records, record_id, "name", lang)), _clear_button(lang),
             html.Table(className="details-table", children=html.Tbody(rows))]
    host = record["host_iso3"]
    if isinstance(host, str) and host in dataset.countries.index:  # its country, one click away
        found.append(html.P(html.Button(
            tr("open card", lang, country=label(dataset.countries, host, "name", lang)),
            id={"type": "select-record", "index": f"country:{host}"}, className="link-button",
            n_clicks=0)))
    # How the data set stores it (ids, names on the map, coordinates): folded away.
    found.append(html.Details(className="record-data", children=[
        html.Summary(tr("record data", lang)),
        html.Table(className="details-table", children=html.Tbody(data_rows))]))
    readings = readings_of(dataset, record_id, lang)
    if readings:
        found += [html.H3(tr("read with", lang)),
                  html.Ul(className="card-readings", children=[_reading(r) for r in readings])]
    here = same_place(record_id, dataset.records if records is None else records)
    if len(here):
        found += [html.H3(tr("same place", lang, count=len(here))), record_list(here, lang)]
    return found


def _clear_button(lang: str) -> html.Button:
    # The empty index tells the selection callback to clear the selection.
    return html.Button(tr("clear selection", lang), id={"type": "select-record", "index": ""},
                       className="link-button", n_clicks=0)


def country_details(dataset: Dataset, iso3: str, records: pd.DataFrame, lang: str = "en") -> list:
    """The country's card: every record in view touching it, by how it touches it and by
    theme, each with its dates, figures and the source's own words."""
    groups = country_card(dataset, iso3, records, lang, most=CARD_MOST)
    count = sum(len(entries) for group in groups for _, entries in group.themes) + \
        sum(group.unlisted for group in groups)
    heading = tr_count("country records", lang, count,
                       country=label(dataset.countries, iso3, "name", lang))
    found = [html.H2(heading), _clear_button(lang)]
    if not groups:
        return found + [html.P(tr("no record", lang))]
    # Its one-pager (panels/export.py): the card's records on an A4 page.
    found.append(html.Div(className="card-export", children=[
        html.Button(tr("export one-pager", lang), className="export-button",
                    id={"type": "country-export", "index": iso3}, n_clicks=0),
        # PDF unless the officer chooses otherwise: only a PDF continues on further pages.
        dcc.RadioItems(id={"type": "country-export-format", "index": iso3}, value="pdf",
                       inline=True, labelClassName="choice",
                       options=[{"label": "PDF", "value": "pdf"},
                                {"label": "PNG", "value": "png"},
                                {"label": "SVG", "value": "svg"}]),
        html.P(tr("one-pager hint", lang), className="hint"),
        html.P(id={"type": "country-export-status", "index": iso3}, role="status",
               className="export-status", **{"aria-live": "polite"})]))
    for group in groups:
        found.append(html.H3(group.heading))
        for theme, entries in group.themes:
            found += [html.H4(theme), html.Ul(className="card-records",
                                              children=[_card_item(entry) for entry in entries])]
        if group.unlisted:
            found.append(html.P(tr_count("card unlisted", lang, group.unlisted),
                                className="card-unlisted"))
    return found


def _reading(reading: Reading) -> html.Li:
    """A further source: what it settles, then its words and where they come from."""
    return html.Li(className="reading", children=[
        html.P(reading.note, className="reading-note"),
        html.Blockquote([html.P(reading.quote), html.Footer(reading.cited)],
                        className="card-quote")])


def _card_item(entry: CardEntry) -> html.Li:
    """One record on a country's card: its name (which selects it), when, its figures, and
    the source's words with the document and section they come from."""
    return html.Li(className="card-record", children=[
        html.Button(entry.name, id={"type": "select-record", "index": entry.record_id},
                    className="link-button", n_clicks=0),
        html.P(entry.when, className="card-when"),
        html.Ul([html.Li(amount) for amount in entry.amounts], className="card-figures")
        if entry.amounts else None,
        html.Blockquote([html.P(entry.quote), html.Footer(entry.cited)], className="card-quote")
        if entry.quote else html.P(entry.cited, className="card-quote"),
        html.Ul(className="card-readings", children=[_reading(r) for r in entry.readings])
        if entry.readings else None,
    ])


def details(dataset: Dataset, selected: str | None, records: pd.DataFrame,
            lang: str = "en") -> list:
    """The panel's content for a selection (a record id or 'country:ISO3')."""
    if selected and selected.startswith("country:"):
        iso3 = selected.removeprefix("country:")
        if iso3 in dataset.countries.index:
            return country_details(dataset, iso3, records, lang)
    elif selected in dataset.records.index:
        return record_details(dataset, selected, lang, records)
    return [html.P(tr("details hint", lang), className="hint")]
