"""The records table: its columns, and the rows of the records in view."""

from __future__ import annotations

import pandas as pd

from i18n import LANGUAGES, date_text, labels, separator, tr
from presence.dataset import Dataset
from presence.layer_registry import LAYERS
from presence.memo import per_dataset

WIDTHS: dict[str, dict[str, float]] = {"name": {"flex": 3, "minWidth": 260}, "theme": {"flex": 1.4}, "category": {"flex": 2},
          "layer": {"flex": 1.4}, "country": {"flex": 1.2}, "actor": {"flex": 1.6},
          "years": {"flex": 0.8}, "as_of": {"flex": 0.9}, "source": {"flex": 1.6}}


def columns(lang: str = "en") -> list[dict]:
    return [{"field": field, "headerName": tr(f"col {field}", lang), **width}
            for field, width in WIDTHS.items()]


def in_force_text(valid_from, valid_until, lang: str = "en") -> str:
    """When a record is in force, as precisely as its source dates it: "March 2023 – May
    2023", "since 2019", "" where the source gives no date."""
    given = [date_text(value, lang) if isinstance(value, str) else None
             for value in (valid_from, valid_until)]
    start, end = given
    if start and end:
        return start if start == end else f"{start} – {end}"
    if start:
        return tr("since", lang, date=start)
    return tr("until", lang, date=end) if end else ""


def attested_text(as_of, older_as_of, lang: str = "en") -> str:
    """The date a record is attested as of, flagged where only an older source says it."""
    if not isinstance(as_of, str):
        return ""
    text = date_text(as_of, lang)
    return tr("older source", lang, date=text) if isinstance(older_as_of, str) else text


# Rows kept per data set and language (about 0.5 KB each): a large imported layer's rows
# beyond them are made for each view that shows them, not kept.
ROWS_KEPT = 10_000
# More rows than this are not sent to the browser on each filter change: the table says so,
# and the downloads always hold every record in view.
MAX_ROWS = 2_000


def table_rows(dataset: Dataset, records: pd.DataFrame, lang: str = "en") -> list[dict]:
    """Rows for the first MAX_ROWS records in view (rows of dataset.records). Each record's
    row is made once per data set and language, the first time a view shows it: a filter
    change then picks them (about 0.3 ms rather than 2 on the embedded data), up to ROWS_KEPT."""
    records = records.iloc[:MAX_ROWS]
    made = _rows_made(dataset)[lang]
    shown = records.index.tolist()
    missing = [record_id for record_id in shown if record_id not in made]
    if not missing:
        return [made[record_id] for record_id in shown]
    new = dict(zip(missing, _rows(dataset, records.loc[missing], lang)))
    if len(made) + len(new) <= ROWS_KEPT:
        made.update(new)
    return [made[record_id] if record_id in made else new[record_id] for record_id in shown]


@per_dataset
def _rows_made(dataset: Dataset) -> dict[str, dict[str, dict]]:
    """By language, the rows made so far, by record id. Shared between requests: read, never
    changed once made."""
    return {lang: {} for lang in LANGUAGES}


def _rows(dataset: Dataset, records: pd.DataFrame, lang: str) -> list[dict]:
    # Labels are looked up once per theme, category, layer and country, not once per row.
    layer_names = {layer: getattr(spec, f"label_{lang}") for layer, spec in LAYERS.items()}
    countries = labels(dataset.countries, "name", lang)
    frame = pd.DataFrame({
        "id": records.index,
        "name": labels(records, "name", lang).to_numpy(),
        "theme": records["theme"].map(labels(dataset.themes, "label", lang)).to_numpy(),
        "category": records["category"].map(labels(dataset.categories, "label", lang)).to_numpy(),
        "layer": records["layer"].map(layer_names).to_numpy(),
        "country": records["host_iso3"].map(countries).fillna("").to_numpy(),
        "actor": labels(records, "actor", lang).to_numpy(),
        "years": [in_force_text(start, end, lang)
                  for start, end in zip(records["valid_from"], records["valid_until"])],
        "as_of": [attested_text(as_of, older, lang)
                  for as_of, older in zip(records["as_of"], records["older_as_of"])],
        "source": (records["source"] + separator(lang)
                   + labels(records, "source_section", lang)).to_numpy(),
    })
    return frame.to_dict("records")
