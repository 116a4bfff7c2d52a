"""The records table: its columns, and the rows of the records in view."""

from __future__ import annotations

import pandas as pd

from i18n import label, tr
from layers import LAYERS
from presence.dataset import Dataset

WIDTHS = {"name": {"flex": 3, "minWidth": 260}, "theme": {"flex": 1.4}, "category": {"flex": 2},
          "layer": {"flex": 1.4}, "country": {"flex": 1.2}, "actor": {"flex": 1.6},
          "years": {"flex": 0.8}, "source": {"flex": 1.6}}


def columns(lang: str = "en") -> list[dict]:
    return [{"field": field, "headerName": tr(f"col {field}", lang), **width}
            for field, width in WIDTHS.items()]


def in_force_text(valid_from, valid_until, lang: str = "en") -> str:
    """When a record is in force, as precisely as its source dates it: "2023-03 – 2023-05",
    "since 2019", "" where the source gives no date."""
    given = [value if isinstance(value, str) else None for value in (valid_from, valid_until)]
    start, end = given
    if start and end:
        return start if start == end else f"{start} – {end}"
    if start:
        return tr("since", lang, date=start)
    return tr("until", lang, date=end) if end else ""


# More rows than this are not sent to the browser on each filter change: the table says so,
# and the downloads always hold every record in view.
MAX_ROWS = 2_000


def table_rows(dataset: Dataset, records: pd.DataFrame, lang: str = "en") -> list[dict]:
    """Rows for the first MAX_ROWS records in view."""
    records = records.iloc[:MAX_ROWS]
    return [{
        "id": record_id,
        "name": label(records, record_id, "name", lang),
        "theme": label(dataset.themes, row["theme"], "label", lang),
        "category": label(dataset.categories, row["category"], "label", lang),
        "layer": getattr(LAYERS[row["layer"]], f"label_{lang}"),
        "country": label(dataset.countries, row["host_iso3"], "name", lang)
        if isinstance(row["host_iso3"], str) else "",
        "actor": row["actor"],
        "years": in_force_text(row["valid_from"], row["valid_until"], lang),
        "source": f"{row['source']}: {row['source_section']}",
    } for record_id, row in records.iterrows()]
