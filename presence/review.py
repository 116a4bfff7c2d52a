"""The review a briefing officer reads before defending a map: each record, what the data set
makes it say, beside the words of its source (`python app.py review`)."""

from __future__ import annotations

import textwrap

import pandas as pd

from presence.dataset import Dataset
from presence.quotes import excerpts

WIDTH = 100
INDENT = " " * 12


def _given(value) -> bool:
    return not (value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))
                or value == () or value == "")


def _line(label: str, text: str) -> str:
    return textwrap.fill(text, WIDTH, break_on_hyphens=False, initial_indent=f"  {label:<10}", subsequent_indent=INDENT)


def _where(dataset: Dataset, record: pd.Series) -> str:
    parts = []
    if _given(record["lon"]):
        parts.append(f"point at {record['city']} ({record['lon']}, {record['lat']}), "
                     f"{record['host_iso3']}, placed by {record['place_basis']}")
    if _given(record["extent"]):
        named = ", ".join(record["countries"]) or "none"
        regions = ", ".join(f"{region} ({dataset.regions.at[region, 'note']})"
                            for region in record["regions"])
        parts.append(f"area, extent {record['extent']}; countries named: {named}"
                     + (f"; regions: {regions}" if regions else ""))
    return "; ".join(parts)


def _when(record: pd.Series) -> str:
    valid = [f"in force from {record['valid_from']}" if _given(record["valid_from"]) else "",
             f"until {record['valid_until']}" if _given(record["valid_until"])
             else "ongoing at the source's date",
             f"events {', '.join(record['event_dates'])}" if _given(record["event_dates"]) else "",
             f"attested as of {record['as_of']}" if _given(record["as_of"]) else ""]
    return "; ".join(part for part in valid if part)


def review_text(dataset: Dataset, records: pd.DataFrame, texts: dict[str, str] | None) -> str:
    """Every record of `records` with its claims and its quote; with the sources' `texts`,
    each quote is marked as found in its source or not."""
    blocks = []
    figures = dataset.quantities
    for record_id, record in records.iterrows():
        if texts is None or record["source"] not in texts:
            mark = "quote not checked"
        else:
            missing = [part for part in excerpts(record["source_quote"])
                       if part not in texts[record["source"]]]
            mark = "quote found in the source" if not missing else "QUOTE NOT IN THE SOURCE"
        lines = [f"{record_id} — {record['name_en']}  [{mark}]",
                 _line("source", f"{record['source']}, {record['source_section']}"),
                 _line("says", f"{record['theme']} / {record['category']} ({record['layer']}); "
                               f"{_where(dataset, record)}"),
                 _line("", f"actor {record['actor']}"
                           + (f"; partners {record['partner']}" if _given(record["partner"]) else "")),
                 _line("when", _when(record))]
        if _given(record["personnel"]):
            qualifier = record["personnel_qualifier"]
            lines.append(_line("personnel", f"{qualifier + ' ' if _given(qualifier) else ''}"
                                            f"{record['personnel']}"))
        for _, figure in figures[figures["record"] == record_id].iterrows():
            amount = " ".join(str(part) for part in (
                figure["qualifier"], f"{figure['value']:,.10g}", figure["unit"]) if _given(part))
            lines.append(_line("figure", f"{amount} — {figure['what_en']} "
                                         f"(\u201c{figure['source_quote']}\u201d)"))
        lines.append(_line("describes", record["description"]))
        lines.append(_line("quote", f"\u201c{record['source_quote']}\u201d"))
        blocks.append("\n".join(line for line in lines if line.strip()))
    return "\n\n".join(blocks) + "\n"
