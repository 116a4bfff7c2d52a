"""The atlas: many views exported in one run (one image per view, plus one PDF of them all),
with one Chromium started once. A view that fails is reported by name; the others go on."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import pypdf

from export.exporter import Exporter, ExportRequest, file_stem, read_query
from export.raster import png_of_pdf_page
from export.renderer import TABS, RenderError
from i18n import label
from presence.dataset import Dataset
from presence.files import write_whole
from presence.views import filter_records

ATLAS_PDF = "atlas.pdf"
COUNTRIES_PDF = "countries.pdf"


@dataclass(frozen=True)
class AtlasPage:
    name: str  # file stem, unique in the atlas
    query: str
    country: str | None = None  # ISO3: the country's one-pager of the query's records


@dataclass
class AtlasReport:
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (view name, why)
    pdf: Path | None = None
    seconds: float = 0.0


def default_pages(dataset: Dataset) -> list[AtlasPage]:
    """One page per theme (world), then one per region (every theme)."""
    pages = [AtlasPage(f"theme-{theme}", f"theme={theme}") for theme in dataset.themes.index]
    pages += [AtlasPage(f"region-{region}", "" if region == "world" else f"region={region}")
              for region in dataset.filter_regions]
    return pages


def pages_from_queries(dataset: Dataset, queries: Iterable[str]) -> list[AtlasPage]:
    """Pages for the given URL queries, named after their titles (numbered, so that two
    views with the same title keep both files, in the order given)."""
    pages = []
    for number, query in enumerate(queries, start=1):
        try:
            stem = file_stem(dataset, query)
        except ValueError:
            stem = "view"  # the export itself will report what is wrong with the query
        pages.append(AtlasPage(f"{number:02d}-{stem}", query))
    return pages


def country_pages(dataset: Dataset, query: str = "") -> list[AtlasPage]:
    """One one-pager per country that records of the view touch, in the order of their
    names in the query's language."""
    shown = read_query(dataset, query)
    touched = set().union(*filter_records(dataset, shown.view)["places"])
    codes = sorted(touched & set(dataset.countries.index),
                   key=lambda code: label(dataset.countries, code, "name", shown.lang))
    return [AtlasPage(f"country-{code.lower()}", query, code) for code in codes]


def read_view_list(path: Path) -> list[str]:
    """URL queries, one per line; blank lines and lines starting with '#' are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip().lstrip("?") for line in lines
            if line.strip() and not line.lstrip().startswith("#")]


def write_atlas(exporter: Exporter, pages: list[AtlasPage], folder: Path,
                template: ExportRequest,
                progress: Callable[[str], None] = lambda message: None,
                book_name: str = ATLAS_PDF) -> AtlasReport:
    """Export every page into `folder` in `template`'s format, page size and options, and
    bind them in `folder`/`book_name`, each page bookmarked by its title (vector pages).
    Each view is drawn once, as its PDF page; a PNG is that page rasterised (pdfium), and
    an SVG is drawn beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    report = AtlasReport()
    started = time.perf_counter()
    book = pypdf.PdfWriter()
    raster = template.fmt == "png"
    # Two views at a time: the renderer draws one per tab.
    batches = [pages[first:first + TABS] for first in range(0, len(pages), TABS)]

    def prepared(batch: list[AtlasPage]) -> tuple[list[ExportRequest], list, list]:
        requests = [replace(template, query=page.query, country=page.country) for page in batch]
        pdfs = [replace(request, fmt="pdf") for request in requests]
        jobs = pdfs if raster or template.fmt == "pdf" else [*requests, *pdfs]
        return requests, jobs, exporter.prepare(jobs)

    def finished(batch: list[AtlasPage], requests: list[ExportRequest], results: list,
                 first: int, began: float) -> None:
        """A drawn batch's files written and its pages bound, in the atlas's order."""
        pdfs = results[-len(batch):]
        for offset, (page, request, pdf) in enumerate(zip(batch, requests, pdfs)):
            number = first + offset + 1
            image = pdf if raster or request.fmt == "pdf" else results[offset]
            error = next((r for r in (image, pdf) if isinstance(r, Exception)), None)
            if error is None and raster:
                try:
                    image = png_of_pdf_page(pdf, request.page, request.dpi)
                except Exception as failed:  # noqa: BLE001 - this view fails, the others go on
                    error = RenderError(f"its PNG could not be made from its PDF page: {failed}")
            if error is not None:
                report.failed.append((page.name, str(error)))
                progress(f"[{number}/{len(pages)}] FAILED {page.name}: {error}")
                continue
            target = folder / f"{page.name}.{request.fmt}"
            write_whole(target, image)
            report.written.append(target)
            book.append(pypdf.PdfReader(io.BytesIO(pdf)), outline_item=exporter.title(request))
            progress(f"[{number}/{len(pages)}] {target.name} "
                     f"({time.perf_counter() - began:.1f} s for {len(batch)})")

    # While Chromium draws a batch, the next one's figures are built on one thread (a fifth
    # of an atlas's time, no longer spent with Chromium idle) and the last one's images are
    # made and written on another, in order.
    with ThreadPoolExecutor(1, thread_name_prefix="atlas") as builder, \
            ThreadPoolExecutor(1, thread_name_prefix="atlas-files") as writer:
        upcoming = builder.submit(prepared, batches[0]) if batches else None
        written = []
        for index, batch in enumerate(batches):
            began = time.perf_counter()
            requests, jobs, drawings = upcoming.result()
            if index + 1 < len(batches):
                upcoming = builder.submit(prepared, batches[index + 1])
            results = exporter.draw(jobs, drawings)
            written.append(writer.submit(finished, batch, requests, results, index * TABS,
                                         began))
        for done in written:
            done.result()  # a file that could not be written stops the atlas, as before
    if report.written:
        out = io.BytesIO()
        book.write(out)
        report.pdf = folder / book_name
        write_whole(report.pdf, out.getvalue())
    report.seconds = time.perf_counter() - started
    return report
