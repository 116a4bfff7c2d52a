"""A briefing as a finished deck for a projector: PDF (one vector page a slide) or
PowerPoint (python-pptx).

Both have a title slide, one 16:9 slide per briefing slide, a closing slide of the sources,
and the marking on every slide when one is set. A map slide is planned once
(export.slide_layout) and both formats follow the plan: its title; the map picture, drawn
without legend or caption and with names at 12 pt or more (2.2 % of the slide's height);
beside it the legend as text, each entry with its swatch; under them the key of the map's
numbers, the caption and the sources. In the PowerPoint every word but the map's names is
native text a presenter can edit and search; its maps are pictures at MAP_DPI. Each slide's
note and its records' sources are its speaker notes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from html import escape

import pypdf
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Mm, Pt
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

from export.exporter import Exporter, read_query
from export.renderer import TABS, Drawing, RenderError, with_png_resolution
from export.slide_layout import (
    LINE,
    MARKING_MM,
    PT_MM,
    PX_MM,
    SIDE_MM,
    SLIDE,
    Box,
    MapSlidePlan,
    Text,
    plan_map_slide,
)
from export.swatches import swatch_pictures, swatch_trace
from figures import captions
from figures.fact_sheet import (
    SheetOptions,
    _contrast,
    embed_geometry,
    fact_sheet,
    footer_texts,
    legend_of,
    marking_bands,
    numbered_key,
)
from figures.text_lines import wrap
from i18n import separator, tr
from presence.briefings import Briefing
from presence.views import filter_records

FORMATS = ("pdf", "pptx")
MAP_DPI = 200  # 2667 px across the slide: more than twice a 96-DPI slide's 1280
# The map's body type in CSS px: its places' names are 0.8 of it (16 px, 12 pt, 2.2 % of
# the slide's height) and its symbols 1.1.
MAP_BODY_PX = 20
LANGUAGE_IDS = {"en": MSO_LANGUAGE_ID.ENGLISH_UK, "fr": MSO_LANGUAGE_ID.FRENCH}
FONT = "Arial"  # Liberation Sans where Arial is not: the same widths, so the plan holds


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


@dataclass(frozen=True)
class _MapSlide:
    """A map slide planned: where its parts go, and its map's figure for that room."""

    plan: MapSlidePlan
    figure: dict


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
        planned = [self._plan(slide, options) for slide in slides]
        images = self._maps(planned, fmt, progress)
        return (self._pdf if fmt == "pdf" else self._pptx)(briefing, slides, planned, images,
                                                             options)

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

    def _plan(self, slide: _Slide, options: DeckOptions) -> _MapSlide:
        """The slide's plan and its map. The key of the map's numbers is known once the
        names are placed on a map whose room depends on the key's length: plan, draw, and
        plan again until the map's room no longer changes (three turns at most)."""
        dataset, lang = self.exporter.dataset, options.lang
        shown = read_query(dataset, slide.query)
        records = filter_records(dataset, shown.view)
        legend = legend_of(dataset, shown.view, shown.selected, lang)
        caption, sources = footer_texts(dataset, shown.view, records, shown.selected, lang,
                                        SheetOptions(show_date=False))
        sheet = SheetOptions(show_title=False, show_legend=False, show_caption=False,
                             show_sources=False, show_date=False, show_key=False,
                             # The title names the region; an inset would hide a country.
                             show_locator=False, body_px=MAP_BODY_PX, exported_on=options.exported_on)
        def planned(key: str) -> MapSlidePlan:
            return plan_map_slide(slide.title, legend, [
                (key, "#222222"), (caption, "#222222"), (sources, "#555555")],
                bool(options.marking))

        plan = planned("")
        for _ in range(3):
            figure = fact_sheet(dataset, shown.view,
                                (plan.map.width / PX_MM, plan.map.height / PX_MM),
                                shown.selected, lang, sheet)
            title, entries = numbered_key(figure, dataset)
            drawn = planned(f"{title}{separator(lang)}{' · '.join(entries)}" if entries else "")
            if drawn.map == plan.map:
                break
            plan = drawn
        # Out of turns, the key keeps the room of the map it was drawn for.
        plan = replace(drawn, map=plan.map)
        return _MapSlide(plan, embed_geometry(figure.to_plotly_json(), self.exporter.geo))

    def _maps(self, planned: list[_MapSlide], fmt: str, progress) -> list[bytes]:
        """Each slide's map: a vector page for the PDF, a picture for the PowerPoint."""
        drawings = [Drawing(slide.figure, "pdf" if fmt == "pdf" else "png",
                            slide.plan.map.width / PX_MM, slide.plan.map.height / PX_MM,
                            1.0 if fmt == "pdf" else MAP_DPI / 96) for slide in planned]
        images: list[bytes] = []
        for first in range(0, len(drawings), TABS):  # one map per renderer tab at a time
            for result in self.exporter.renderer.render_many(drawings[first:first + TABS]):
                if isinstance(result, Exception):
                    raise result
                images.append(result if fmt == "pdf" else with_png_resolution(result, MAP_DPI))
            progress(len(images), len(drawings))
        return images

    def _sources(self, slides: list[_Slide], lang: str) -> list[str]:
        dataset = self.exporter.dataset
        used = set().union(*(slide.sources for slide in slides))
        return captions.source_entries(dataset, used or set(dataset.sources.index), lang)

    # PDF

    def _pdf(self, briefing: Briefing, slides: list[_Slide], planned: list[_MapSlide],
             images: list[bytes], options: DeckOptions) -> bytes:
        lang = options.lang
        title = briefing.title_in(lang)
        drawings = [
            _TextPage(title, (_subtitle(len(slides), options, self.exporter.dataset),), options,
                      title_size=2.2).drawing(),
            *(_map_slide_drawing(slide.plan, options) for slide in planned),
            _TextPage(tr("deck sources", lang), tuple(self._sources(slides, lang)),
                      options).drawing(),
        ]
        pages = []
        for result in self.exporter.renderer.render_many(drawings):
            if isinstance(result, RenderError):
                raise result
            pages.append(pypdf.PdfReader(io.BytesIO(result)).pages[0])
        book = pypdf.PdfWriter()
        names = [title, *(s.title for s in slides), tr("deck sources", lang)]
        for page, name in zip(pages, names):
            book.add_page(page)
            book.add_outline_item(title=name, page_number=len(book.pages) - 1)
        for page, slide, image in zip(book.pages[1:], planned, images):
            _place_map(book, page, pypdf.PdfReader(io.BytesIO(image)).pages[0], slide.plan)
        book.add_metadata({"/Title": title, "/Creator": "France security cooperation dashboard"})
        out = io.BytesIO()
        book.write(out)
        return out.getvalue()

    # PowerPoint

    def _pptx(self, briefing: Briefing, slides: list[_Slide], planned: list[_MapSlide],
              images: list[bytes], options: DeckOptions) -> bytes:
        lang = options.lang
        deck = Presentation()
        deck.slide_width, deck.slide_height = Mm(SLIDE.width_mm), Mm(SLIDE.height_mm)
        deck.core_properties.title = briefing.title_in(lang)
        deck.core_properties.language = "fr-FR" if lang == "fr" else "en-GB"
        band = MARKING_MM if options.marking else 0

        def titled(title: Text, layout: int = 5):
            slide = deck.slides.add_slide(deck.slide_layouts[layout])
            shape = slide.shapes.title
            shape.left, shape.top = Mm(title.box.left), Mm(title.box.top)
            shape.width, shape.height = Mm(title.box.width), Mm(title.box.height)
            shape.text = title.text
            _style(shape.text_frame, Pt(title.size), lang, bold=True, align=PP_ALIGN.LEFT)
            shape.text_frame.vertical_anchor = MSO_ANCHOR.TOP
            _no_margins(shape.text_frame)
            _mark(slide, options)
            return slide

        inner = SLIDE.width_mm - 2 * SIDE_MM
        first = titled(Text(briefing.title_in(lang), Box(SIDE_MM, 55, inner, 45), 40), layout=0)
        subtitle = first.placeholders[1]
        subtitle.left, subtitle.top = Mm(SIDE_MM), Mm(105)
        subtitle.width, subtitle.height = Mm(inner), Mm(30)
        subtitle.text = _subtitle(len(slides), options, self.exporter.dataset)
        _style(subtitle.text_frame, Pt(20), lang, align=PP_ALIGN.LEFT)

        swatches = swatch_pictures([text.entry for slide in planned
                                    for text in slide.plan.legend if text.entry],
                                   self.exporter.renderer)
        for content, slide_plan, image in zip(slides, planned, images):
            plan = slide_plan.plan
            slide = titled(plan.title)
            slide.shapes.add_picture(io.BytesIO(image), Mm(plan.map.left), Mm(plan.map.top),
                                     Mm(plan.map.width), Mm(plan.map.height))
            for text in (*plan.legend, *plan.foot):
                _text_box(slide, text, lang)
                if text.entry is not None:
                    side = text.size * 1.4 * PT_MM
                    line = text.size * LINE * PT_MM
                    slide.shapes.add_picture(
                        io.BytesIO(swatches[text.entry]), Mm(text.box.left - text.swatch),
                        Mm(text.box.top + (line - side) / 2), Mm(side), Mm(side))
            slide.notes_slide.notes_text_frame.text = content.notes
            _style(slide.notes_slide.notes_text_frame, None, lang)

        top = band + 4
        closing = titled(Text(tr("deck sources", lang), Box(SIDE_MM, top, inner, 14), 28))
        box = closing.shapes.add_textbox(Mm(SIDE_MM), Mm(top + 18), Mm(inner),
                                         Mm(SLIDE.height_mm - top - 18 - band - 5))
        box.text_frame.word_wrap = True
        sources = self._sources(slides, lang)
        box.text_frame.text = sources[0]
        for entry in sources[1:]:
            box.text_frame.add_paragraph().text = entry
        _style(box.text_frame, Pt(16), lang)
        out = io.BytesIO()
        deck.save(out)
        return out.getvalue()


def _map_slide_drawing(plan: MapSlidePlan, options: DeckOptions) -> Drawing:
    """A map slide of the PDF deck without its map (merged in at `plan.map` afterwards):
    title, legend with Plotly's own swatches, key, caption and sources, marking."""
    width, height = SLIDE.css_size()
    annotations: list[dict] = []
    shapes: list[dict] = []
    traces: list[dict] = []
    for text in (plan.title, *plan.legend, *plan.foot):
        # A line an annotation, at the plan's line height (Plotly's own is taller).
        for number, line in enumerate(text.lines()):
            line = escape(line, quote=False)
            top = text.box.top + number * text.size * LINE * PT_MM
            annotations.append({
                "text": f"<b>{line}</b>" if text.bold else line, "showarrow": False,
                "xref": "paper", "yref": "paper", "x": text.box.left / SLIDE.width_mm,
                "xanchor": "left", "y": 1 - top / SLIDE.height_mm, "yanchor": "top",
                "align": "left", "font": {"size": text.size / 0.75, "color": text.colour}})
        if text.entry is not None:
            traces.append(swatch_trace(text.entry, text.box.left - text.swatch / 2,
                                       text.box.top + text.size * LINE * PT_MM / 2,
                                       text.size / 0.75 * 1.4, 1 / PX_MM))
    if options.marking:
        band = MARKING_MM / PX_MM
        shapes, marks = marking_bands(options.marking, options.marking_colour,
                                      (0, height - band), band, (width, height), 0.0, 14 / 0.75)
        annotations += marks
    figure = {"data": traces, "layout": {
        "width": width, "height": height, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "xaxis": {"visible": False, "range": [0, SLIDE.width_mm], "domain": [0, 1]},
        "yaxis": {"visible": False, "range": [SLIDE.height_mm, 0], "domain": [0, 1]},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "showlegend": False,
        "font": {"family": "Arial, Helvetica, sans-serif"},
        "annotations": annotations, "shapes": shapes}}
    return Drawing(figure, "pdf", width, height)


def _place_map(book: pypdf.PdfWriter, page, map_page, plan: MapSlidePlan) -> None:
    """Put the map's vector page on the slide's page, in the plan's box: drawn as a form
    XObject (the map's drawing, untouched, with its resources), not merged into the slide's
    own drawing, which would read and rewrite every one of its hundreds of thousands of
    operators (pypdf's merge_transformed_page: 16 s a slide)."""
    contents = map_page["/Contents"].get_object()
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    drawing = DecodedStreamObject()
    drawing.set_data(b"\n".join(stream.get_object().get_data() for stream in streams))
    form = drawing.flate_encode()
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in map_page.mediabox),
        NameObject("/Resources"): map_page["/Resources"].get_object().clone(book),
    })
    name = NameObject("/DashboardMap")
    resources = page["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    # pypdf has no public call that adds an object to a writer; pinned in requirements.txt.
    resources["/XObject"].get_object()[name] = book._add_object(form)

    per_mm = float(page.mediabox.width) / SLIDE.width_mm
    left, bottom = float(map_page.mediabox.left), float(map_page.mediabox.bottom)
    scale_x = plan.map.width * per_mm / float(map_page.mediabox.width)
    scale_y = plan.map.height * per_mm / float(map_page.mediabox.height)
    move_x = plan.map.left * per_mm - left * scale_x
    move_y = (SLIDE.height_mm - plan.map.bottom) * per_mm - bottom * scale_y
    # The slide's own drawing wrapped in q … Q, so that its last state cannot move the map.
    opening, placing = DecodedStreamObject(), DecodedStreamObject()
    opening.set_data(b"q")
    placing.set_data(f"Q q {scale_x:.6f} 0 0 {scale_y:.6f} {move_x:.4f} {move_y:.4f} cm "
                     f"{name} Do Q".encode())
    slide = page.raw_get("/Contents")  # a stream, or an array of them: each by reference
    own = list(slide.get_object()) if isinstance(slide.get_object(), ArrayObject) else [slide]
    page[NameObject("/Contents")] = ArrayObject(
        [book._add_object(opening), *own, book._add_object(placing)])


def _text_box(slide, text: Text, lang: str) -> None:
    """`text` as a native text box of the slide, in its planned box."""
    shape = slide.shapes.add_textbox(Mm(text.box.left), Mm(text.box.top), Mm(text.box.width),
                                     Mm(text.box.height))
    frame = shape.text_frame
    frame.word_wrap = True
    _no_margins(frame)
    frame.text = text.text
    _style(frame, Pt(text.size), lang, bold=text.bold)
    for run in frame.paragraphs[0].runs:
        run.font.color.rgb = RGBColor.from_string(text.colour.lstrip("#").upper())


def _no_margins(frame) -> None:
    """The text where the plan put it: no inner margins, no growing box."""
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    frame.auto_size = MSO_AUTO_SIZE.NONE


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
            run.font.name = FONT
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

