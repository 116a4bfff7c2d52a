"""Synthetic data sets of the same schema as geodata/records.csv: random but valid records,
for measuring how the dashboard's costs grow with the number of records.

    python -m bench.synthetic 10000 /tmp/geodata-10k
"""

from __future__ import annotations

import csv
import random
import shutil
import sys
from pathlib import Path

from presence.dataset import RECORD_COLUMNS
from presence.layer_registry import POINT_LAYERS
from presence.loader import GEODATA, load_dataset
from presence.schema import Quantity

AREA_SHARE = 0.05  # the embedded data has 26 areas in 67 records; large sets are mostly points


def generate(count: int, folder: Path, seed: int = 5) -> Path:
    """Write a copy of geodata/ whose records.csv holds `count` synthetic records."""
    reference = load_dataset(GEODATA)
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns(
        "build", "*.md", "records.csv", "quantities.csv", "citations.csv", "store*.gpkg*"))
    # The figures of quantities.csv belong to the real records, which are not here.
    (folder / "quantities.csv").write_text(",".join(Quantity.model_fields) + "\n",
                                           encoding="utf-8")
    rng = random.Random(seed)
    categories = list(reference.categories[["theme"]].itertuples())
    countries = reference.countries
    codes = list(countries.index)
    actors = sorted(reference.records["actor"].unique())
    with (folder / "records.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, RECORD_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for number in range(count):
            category = rng.choice(categories)
            host = rng.choice(codes)
            row: dict[str, object] = {column: "" for column in RECORD_COLUMNS}
            row.update(id=f"synthetic-{number}", theme=category.theme, category=category.Index,
                       name_en=f"Synthetic record {number}", actor=rng.choice(actors),
                       description="Synthetic record for benchmarks.", source="fs05",
                       source_section="synthetic", host_iso3=host, as_of="2023-09",
                       source_quote="Synthetic record for benchmarks.")
            if rng.random() < AREA_SHARE:
                row["layer"] = "project-footprint"
                row["countries"] = ";".join(rng.sample(codes, rng.randint(1, 4)))
                row["extent"] = "named"
            else:
                row["layer"] = rng.choice(POINT_LAYERS)
                # Each country's marker point lies inside it: a valid place for any record.
                row.update(city="synthetic", place_basis="capital",
                           lon=f"{countries.at[host, 'marker_lon']:.3f}",
                           lat=f"{countries.at[host, 'marker_lat']:.3f}")
            if rng.random() < 0.5:
                start = rng.randint(2005, 2023)
                row["valid_from"], row["valid_until"] = start, rng.choice(["", start, start + 2])
            writer.writerow(row)
    return folder


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
