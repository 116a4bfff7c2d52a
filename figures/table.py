"""The records table: its columns, and the rows of the records in view."""

from __future__ import annotations

import pandas as pd

from layers import LAYERS
from presence.dataset import Dataset

COLUMNS = [
    {"field": "name", "headerName": "Name", "flex": 3, "minWidth": 260},
    {"field": "theme", "headerName": "Theme", "flex": 1.4},
    {"field": "category", "headerName": "Category", "flex": 2},
    {"field": "layer", "headerName": "Layer", "flex": 1.4},
    {"field": "country", "headerName": "Country", "flex": 1.2},
    {"field": "actor", "headerName": "French actor", "flex": 1.6},
    {"field": "years", "headerName": "Years", "flex": 0.8},
    {"field": "source", "headerName": "Source", "flex": 1.6},
]


def _years(start, end) -> str:
    if pd.isna(start):
        return ""
    if pd.isna(end):
        return f"{start}–"
    return str(start) if start == end else f"{start}–{end}"


# More rows than this are not sent to the browser on each filter change: the table says so,
# and the downloads always hold every record in view.
MAX_ROWS = 2_000


def table_rows(dataset: Dataset, records: pd.DataFrame) -> list[dict]:
    """Rows for the first MAX_ROWS records in view."""
    records = records.iloc[:MAX_ROWS]
    countries = dataset.countries["name_en"]
    return [{
        "id": record_id,
        "name": row["name_en"],
        "theme": dataset.themes.at[row["theme"], "label_en"],
        "category": dataset.categories.at[row["category"], "label_en"],
        "layer": LAYERS[row["layer"]].label_en,
        "country": countries[row["host_iso3"]] if isinstance(row["host_iso3"], str) else "",
        "actor": row["actor"],
        "years": _years(row["year_start"], row["year_end"]),
        "source": f"{row['source']}: {row['source_section']}",
    } for record_id, row in records.iterrows()]
