"""Export timings: the first image (Chromium starting), warm images at print size, and an
atlas run from a fresh start, as `python app.py export --atlas` does it."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from export.atlas import default_pages, write_atlas
from export.deck import FORMATS as DECK_FORMATS
from export.deck import DeckBuilder, DeckOptions
from export.exporter import Exporter, ExportRequest
from export.page import COUNTRY_PAGE, PAGES
from panels.details import country_details
from presence.briefings import FOLDER as BRIEFINGS
from presence.briefings import BriefingStore
from presence.loader import GEODATA, load_dataset

BUSIEST = "MDG"  # the country most records touch: the longest card and one-pager
BRIEFING = "fs05-indo-pacific"  # the shipped briefing, 7 slides
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
        deliverables = _measure_deliverables(dataset, exporter, repeats)
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
                      "bytes": atlas_bytes, "format": "png 300 DPI + atlas.pdf"},
            "deliverables": deliverables}


def _measure_deliverables(dataset, exporter: Exporter, repeats: int) -> dict:
    """The officer's deliverables with Chromium warm: a country's card (built on the
    server), its A4 one-pager, and the shipped 7-slide briefing as PDF and PowerPoint."""
    records = dataset.records
    card = []
    for _ in range(repeats * 5):
        began = time.perf_counter()
        country_details(dataset, BUSIEST, records)
        card.append(time.perf_counter() - began)
    page = ExportRequest(fmt="pdf", page=PAGES[COUNTRY_PAGE], country=BUSIEST)
    one_pager = [_timed(exporter, page) for _ in range(repeats)]
    briefing = BriefingStore(GEODATA / BRIEFINGS).read(BRIEFING)
    if repeats == 1:  # a quick run checks the decks are made: its first two slides
        briefing = briefing.model_copy(update={"slides": briefing.slides[:2]})
    builder = DeckBuilder(exporter)
    decks = {}
    for fmt in DECK_FORMATS:
        runs = []
        for _ in range(max(1, repeats // 2)):
            began = time.perf_counter()
            deck = builder.build(briefing, fmt, DeckOptions())
            runs.append((time.perf_counter() - began, len(deck)))
        decks[fmt] = {"median_s": statistics.median(s for s, _ in runs),
                      "max_s": max(s for s, _ in runs), "bytes": runs[0][1]}
    return {"country": BUSIEST, "card_ms": statistics.median(card) * 1e3,
            "one_pager": {"median_s": statistics.median(s for s, _ in one_pager),
                          "max_s": max(s for s, _ in one_pager), "bytes": one_pager[0][1]},
            "slides": len(briefing.slides), "decks": decks}
