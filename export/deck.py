"""A briefing as a finished deck: PDF (one vector page a slide) or PowerPoint (python-pptx).

Both have a title slide, one 16:9 slide per briefing slide (its title, and its view's map
with legend, caption and sources, framed and named as on a slide-sized page), a closing
slide of the sources, and the marking on every slide when one is set. The PowerPoint's
titles, marking and sources are native text a presenter can edit; its maps are pictures at
MAP_DPI (twice a 96-DPI slide's resolution, and more); each slide's note and its records'
sources are its speaker notes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from html import escape
from typing import Any, cast

import pypdf
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Mm, Pt

from export.exporter import Exporter, ExportRequest, read_query
from export.page import PAGES, custom_page
from export.renderer import TABS, Drawing, RenderError
from figures import captions
from figures.fact_sheet import SheetOptions, _contrast, marking_bands
from figures.text_lines import wrap
from i18n import tr
from presence.briefings import Briefing
from presence.views import filter_records

FORMATS = ("pdf", "pptx")
SLIDE = PAGES["slide-16x9"]
MAP_DPI = 200  # 2667 px across the slide: more than twice a 96-DPI slide's 1280
MARKING_MM = 9  # the marking's band, top and bottom
TITLE_MM = 24  # the title's band over the map
SIDE_MM = 10
LANGUAGE_IDS = {"en": MSO_LANGUAGE_ID.ENGLISH_UK, "fr": MSO_LANGUAGE_ID.FRENCH}


@dataclass(frozen=True)
class DeckOptions:
    lang: str = "en"
    marking: str = ""
    marking_colour: str = "#c8102e"
    exported_on: date = field(default_factory=date.today)


@dataclass(frozen=True)
class _Slide:
    title: str
    query: str  # the slide's view, in the deck's language
    notes: str  # the slide's note, then its records' sources
    sources: frozenset[str]  # the ids of its records' sources and further sources


class DeckBuilder:
    """Builds decks of one data set's briefings, drawing their maps with `exporter`."""

    def __init__(self, exporter: Exporter) -> None:
        self.exporter = exporter

    def build(self, briefing: Briefing, fmt: str, options: DeckOptions,
              progress: Callable[[int, int], None] = lambda done, total: None) -> bytes:
        """The deck's bytes; ValueError for a slide whose view or page cannot be drawn,
        RenderError if Chromium fails. `progress(done, total)` after each map drawn."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown deck format '{fmt}' (expected pdf or pptx)")
        slides = self._slides(briefing, options.lang)
        images = self._maps(slides, fmt, options, progress)
        return (self._pdf if fmt == "pdf" else self._pptx)(briefing, slides, images, options)

    def _slides(self, briefing: Briefing, lang: str) -> list[_Slide]:
        dataset = self.exporter.dataset
        found = []
        for slide in briefing.slides:
            query = "&".join(filter(None, (slide.view, f"lang={lang}")))
            shown = read_query(dataset, query)
            records = filter_records(dataset, shown.view)
            note = slide.note_in(lang)
            found.append(_Slide(slide.title_in(lang), query, "\n\n".join(filter(None, (
                note, captions.source_line(dataset, records, lang)))),
                frozenset(dataset.sources_cited(records))))
        return found

    def _maps(self, slides: list[_Slide], fmt: str, options: DeckOptions,
              progress) -> list[bytes]:
        """Each slide's map: in a PDF the whole slide page (title and marking drawn in), in
        a PowerPoint the picture under its native title and marking bands."""
        sheet = SheetOptions(show_date=False, exported_on=options.exported_on)
        if fmt == "pdf":
            requests = [ExportRequest(query=s.query, fmt="pdf", page=SLIDE, options=replace(
                sheet, title=s.title, marking=options.marking,
                marking_colour=options.marking_colour)) for s in slides]
        else:
            page = custom_page(SLIDE.width_mm, SLIDE.height_mm - TITLE_MM
                               - (2 * MARKING_MM if options.marking else 0))
            requests = [ExportRequest(query=s.query, fmt="png", page=page, dpi=MAP_DPI,
                                      options=replace(sheet, show_title=False))
                        for s in slides]
        images: list[bytes] = []
        for first in range(0, len(requests), TABS):  # one map per renderer tab at a time
            for result in self.exporter.export_many(requests[first:first + TABS]):
                if isinstance(result, Exception):
                    raise result
                images.append(result)
            progress(len(images), len(requests))
        return images

    def _sources(self, slides: list[_Slide], lang: str) -> list[str]:
        dataset = self.exporter.dataset
        used = set().union(*(slide.sources for slide in slides))
        return captions.source_entries(dataset, used or set(dataset.sources.index), lang)

    # PDF

    def _pdf(self, briefing: Briefing, slides: list[_Slide], images: list[bytes],
             options: DeckOptions) -> bytes:
        lang = options.lang
        title = briefing.title_in(lang)
        pages: list[Any] = [
            _TextPage(title, (_subtitle(len(slides), options, self.exporter.dataset),), options,
                      title_size=2.2),
            *images,
            _TextPage(tr("deck sources", lang), tuple(self._sources(slides, lang)), options),
        ]
        drawn = self.exporter.renderer.render_many(
            [page.drawing() for page in pages if isinstance(page, _TextPage)])
        for result in drawn:
            if isinstance(result, RenderError):
                raise result
        drawn_pages = iter(cast(list[bytes], drawn))  # every failure was raised above
        book = pypdf.PdfWriter()
        names = [title, *(s.title for s in slides), tr("deck sources", lang)]
        for page, name in zip(pages, names):
            pdf = next(drawn_pages) if isinstance(page, _TextPage) else page
            book.append(pypdf.PdfReader(io.BytesIO(pdf)), outline_item=name)
        book.add_metadata({"/Title": title, "/Creator": "France security cooperation dashboard"})
        out = io.BytesIO()
        book.write(out)
        return out.getvalue()

    # PowerPoint

    def _pptx(self, briefing: Briefing, slides: list[_Slide], images: list[bytes],
              options: DeckOptions) -> bytes:
        lang = options.lang
        deck = Presentation()
        deck.slide_width, deck.slide_height = Mm(SLIDE.width_mm), Mm(SLIDE.height_mm)
        deck.core_properties.title = briefing.title_in(lang)
        deck.core_properties.language = "fr-FR" if lang == "fr" else "en-GB"
        band = MARKING_MM if options.marking else 0

        def titled(text: str, layout: int = 5):
            slide = deck.slides.add_slide(deck.slide_layouts[layout])
            title = slide.shapes.title
            title.left, title.top = Mm(SIDE_MM), Mm(band)
            title.width, title.height = Mm(SLIDE.width_mm - 2 * SIDE_MM), Mm(TITLE_MM)
            title.text = text
            _style(title.text_frame, Pt(28), lang, bold=True, align=PP_ALIGN.LEFT)
            _mark(slide, options)
            return slide

        first = titled(briefing.title_in(lang), layout=0)
        first.shapes.title.top, first.shapes.title.height = Mm(55), Mm(45)
        subtitle = first.placeholders[1]
        subtitle.left, subtitle.top = Mm(SIDE_MM), Mm(105)
        subtitle.width, subtitle.height = Mm(SLIDE.width_mm - 2 * SIDE_MM), Mm(30)
        subtitle.text = _subtitle(len(slides), options, self.exporter.dataset)
        _style(subtitle.text_frame, Pt(18), lang, align=PP_ALIGN.LEFT)

        for content, image in zip(slides, images):
            slide = titled(content.title)
            slide.shapes.add_picture(io.BytesIO(image), Emu(0), Mm(band + TITLE_MM),
                                     width=Mm(SLIDE.width_mm))
            slide.notes_slide.notes_text_frame.text = content.notes
            _style(slide.notes_slide.notes_text_frame, None, lang)

        closing = titled(tr("deck sources", lang))
        box = closing.shapes.add_textbox(Mm(SIDE_MM), Mm(band + TITLE_MM + 4),
                                         Mm(SLIDE.width_mm - 2 * SIDE_MM),
                                         Mm(SLIDE.height_mm - TITLE_MM - 2 * band - 10))
        box.text_frame.word_wrap = True
        sources = self._sources(slides, lang)
        box.text_frame.text = sources[0]
        for entry in sources[1:]:
            box.text_frame.add_paragraph().text = entry
        _style(box.text_frame, Pt(16), lang)
        out = io.BytesIO()
        deck.save(out)
        return out.getvalue()


def _subtitle(count: int, options: DeckOptions, dataset) -> str:
    return tr("deck subtitle", options.lang, count=count,
              day=captions.export_date_line(options.exported_on, options.lang, dataset))


def _style(frame, size, lang: str, bold: bool = False, align=None) -> None:
    """Type size, weight and language (a French deck is spell-checked in French)."""
    for paragraph in frame.paragraphs:
        if align is not None:
            paragraph.alignment = align
        for run in paragraph.runs:
            if size is not None:
                run.font.size = size
            run.font.bold = bold or None
            run.font.language_id = LANGUAGE_IDS.get(lang, LANGUAGE_IDS["en"])


def _mark(slide, options: DeckOptions) -> None:
    """The marking in a coloured band at the top and the bottom of the slide."""
    if not options.marking:
        return
    colour = options.marking_colour.lstrip("#").upper()
    for top in (0, SLIDE.height_mm - MARKING_MM):
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(0), Mm(top),
                                      Mm(SLIDE.width_mm), Mm(MARKING_MM))
        band.fill.solid()
        band.fill.fore_color.rgb = RGBColor.from_string(colour)
        band.line.fill.background()
        band.text_frame.text = options.marking
        _style(band.text_frame, Pt(14), options.lang, bold=True, align=PP_ALIGN.CENTER)
        for run in band.text_frame.paragraphs[0].runs:
            run.font.color.rgb = RGBColor.from_string(_contrast(options.marking_colour)
                                                      .lstrip("#").upper())


@dataclass(frozen=True)
class _TextPage:
    """A slide of text only (the title slide, the sources), drawn by Plotly as a PDF page."""

    title: str
    lines: tuple[str, ...]
    options: DeckOptions
    title_size: float = 1.6

    def drawing(self) -> Drawing:
        width, height = SLIDE.css_size()
        body = 22.0
        margin = SIDE_MM / 25.4 * 96
        band = MARKING_MM / 25.4 * 96 if self.options.marking else 0
        annotations, shapes = [], []

        def text(content, y, size, bold=False, colour="#222222", align="left"):
            annotations.append({"text": f"<b>{content}</b>" if bold else content,
                                "showarrow": False, "xref": "paper", "yref": "paper",
                                "x": 0.5 if align == "center" else margin / width,
                                "xanchor": align, "y": 1 - y / height, "yanchor": "top",
                                "align": align, "font": {"size": size, "color": colour}})

        if self.options.marking:
            bands, marks = marking_bands(
                self.options.marking, self.options.marking_colour, (0, height - band), band,
                (width, height), 0.0, body * 0.8)
            shapes += bands
            annotations += marks
        y = band + (height * 0.3 if self.title_size > 2 else body * 1.5)
        size = body * self.title_size
        title_lines = wrap(escape(self.title, quote=False), width - 2 * margin, size)
        text("<br>".join(title_lines), y, size, bold=True, colour="#111111")
        y += len(title_lines) * size * 1.3 + body
        for line in self.lines:
            wrapped = wrap(escape(line, quote=False), width - 2 * margin, body * 0.9)
            text("<br>".join(wrapped), y, body * 0.9)
            y += len(wrapped) * body * 0.9 * 1.3 + body * 0.6
        figure = {"data": [], "layout": {
            "width": width, "height": height, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "xaxis": {"visible": False}, "yaxis": {"visible": False},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
            "font": {"family": "Arial, Helvetica, sans-serif"},
            "annotations": annotations, "shapes": shapes}}
        return Drawing(figure, "pdf", width, height)

