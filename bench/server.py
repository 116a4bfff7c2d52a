"""Server-side figures: start-up (load, validate, build the app) and filter callbacks (time
and response bytes), for our app and for the naive one, through Flask's test client."""

from __future__ import annotations

import gzip
import random
import statistics
import time
from pathlib import Path

import brotli

import ids
from bench.payloads import (
    layout_components,
    layout_prop,
    payload,
    random_filter_change,
    view_callback,
)
from presence.layer_registry import LAYERS
from presence.loader import load_dataset


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summarise(values: list) -> dict:
    return {"median": statistics.median(values), "p95": _percentile(values, 0.95),
            "count": len(values)}


def measure_startup(folder: Path) -> dict:
    from app import create_app

    started = time.perf_counter()
    dataset = load_dataset(folder)
    loaded = time.perf_counter()
    create_app(folder)
    built = time.perf_counter()
    return {"records": len(dataset.records), "load_validate_s": loaded - started,
            "create_app_s": built - loaded}


def measure_callbacks(app, changes: int, seed: int = 11) -> dict:
    """Time and bytes of `changes` random theme/region/layer changes posted to the app's
    filter callback (ours: the view callback; naive: its only callback)."""
    dataset_regions, client = None, app.server.test_client()
    dependencies = client.get("/_dash-dependencies").get_json()
    try:
        callback = view_callback(dependencies)
    except StopIteration:
        callback = dependencies[0]  # the naive app has one callback
    layout = client.get("/_dash-layout").get_json()
    themes = _options(layout, "filter-themes")
    dataset_regions = _options(layout, "filter-region")
    # The page's data version, as the browser sends it: an answer for a page built on
    # another state of the data would send the whole map again.
    version = layout_prop(layout, ids.DATA_VERSION, "data")
    rng = random.Random(seed)
    seconds, sizes, plain_sizes = [], [], []
    for _ in range(changes):
        values, changed = random_filter_change(rng, themes, dataset_regions, list(LAYERS))
        values[f"{ids.DATA_VERSION}.data"] = version
        started = time.perf_counter()
        # As a browser asks: compressed on the wire when it is worth it.
        response = client.post("/_dash-update-component", json=payload(callback, values, changed),
                               headers={"Accept-Encoding": "br, gzip"})
        seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"callback answered {response.status_code}")
        sizes.append(len(response.data))
        plain_sizes.append(_decoded_size(response))
    return {"seconds": summarise(seconds), "response_bytes": summarise(sizes),
            "response_bytes_uncompressed": summarise(plain_sizes)}


def _decoded_size(response) -> int:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return len(brotli.decompress(response.data))
    if encoding == "gzip":
        return len(gzip.decompress(response.data))
    return len(response.data)


def _options(layout: dict, component_id: str) -> list[str]:
    """The values offered by a control, read from the served layout."""
    return [option["value"] for props in layout_components(layout, component_id)
            for option in props.get("options", [])]
