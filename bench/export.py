"""Export timings: the first image (Chromium starting), warm images at print size, and an
atlas run from a fresh start, as `python app.py export --atlas` does it."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from export.atlas import default_pages, write_atlas
from export.exporter import Exporter, ExportRequest
from export.page import PAGES
from presence.loader import load_dataset

A4_300 = ExportRequest(page=PAGES["a4-landscape"], dpi=300)  # the whole world, every record


def _timed(exporter: Exporter, request: ExportRequest) -> tuple[float, int]:
    began = time.perf_counter()
    image = exporter.export(request)
    return time.perf_counter() - began, len(image)


def measure_export(data_folder: Path, quick: bool) -> dict:
    dataset = load_dataset(data_folder)
    repeats = 1 if quick else 5
    exporter = Exporter(dataset)
    try:
        first_s, _ = _timed(exporter, A4_300)
        warm = {}
        for fmt in ("png", "svg", "pdf"):
            runs = [_timed(exporter, ExportRequest(fmt=fmt, page=A4_300.page, dpi=300))
                    for _ in range(repeats)]
            warm[fmt] = {"median_s": statistics.median(s for s, _ in runs),
                         "max_s": max(s for s, _ in runs), "bytes": runs[0][1]}
    finally:
        exporter.renderer.stop()

    pages = default_pages(dataset)[:2 if quick else 20]
    atlas_exporter = Exporter(dataset)  # a fresh start: the atlas pays for Chromium once
    began = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as folder:
            report = write_atlas(atlas_exporter, pages, Path(folder), A4_300)
            atlas_bytes = sum(p.stat().st_size for p in Path(folder).iterdir())
    finally:
        atlas_exporter.renderer.stop()
    return {"view": "world, every record, A4 landscape", "first_png_s": first_s, "warm": warm,
            "atlas": {"views": len(pages), "written": len(report.written),
                      "failed": len(report.failed), "seconds": time.perf_counter() - began,
                      "bytes": atlas_bytes, "format": "png 300 DPI + atlas.pdf"}}
