"""Imported layers: how long a file of the largest sizes allowed takes to read and check, and
what a worker pays to notice and take in a layer another worker saved."""

from __future__ import annotations

import json
import math
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from figures.world_map import GeoSources, areas_geojson, build_map
from presence.imported.examine import examine_layer
from presence.imported.folder import FOLDER, MAX_LAYERS, MAX_TOTAL_RECORDS, folder_key, save_layer
from presence.imported.reading import read_table
from presence.imported.rows import default_settings
from presence.imported.settings import LayerSettings
from presence.imported.shared_readings import forget_all
from presence.live import LiveDataset
from presence.loader import GEODATA


def points_csv(rows: int, rng: random.Random, places: list[tuple[float, float]]) -> bytes:
    """Places near the given ones (a training session is held in a town, not at sea)."""
    lines = ["name;category;lat;lon;notes"]
    for number in range(rows):
        lon, lat = rng.choice(places)
        lines.append(f"Session {number};Kind {number % 6};{lat + rng.uniform(-0.2, 0.2):.4f};"
                     f"{lon + rng.uniform(-0.2, 0.2):.4f};Trainees from the coast guard, "
                     f"course {number}")
    return ("\n".join(lines) + "\n").encode()


def polygons_geojson(count: int, vertices: int, rng: random.Random) -> bytes:
    """Star-shaped (so valid) polygons of `vertices` points each, scattered over the globe."""
    features = []
    for number in range(count):
        lon, lat, radius = rng.uniform(-170, 170), rng.uniform(-60, 60), rng.uniform(0.5, 3)
        ring = [[round(lon + radius * (0.6 + 0.4 * (k % 2)) * math.cos(-2 * math.pi * k / vertices), 5),
                 round(lat + radius * (0.6 + 0.4 * (k % 2)) * math.sin(-2 * math.pi * k / vertices), 5)]
                for k in range(vertices)]
        features.append({"type": "Feature", "properties": {"name": f"Zone {number}",
                                                            "kind": f"K{number % 4}"},
                         "geometry": {"type": "Polygon", "coordinates": [ring + ring[:1]]}})
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _import_seconds(data: bytes, name: str, dataset) -> float:
    """As the server takes a layer in for the first time: read and placed in a bounded
    child, checked here (no reading kept from a run before: shared_readings)."""
    forget_all()
    started = time.perf_counter()
    examine_layer(data, name, dataset, None, "import-bench")
    return time.perf_counter() - started


def measure_imports(quick: bool) -> dict:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "geodata"
        shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("build", "*.md"))
        live = LiveDataset(folder)
        base = live.current()
        places = list(zip(base.countries["marker_lon"], base.countries["marker_lat"]))
        files = {"points CSV": ("points.csv", points_csv(200 if quick else 50_000, rng, places)),
                 "polygons GeoJSON": ("zones.geojson", polygons_geojson(
                     20 if quick else 2_000, 100 if quick else 430, rng))}
        results: dict = {"files": {}}
        for label, (name, data) in files.items():
            results["files"][label] = {
                "megabytes": round(len(data) / 2**20, 2),
                "rows": data.count(b"\n") - 1 if name.endswith(".csv") else data.count(b'"Feature"'),
                "read_and_check_s": round(min(_import_seconds(data, name, base)
                                              for _ in range(1 if quick else 3)), 2)}
        # A colleague's worker saved a layer: this one notices on its next request.
        name, data = files["points CSV"]
        table = read_table(data, name)
        save_layer(folder / FOLDER, data, default_settings(table, name))
        started = time.perf_counter()
        dataset = live.refresh()  # as the worker that saved it waits for it
        results["reload_after_save_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        build_map(dataset, sources=GeoSources("/countries", "/areas"))  # as the app sends it
        results["whole_map_for_a_stale_page_s"] = round(time.perf_counter() - started, 2)
        started = time.perf_counter()
        areas_geojson(dataset)  # the areas file, built once per state of the imports
        results["areas_file_s"] = round(time.perf_counter() - started, 2)
        checks = []
        for _ in range(200):
            started = time.perf_counter()
            folder_key(folder / FOLDER)
            checks.append(time.perf_counter() - started)
        results["folder_check_per_request_ms"] = round(statistics.median(checks) * 1e3, 3)
        results["records_after_import"] = len(dataset.records)
        results["start_up"] = _start_up_with_most_layers(Path(scratch), quick)
    return results


def _start_up_with_most_layers(scratch: Path, quick: bool) -> dict:
    """A server starting on the most imported layers allowed: 20 workbooks sharing the
    100,000 imported records, each built in a bounded child, two at a time."""
    from bench.hostile import valid_workbook

    count, rows = (2, 100) if quick else (MAX_LAYERS, MAX_TOTAL_RECORDS // MAX_LAYERS)
    folder = scratch / "geodata-layers"
    shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("build", "*.md", FOLDER))
    for number in range(count):
        save_layer(folder / FOLDER, valid_workbook(rows, number), LayerSettings(
            name=f"Sessions {number}", label="name", category="category", source="bench",
            file=f"sessions-{number}.xlsx", imported="2026-12-01"))
    started = time.perf_counter()
    live = LiveDataset(folder)
    seconds = time.perf_counter() - started
    assert len(live.current().themes) == 5 + count, live.current().import_problems[:3]
    return {"layers": count, "rows_each": rows, "seconds": round(seconds, 1)}
