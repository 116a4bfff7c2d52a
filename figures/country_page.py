"""A country's one-pager: the country and its neighbourhood framed, with the records touching
it by how they touch it and by theme (figures, the source's words, document and section),
the sources, the date and the marking, on one page.

It is a fact sheet (figures/fact_sheet.py) of the records touching the country, with the
country's card set as two columns of text between the map and the caption. The text takes at
most TEXT_SHARE of the page: its type is set smaller first, down to SMALLEST_TYPE of the
page's body type, and only then are the longest quotes shortened, with "[…]" where words
were left out (the details panel and the review command keep them whole).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

import plotly.graph_objects as go

from figures.fact_sheet import SheetOptions, _Type, fact_sheet
from figures.record_text import CardEntry, CardGroup, country_card
from figures.text_lines import wrap
from i18n import label, tr
from presence.dataset import Dataset
from presence.views import View, filter_records

TEXT_SHARE = 0.5  # of the page's height, at most
SMALLEST_TYPE = 0.78  # of the body type: 6.2 pt on A4
LINE = 1.3  # Plotly sets an annotation's lines 1.3 em apart
COLUMNS = 2
# Records only taken in by a stand-in for a region's words or an aim say nothing of the
# country itself: the page lists them briefly (the card gives them whole).
BRIEF = ("inside stand-ins",)
CUT = " […]"
SHORTEST_QUOTE = 160  # characters a shortened quote keeps at least


@dataclass(frozen=True)
class _Paragraph:
    """One annotation of the block: lines already wrapped, their type and how far below the
    paragraph before it it starts."""

    lines: tuple[str, ...]
    size: float
    space_before: float

    @property
    def height(self) -> float:
        return self.space_before + len(self.lines) * self.size * LINE


@dataclass(frozen=True)
class CardBlock:
    """The country's card as columns of paragraphs (figures.fact_sheet.TextBlock)."""

    columns: tuple[tuple[_Paragraph, ...], ...]
    column_width: float
    gap: float

    @property
    def height(self) -> float:
        return max((sum(p.height for p in column) for column in self.columns), default=0.0)

    def annotations(self, top: float, left: float, page: tuple[float, float]) -> list[dict]:
        width, height = page
        found = []
        for number, column in enumerate(self.columns):
            x, y = left + number * (self.column_width + self.gap), top
            for paragraph in column:
                y += paragraph.space_before
                found.append({
                    "text": "<br>".join(paragraph.lines), "showarrow": False,
                    "xref": "paper", "yref": "paper", "x": x / width, "y": 1 - y / height,
                    "xanchor": "left", "yanchor": "top", "align": "left",
                    "font": {"size": paragraph.size, "color": "#222222"}})
                y += len(paragraph.lines) * paragraph.size * LINE
        return found


def page_title(dataset: Dataset, iso3: str, lang: str) -> str:
    return tr("country page title", lang, country=label(dataset.countries, iso3, "name", lang))


def country_page(dataset: Dataset, view: View, iso3: str, page_size: tuple[float, float],
                 lang: str = "en", options: SheetOptions | None = None) -> go.Figure:
    """The one-pager of `iso3` for the records of `view` touching it, `page_size` (width,
    height) in CSS pixels. Like a fact sheet, its area traces name their geometry: pass its
    dict through embed_geometry before drawing it."""
    options = options or SheetOptions()
    if options.title is None:
        options = replace(options, title=page_title(dataset, iso3, lang))
    touching = replace(view, touching=iso3)
    groups = country_card(dataset, iso3, filter_records(dataset, touching), lang)
    width, height = page_size
    sizes = _Type.for_page(width, height)
    block = fitted_block(groups, width - 2 * sizes.margin, sizes.body, TEXT_SHARE * height,
                         lang)
    return fact_sheet(dataset, touching, page_size, f"country:{iso3}", lang, options,
                      block=block)


def fitted_block(groups: tuple[CardGroup, ...], width: float, body: float, most: float,
                 lang: str) -> CardBlock:
    """The card's block at the largest type that keeps it within `most` px, shortening the
    longest quotes once the type is at its smallest."""
    if not groups:
        return card_block((), width, body, lang)
    size = body
    while True:
        block = card_block(groups, width, size, lang)
        if block.height <= most:
            return block
        if size > body * SMALLEST_TYPE:
            size = max(size * 0.94, body * SMALLEST_TYPE)
            continue
        shorter = _shorten_longest_quote(groups)
        if shorter == groups:  # every quote as short as it goes: list fewer records
            return _fewest(groups, width, size, most, lang)
        groups = shorter


def _fewest(groups: tuple[CardGroup, ...], width: float, size: float, most: float,
            lang: str) -> CardBlock:
    """The block with the last records left out, as many as it takes to keep within
    `most`, and a line saying how many are not listed (a country that imported layers
    crowd with hundreds of records)."""
    entries = [(g, t, e) for g, group in enumerate(groups)
               for t, (_, listed) in enumerate(group.themes) for e in range(len(listed))]
    low, high = 0, len(entries)  # bisect how many records are kept
    while low < high:
        kept = (low + high + 1) // 2
        if card_block(_first(groups, entries[:kept]), width, size, lang,
                      len(entries) - kept).height <= most:
            low = kept
        else:
            high = kept - 1
    return card_block(_first(groups, entries[:low]), width, size, lang, len(entries) - low)


def _first(groups: tuple[CardGroup, ...], kept: list[tuple[int, int, int]]):
    """The groups holding only the records at the positions `kept`."""
    wanted = set(kept)
    found = []
    for g, group in enumerate(groups):
        themes = tuple((theme, tuple(entry for e, entry in enumerate(listed)
                                     if (g, t, e) in wanted))
                       for t, (theme, listed) in enumerate(group.themes))
        themes = tuple((theme, listed) for theme, listed in themes if listed)
        if themes:
            found.append(replace(group, themes=themes))
    return tuple(found)


def card_block(groups: tuple[CardGroup, ...], width: float, size: float,
               lang: str, left_out: int = 0) -> CardBlock:
    """The card in columns; `left_out` records are said not to be listed."""
    gap = size * 2
    column_width = (width - gap * (COLUMNS - 1)) / COLUMNS
    if not groups and not left_out:
        return CardBlock(((_Paragraph((escape(tr("no record", lang), quote=False),), size, 0),),),
                         column_width, gap)
    # A group's and a theme's heading stay with the first record under them: each record is
    # one unit of the column split, headings included.
    units: list[list[_Paragraph]] = []
    for group in groups:
        heading = _Paragraph(_lines(group.heading, column_width, size * 1.1, BOLD),
                             size * 1.1, size * 0.9)
        for theme_number, (theme, entries) in enumerate(group.themes):
            for number, entry in enumerate(entries):
                unit = []
                if number == 0:
                    if theme_number == 0:
                        unit.append(heading)
                    unit.append(_Paragraph(_lines(theme, column_width, size, BOLD), size,
                                           size * 0.5))
                unit.append(_entry(entry, column_width, size, group.relation in BRIEF))
                units.append(unit)
    if left_out:
        units.append([_Paragraph(_lines(tr("not listed", lang, count=left_out), column_width,
                                        size, ITALIC), size, size * 0.9)])
    heights = [sum(p.height for p in unit) for unit in units]
    # The split that makes the taller column shortest.
    best = min(range(len(units) + 1),
               key=lambda k: max(sum(heights[:k]), sum(heights[k:])))
    columns = (units[:best], units[best:])
    return CardBlock(tuple(tuple(_first_without_space(p for unit in column for p in unit))
                           for column in columns), column_width, gap)


def _first_without_space(paragraphs) -> list[_Paragraph]:
    """A column's first paragraph starts at its top."""
    found = list(paragraphs)
    if found:
        found[0] = replace(found[0], space_before=0.0)
    return found


def _entry(entry: CardEntry, width: float, size: float, brief: bool) -> _Paragraph:
    """A record: its name, when, figures, the source's words and where they are; `brief`,
    only its name, when and where the source says it."""
    if brief:
        return _Paragraph(_lines(entry.name, width, size, BOLD)
                          + _lines(" · ".join(filter(None, (entry.when, entry.cited))), width,
                                   size, GREY), size, size * 0.3)
    lines = list(_lines(entry.name, width, size, BOLD))
    if entry.when:
        lines += _lines(entry.when, width, size, GREY)
    for amount in entry.amounts:
        lines += _lines(f"• {amount}", width, size)
    if entry.quote:
        lines += _lines(f"“{entry.quote}”", width, size, ITALIC)
    lines += _lines(entry.cited, width, size, GREY)
    for reading in entry.readings:  # a further source: what it settles, and where it is
        lines += _lines(reading.note, width, size)
        lines += _lines(reading.cited, width, size, GREY)
    return _Paragraph(tuple(lines), size, size * 0.45)


# Markup of a line: (opening, closing). Plotly closes no tag across a <br>, so each line
# carries its own.
BOLD, ITALIC, GREY = ("<b>", "</b>"), ("<i>", "</i>"), ('<span style="color:#555555">', "</span>")


def _lines(text: str, width: float, size: float, markup=("", "")) -> tuple[str, ...]:
    """`text` (from data: escaped) wrapped to `width`, each line in `markup`."""
    opening, closing = markup
    return tuple(f"{opening}{escape(line, quote=False)}{closing}"
                 for line in wrap(text, width, size))


def _shorten_longest_quote(groups: tuple[CardGroup, ...]) -> tuple[CardGroup, ...]:
    """The groups with their longest quote cut by a quarter at a word's end, marked "[…]";
    the same groups when no quote can be cut further."""
    quotes = [(len(entry.quote), entry.record_id) for group in groups
              for _, entries in group.themes for entry in entries
              if entry.quote and len(entry.quote) > SHORTEST_QUOTE]
    if not quotes:
        return groups
    _, longest = max(quotes)

    def cut(entry: CardEntry) -> CardEntry:
        if entry.record_id != longest:
            return entry
        kept = entry.quote.removesuffix(CUT)
        kept = kept[:max(SHORTEST_QUOTE, int(len(kept) * 0.75))].rsplit(" ", 1)[0]
        return replace(entry, quote=kept.rstrip(",;:") + CUT)

    return tuple(replace(group, themes=tuple((theme, tuple(cut(e) for e in entries))
                                             for theme, entries in group.themes))
                 for group in groups)
