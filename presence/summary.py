"""The summary `check-data` prints: records per theme and layer, and what else was loaded."""

from __future__ import annotations

import pandas as pd

from presence.dataset import Dataset


def summary_table(dataset: Dataset) -> str:
    records = dataset.records
    table = pd.crosstab(records["theme"], records["layer"], margins=True, margins_name="total")
    table = table.reindex([*dataset.themes.index, "total"])
    lines = [
        f"Data set in {dataset.folder}: valid.",
        f"{len(records)} records from {len(dataset.sources)} sources; "
        f"{len(dataset.countries)} countries, {len(dataset.regions)} regions, "
        f"{len(dataset.themes)} themes, {len(dataset.categories)} categories.",
        "",
        "Records per theme and layer:",
        table.to_string(),
        "",
        "Records per source: " + ", ".join(
            f"{source} {count}" for source, count in records["source"].value_counts().items()),
    ]
    return "\n".join(lines)
