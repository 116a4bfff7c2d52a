"""A country's one-pager: the country and its neighbourhood framed, with the records touching
it by how they touch it and by theme (figures, the source's words, document and section),
the sources, the date and the marking.

It is a fact sheet (figures/fact_sheet.py) of the records touching the country, with the
country's card set as two columns of text between the map and the caption. The map keeps
MAP_SHARE of the page or more, and the card's type is never under MIN_CARD_PX (8.25 pt):
the records that do not fit under the map continue on further pages of the PDF, their
quotes whole (but for one longer than LONGEST_QUOTE, cut at a word's end and marked
"[…]"). A single picture (PNG, SVG) has no further page: its longest quotes are shortened
first, then it says how many records it leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

import plotly.graph_objects as go

from figures.fact_sheet import SheetOptions, _Type, fact_sheet, marking_bands
from figures.record_text import CardEntry, CardGroup, country_card
from figures.text_lines import wrap
from i18n import label, tr, tr_count
from presence.dataset import Dataset
from presence.views import View, filter_records

# The card's share of page one's height, tried in turn until the map keeps MAP_SHARE.
TEXT_SHARES = (0.4, 0.36, 0.32, 0.28, 0.24, 0.2)
TEXT_SHARE = TEXT_SHARES[0]
MAP_SHARE = 0.35  # of the page's area
MIN_CARD_PX = 11.0  # 8.25 pt: the least a printed page's body text is set in
SMALLEST_TYPE = 0.78  # of the body type, on a page large enough to keep MIN_CARD_PX
LONGEST_QUOTE = 900  # characters: a quote longer is cut even on pages that continue
MOST_PAGES = 8  # a one-pager and its continuation pages: past them, records are counted
# Records given in full to a one-pager: more than its MOST_PAGES hold of the shortest ones
# (about 46 a page). The rest are only counted, not set (an imported layer of 20,000
# records in one country took 130 s before Chromium was reached).
MOST_RECORDS = MOST_PAGES * 60
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
    """The one-pager of `iso3` as a single page (a PNG, an SVG): what does not fit under
    the map is shortened, then counted. `page_size` (width, height) in CSS pixels. Like a
    fact sheet, its area traces name their geometry: pass its dict through embed_geometry
    before drawing it."""
    return country_document(dataset, view, iso3, page_size, lang, options, continued=False)[0]


def country_document(dataset: Dataset, view: View, iso3: str, page_size: tuple[float, float],
                     lang: str = "en", options: SheetOptions | None = None,
                     continued: bool = True) -> list[go.Figure]:
    """The one-pager of `iso3` for the records of `view` touching it: the first page with
    the map, then, `continued`, as many pages as the rest of its records take (at most
    MOST_PAGES in all)."""
    options = options or SheetOptions()
    if options.title is None:
        options = replace(options, title=page_title(dataset, iso3, lang))
    touching = replace(view, touching=iso3)
    groups = country_card(dataset, iso3, filter_records(dataset, touching), lang,
                          most=MOST_RECORDS)
    unlisted = sum(group.unlisted for group in groups)
    width, height = page_size
    sizes = _Type.for_page(width, height)
    inner = width - 2 * sizes.margin
    size = max(sizes.body, MIN_CARD_PX)
    column_width = (inner - size * 2 * (COLUMNS - 1)) / COLUMNS
    units = card_units(_with_quotes_cut(groups, LONGEST_QUOTE), column_width, size, lang)
    for share in TEXT_SHARES:  # the largest card under which the map keeps its share
        if continued:
            block, rest = _packed(units, column_width, size, share * height, lang, page=False,
                                  unlisted=unlisted)
        else:
            block, rest = fitted_block(groups, inner, size, share * height, lang, unlisted), []
        first = fact_sheet(dataset, touching, page_size, f"country:{iso3}", lang, options,
                           block=block)
        if _map_share(first) >= MAP_SHARE:
            break
    pages = [first]
    page_height = height - 2 * sizes.margin - _band(options, sizes) - sizes.title * 2
    while rest and len(pages) < MOST_PAGES:
        last = len(pages) + 1 == MOST_PAGES
        block, rest = _packed(rest, column_width, size, page_height, lang, last=last,
                              unlisted=unlisted)
        pages.append(_continuation(block, options, page_size, sizes, lang))
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        page.add_annotation(text=escape(tr("page of", lang, number=number, total=total)),
                            showarrow=False, xref="paper", yref="paper", x=1 - sizes.margin / width,
                            xanchor="right", y=sizes.margin / height, yanchor="bottom",
                            font={"size": max(sizes.body * 0.9, MIN_CARD_PX),
                                  "color": "#555555"})
    return pages


def _map_share(figure: go.Figure) -> float:
    domain = figure.layout.geo.domain
    return (domain.x[1] - domain.x[0]) * (domain.y[1] - domain.y[0])


def _band(options: SheetOptions, sizes: _Type) -> float:
    """The px the marking's two bands take."""
    return 2 * (sizes.body * 1.9 + sizes.body * 0.6) if options.marking.strip() else 0.0


def _continuation(block: CardBlock, options: SheetOptions, page_size: tuple[float, float],
                  sizes: _Type, lang: str) -> go.Figure:
    """A page that continues the card: the marking, the title said continued, the block."""
    width, height = page_size
    annotations: list[dict] = []
    shapes: list[dict] = []
    top, bottom = sizes.margin, height - sizes.margin
    if options.marking.strip():
        band = sizes.body * 1.9
        shapes, annotations = marking_bands(options.marking.strip(), options.marking_colour,
                                            (top, bottom - band), band, page_size,
                                            sizes.margin, sizes.body * 1.15)
        top += band + sizes.body * 0.6
    title = f"{options.title} ({tr('continued', lang)})"
    lines = wrap(escape(title, quote=False), width - 2 * sizes.margin, sizes.title * 1.1)
    annotations.append({"text": "<b>" + "<br>".join(lines) + "</b>", "showarrow": False,
                        "xref": "paper", "yref": "paper", "x": sizes.margin / width,
                        "xanchor": "left", "y": 1 - top / height, "yanchor": "top",
                        "align": "left", "font": {"size": sizes.title, "color": "#111111"}})
    top += len(lines) * sizes.title * 1.3 + sizes.body
    annotations += block.annotations(top, sizes.margin, page_size)
    return go.Figure(layout={
        "width": width, "height": height, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "xaxis": {"visible": False}, "yaxis": {"visible": False},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
        "font": {"family": "Arial, Helvetica, sans-serif", "color": "#222222"},
        "annotations": annotations, "shapes": shapes})


def _packed(units: list[_Unit], column_width: float, size: float, height: float,
            lang: str, last: bool = False, page: bool = True,
            unlisted: int = 0) -> tuple[CardBlock, list[_Unit]]:
    """As many units as fill two columns `height` px tall, in order, and the units left;
    a block that leaves some says it continues, or, `last`, how many records it leaves
    out, counting the `unlisted` ones the card did not give (said too by the block that
    ends the list). A block that starts in the middle of a group repeats its headings. On a `page`
    of its own, a unit taller than an empty column is set all the same (LONGEST_QUOTE
    keeps it within a page); under the map it waits for the next page."""
    gap = size * 2
    note_height = 2 * size * LINE + size * 0.9
    if units and units[0].resumed:
        units = [replace(units[0], paragraphs=units[0].resumed + units[0].paragraphs),
                 *units[1:]]
    columns: list[list[_Paragraph]] = [[] for _ in range(COLUMNS)]
    column, used, index = 0, 0.0, 0
    while index < len(units):
        room = height - (note_height if column == COLUMNS - 1 else 0.0)
        if used + units[index].height > room and (used or column + 1 < COLUMNS or not page):
            if column + 1 == COLUMNS:
                break
            column, used = column + 1, 0.0
            continue
        columns[column] += units[index].paragraphs
        used += units[index].height
        index += 1
    rest = units[index:]
    note = (tr("continued next", lang) if rest and not last else
            tr_count("not listed", lang, len(rest) + unlisted) if rest or unlisted else None)
    if note:
        columns[-1].append(_Paragraph(_lines(note, column_width, size, ITALIC), size,
                                      size * 0.9))
    return CardBlock(tuple(tuple(_first_without_space(column)) for column in columns),
                     column_width, gap), [] if last else rest


def fitted_block(groups: tuple[CardGroup, ...], width: float, body: float, most: float,
                 lang: str, unlisted: int = 0) -> CardBlock:
    """The card's block at the largest type that keeps it within `most` px, shortening the
    longest quotes once the type is at its smallest; it counts the `unlisted` records the
    card did not give."""
    if not groups:
        return card_block((), width, body, lang)
    size, smallest = body, min(body, max(body * SMALLEST_TYPE, MIN_CARD_PX))
    while True:
        block = card_block(groups, width, size, lang, unlisted)
        if block.height <= most:
            return block
        if size > smallest:
            size = max(size * 0.94, smallest)
            continue
        shorter = _shorten_longest_quote(groups)
        if shorter == groups:  # every quote as short as it goes: list fewer records
            return _fewest(groups, width, size, most, lang, unlisted)
        groups = shorter


def _fewest(groups: tuple[CardGroup, ...], width: float, size: float, most: float,
            lang: str, unlisted: int = 0) -> CardBlock:
    """The block with the last records left out, as many as it takes to keep within
    `most`, and a line saying how many are not listed (a country that imported layers
    crowd with hundreds of records)."""
    entries = [(g, t, e) for g, group in enumerate(groups)
               for t, (_, listed) in enumerate(group.themes) for e in range(len(listed))]
    low, high = 0, len(entries)  # bisect how many records are kept
    while low < high:
        kept = (low + high + 1) // 2
        if card_block(_first(groups, entries[:kept]), width, size, lang,
                      len(entries) - kept + unlisted).height <= most:
            low = kept
        else:
            high = kept - 1
    return card_block(_first(groups, entries[:low]), width, size, lang,
                      len(entries) - low + unlisted)


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
    """The card in two balanced columns; `left_out` records are said not to be listed."""
    gap = size * 2
    column_width = (width - gap * (COLUMNS - 1)) / COLUMNS
    if not groups and not left_out:
        return CardBlock(((_Paragraph((escape(tr("no record", lang), quote=False),), size, 0),),),
                         column_width, gap)
    units = card_units(groups, column_width, size, lang)
    if left_out:
        units.append(_Unit((_Paragraph(_lines(tr_count("not listed", lang, left_out),
                                              column_width, size, ITALIC), size, size * 0.9),)))
    heights = [unit.height for unit in units]
    # The split that makes the taller column shortest.
    best = min(range(len(units) + 1),
               key=lambda k: max(sum(heights[:k]), sum(heights[k:])))
    columns = (units[:best], units[best:])
    return CardBlock(tuple(tuple(_first_without_space(p for unit in column
                                                      for p in unit.paragraphs))
                           for column in columns), column_width, gap)


@dataclass(frozen=True)
class _Unit:
    """What a column or a page never splits: a record, with the group's and the theme's
    headings over the first record under them; `resumed`, the headings a page that starts
    with it repeats, said continued."""

    paragraphs: tuple[_Paragraph, ...]
    resumed: tuple[_Paragraph, ...] = ()

    @property
    def height(self) -> float:
        return sum(p.height for p in self.paragraphs)


def card_units(groups: tuple[CardGroup, ...], column_width: float, size: float,
               lang: str) -> list[_Unit]:
    """The card as units, in order."""
    if not groups:
        return [_Unit((_Paragraph((escape(tr("no record", lang), quote=False),), size, 0),))]
    units: list[_Unit] = []
    more = f" ({tr('continued', lang)})"

    def heading(text: str, bold_size: float, space: float) -> _Paragraph:
        return _Paragraph(_lines(text, column_width, bold_size, BOLD), bold_size, space)

    for group in groups:
        group_heading = heading(group.heading, size * 1.1, size * 0.9)
        for theme_number, (theme, entries) in enumerate(group.themes):
            theme_heading = heading(theme, size, size * 0.5)
            for number, entry in enumerate(entries):
                unit = []
                if number == 0:
                    if theme_number == 0:
                        unit.append(group_heading)
                    unit.append(theme_heading)
                unit.append(_entry(entry, column_width, size, group.relation in BRIEF))
                resumed = (heading(group.heading + more, size * 1.1, size * 0.9),
                           *((heading(theme + more, size, size * 0.5),) if number else ()))
                units.append(_Unit(tuple(unit), () if number == theme_number == 0 else
                                   resumed[:1] if number == 0 else resumed))
    return units


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
        return replace(entry, quote=cut_quote(kept, max(SHORTEST_QUOTE, int(len(kept) * 0.75))))

    return _each_entry(groups, cut)


def _with_quotes_cut(groups: tuple[CardGroup, ...], longest: int) -> tuple[CardGroup, ...]:
    """The groups with every quote longer than `longest` characters cut."""
    return _each_entry(groups, lambda entry: replace(entry, quote=cut_quote(
        entry.quote, longest)) if entry.quote and len(entry.quote) > longest else entry)


def _each_entry(groups: tuple[CardGroup, ...], change) -> tuple[CardGroup, ...]:
    return tuple(replace(group, themes=tuple((theme, tuple(change(e) for e in entries))
                                             for theme, entries in group.themes))
                 for group in groups)


def cut_quote(quote: str, keep: int) -> str:
    """The quote cut to at most `keep` characters at the end of a word (a word is never
    cut in two), marked "[…]" where words were left out."""
    if len(quote) <= keep:
        return quote
    kept = quote[:keep]
    if not (quote[keep].isspace() or kept[-1:].isspace()) and any(c.isspace() for c in kept):
        kept = kept.rsplit(None, 1)[0]  # the word the cut falls in is left out whole
    return kept.rstrip(",;:–- ") + CUT
