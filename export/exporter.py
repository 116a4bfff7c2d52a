"""One export: the view a URL query states, laid out as a page and drawn in a format.

The browser's export button and `python app.py export` both come here, so a query gives the
same image from either.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import parse_qs

import pypdf

from export.page import DEFAULT_DPI, DEFAULT_PAGE, PAGES, Page, check_resolution, layout_size
from export.renderer import FORMATS, Drawing, Renderer, RenderError, with_png_resolution
from figures import captions
from figures.country_page import country_document, page_title
from figures.fact_sheet import SheetOptions, embed_geometry, fact_sheet
from figures.world_map import GeoSources
from presence.dataset import Dataset
from presence.views import View, ViewError, parse_query, selection_in

LANGUAGES = ("en", "fr")
Pages = tuple[Drawing, ...]  # an export's pages, drawn together
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


@dataclass(frozen=True)
class ExportRequest:
    query: str = ""  # the dashboard's URL query: filters, region, `selected`, `lang`
    fmt: str = "png"
    page: Page = PAGES[DEFAULT_PAGE]
    dpi: int = DEFAULT_DPI
    options: SheetOptions = field(default_factory=SheetOptions)
    screen: dict | None = None  # the zoom and pan of the map on screen (fact_sheet.screen_geo)
    country: str | None = None  # ISO3: the country's one-pager, of the query's records


@dataclass(frozen=True)
class ViewOnPage:
    view: View
    selected: str | None
    lang: str


def read_query(dataset: Dataset, query: str) -> ViewOnPage:
    """The view, selection and language a query states; ViewError if it names anything
    unknown."""
    view = parse_query(query, dataset)
    params = parse_qs(query.lstrip("?"))
    lang = params.get("lang", ["en"])[-1]
    if lang not in LANGUAGES:
        raise ViewError(f"unknown lang '{lang}' (expected one of: {', '.join(LANGUAGES)})")
    return ViewOnPage(view, selection_in(query), lang)


def file_stem(dataset: Dataset, query: str) -> str:
    """A file name for the view: its title in the view's language, in lower case, with
    hyphens and without accents ("securite-maritime-ocean-indien")."""
    shown = read_query(dataset, query)
    return slug(captions.default_title(dataset, shown.view, shown.lang))


def slug(title: str) -> str:
    """A title as a file name: lower case, hyphens, no accents."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "map"


class Exporter:
    """Exports views of one data set; holds its geometry (built once) and a renderer."""

    def __init__(self, dataset: Dataset, renderer: Renderer | None = None) -> None:
        self.dataset = dataset
        self.geo = GeoSources.embedded(dataset)
        self.renderer = renderer or Renderer()

    def figure(self, request: ExportRequest):
        """The request's page (a one-pager's first page, alone)."""
        if request.country is not None:
            return self._country(request, continued=False)[0]
        shown = read_query(self.dataset, request.query)
        width, height, _ = layout_size(request.page, request.fmt, request.dpi)
        return fact_sheet(self.dataset, shown.view, (width, height), shown.selected,
                          shown.lang, request.options, request.screen)

    def _country(self, request: ExportRequest, continued: bool) -> list:
        shown = read_query(self.dataset, request.query)
        width, height, _ = layout_size(request.page, request.fmt, request.dpi)
        if request.country not in self.dataset.countries.index:
            raise ViewError(f"unknown country '{request.country}' (expected an ISO3 code "
                            "such as MDG)")
        return country_document(self.dataset, shown.view, request.country, (width, height),
                                shown.lang, request.options, continued)

    def title(self, request: ExportRequest) -> str:
        if request.options.title is not None:
            return request.options.title
        shown = read_query(self.dataset, request.query)
        if request.country is not None:
            return page_title(self.dataset, request.country, shown.lang)
        return captions.default_title(self.dataset, shown.view, shown.lang)

    def export(self, request: ExportRequest) -> bytes:
        """The image bytes; ViewError for a bad query, PageError for a bad size or
        resolution, RenderError if Chromium fails."""
        result = self.export_many([request])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def export_many(self, requests: list[ExportRequest]) -> list[bytes | Exception]:
        """Several exports drawn at once; each failure is returned in its place."""
        return self.draw(requests, self.prepare(requests))

    def prepare(self, requests: list[ExportRequest]) -> list[Pages | Exception]:
        """Each request's figure ready to draw, or why it cannot be: the server's half of
        an export, which a caller may do for the next requests while Chromium draws."""
        drawings: list[Pages | Exception] = []
        for request in requests:
            try:
                drawings.append(self._drawing(request))
            except (ValueError, RenderError) as error:
                drawings.append(error)
        return drawings

    def draw(self, requests: list[ExportRequest],
             drawings: list[Pages | Exception]) -> list[bytes | Exception]:
        """The prepared drawings of `requests` drawn at once, each finished as its request
        asks; each failure is returned in its place."""
        valid = [page for pages in drawings if not isinstance(pages, Exception) for page in pages]
        images = iter(self.renderer.render_many(valid) if valid else [])
        results: list[bytes | Exception] = []
        for request, pages in zip(requests, drawings):
            if isinstance(pages, Exception):
                results.append(pages)
                continue
            drawn = [next(images) for _ in pages]
            failed = next((image for image in drawn if isinstance(image, Exception)), None)
            results.append(failed or self._finish(request, cast(list[bytes], drawn)))
        return results

    def _drawing(self, request: ExportRequest) -> Pages:
        """The request's pages to draw: one, but for a country's one-pager in PDF, which
        continues on further pages when its records do not fit under the map."""
        if request.fmt not in FORMATS:
            raise RenderError(f"unknown format '{request.fmt}' (expected one of "
                              f"{', '.join(FORMATS)})")
        check_resolution(request.page, request.dpi)
        size = layout_size(request.page, request.fmt, request.dpi)
        if request.country is not None and request.fmt == "pdf":
            figures = self._country(request, continued=True)
        else:
            figures = [self.figure(request)]
        return tuple(Drawing(embed_geometry(figure.to_plotly_json(), self.geo), request.fmt,
                             *size) for figure in figures)

    def _finish(self, request: ExportRequest, images: list[bytes]) -> bytes:
        if request.fmt == "png":
            return with_png_resolution(images[0], request.dpi)
        if request.fmt == "svg":
            return _svg_in_millimetres(images[0], request.page)
        return _pdf_with_title(images, self.title(request))


def _svg_in_millimetres(svg: bytes, page: Page) -> bytes:
    """Give the SVG its physical size, so that it is placed at print size (the viewBox keeps
    the drawing's own units)."""
    head, _, rest = svg.partition(b">")
    head = re.sub(rb'\swidth="[^"]*"', f' width="{page.width_mm:g}mm"'.encode(), head, count=1)
    head = re.sub(rb'\sheight="[^"]*"', f' height="{page.height_mm:g}mm"'.encode(), head, count=1)
    return head + b">" + rest


def _pdf_with_title(pages: list[bytes], title: str) -> bytes:
    """The pages bound in one PDF, titled."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pages[0])))
    for more in pages[1:]:
        writer.append(pypdf.PdfReader(io.BytesIO(more)))
    writer.add_metadata({"/Title": title, "/Creator": "France security cooperation dashboard"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
