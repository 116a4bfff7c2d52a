"""Where a map slide's parts go, for a projector: the title at the top, the map picture,
its legend as text beside it (each entry with its swatch), and under them the key of the
map's numbers, the caption and the sources. The PowerPoint and the PDF deck both place
their parts from one plan, so they look alike.

Lengths are millimetres from the slide's top left corner, type sizes points. Text is
measured as the pages measure it (figures.text_lines: a generous mean width), so that an
office suite's own line breaks fit in the room planned for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from export.page import PAGES
from figures.fact_sheet import LegendEntry
from figures.text_lines import measured_lines

SLIDE = PAGES["slide-16x9"]
PT_MM = 25.4 / 72
PX_MM = 25.4 / 96  # a CSS pixel
MARKING_MM = 9  # the marking's band, top and bottom
SIDE_MM = 10
TITLE_PT = 28
# 12 pt is 2.2 % of a 7.5-inch slide's height: the least a room of forty reads from the
# back. The legend takes the largest size that lets it stand beside the map.
LEGEND_PT = (14, 13, 12)
FOOT_PT = 12
LINE = 1.2  # a line's height, in em (Arial's own is 1.15)
# A legend column's widths, in em of its type: 24 to 32 characters or so a line.
COLUMN_EMS = (13, 15, 17)
SWATCH_EM = 1.6  # the swatch's room left of an entry
# The legend may take this share of the slide's width; more, and its type is set smaller.
LEGEND_SHARE = 0.42
GAP_MM = 3


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class Text:
    """A block of text on the slide: its words, its box, its size; a legend entry's swatch
    sits left of its first line, `swatch` millimetres wide."""

    text: str
    box: Box
    size: float  # pt
    bold: bool = False
    colour: str = "#222222"
    entry: LegendEntry | None = None
    swatch: float = 0.0

    def lines(self) -> list[str]:
        """The lines it is planned in (an office suite breaks them itself)."""
        return measured_lines(self.text, self.box.width / PX_MM, self.size / 0.75)


@dataclass(frozen=True)
class MapSlidePlan:
    title: Text
    map: Box
    legend: tuple[Text, ...]
    foot: tuple[Text, ...]  # the key of numbers, the caption, the sources


def text_height(text: str, width_mm: float, size_pt: float) -> float:
    return len(measured_lines(text, width_mm / PX_MM, size_pt / 0.75)) * size_pt * LINE * PT_MM


def plan_map_slide(title: str, legend: list[tuple[str, tuple[LegendEntry, ...]]],
                   foot: list[tuple[str, str]], marking: bool) -> MapSlidePlan:
    """The slide's plan: `legend` is fact_sheet.legend_of's groups, `foot` the texts under
    the map, each (text, colour), in order."""
    band = float(MARKING_MM if marking else 0)
    inner = SLIDE.width_mm - 2 * SIDE_MM
    title_size = TITLE_PT if text_height(title, inner, TITLE_PT) < 2.2 * TITLE_PT * PT_MM \
        else 24
    top = band + 4.0
    title_text = Text(title, Box(SIDE_MM, top, inner, text_height(title, inner, title_size)),
                      title_size, bold=True, colour="#111111")
    top = title_text.box.bottom + GAP_MM

    bottom = SLIDE.height_mm - band - 5.0
    # The legend stands beside the map and its foot, from the title to the slide's foot;
    # the texts under the map are as wide as the map.
    legend_texts, legend_width = _legend(legend, top, bottom - top, inner)
    map_left = SIDE_MM / 2
    map_width = SLIDE.width_mm - map_left - SIDE_MM - legend_width - \
        (GAP_MM if legend_width else 0)
    foot_width = map_width - (SIDE_MM - map_left)
    foot_texts: list[Text] = []
    for text, colour in reversed([entry for entry in foot if entry[0]]):
        height = text_height(text, foot_width, FOOT_PT)
        bottom -= height
        foot_texts.insert(0, Text(text, Box(SIDE_MM, bottom, foot_width, height), FOOT_PT,
                                  colour=colour))
        bottom -= 1.5
    map_box = Box(map_left, top, map_width, bottom - GAP_MM - top)
    shift = map_box.left + map_box.width + GAP_MM
    placed = tuple(Text(t.text, Box(t.box.left + shift, t.box.top, t.box.width, t.box.height),
                        t.size, t.bold, t.colour, t.entry, t.swatch) for t in legend_texts)
    return MapSlidePlan(title_text, map_box, placed, tuple(foot_texts))


def _legend(legend, top: float, room: float, inner: float) -> tuple[list[Text], float]:
    """The legend's texts, their lefts from the legend's own left, and its width: the
    largest type that fits beside the map within LEGEND_SHARE of the slide, in the
    narrowest layout (columns, and their width) that holds it; else the smallest type in as
    many columns as it takes."""
    if not legend:
        return [], 0.0
    for size in LEGEND_PT:
        laid = [found for columns in (1, 2, 3) for em in COLUMN_EMS
                if (found := _columns(legend, size, columns, em, top, room)) is not None
                and found[1] <= LEGEND_SHARE * inner]
        if laid:
            return min(laid, key=lambda found: found[1])
    columns = 4
    while (found := _columns(legend, LEGEND_PT[-1], columns, COLUMN_EMS[0], top,
                             room)) is None:
        columns += 1
    return found


def _columns(legend, size: float, columns: int, em: float, top: float,
             room: float) -> tuple[list[Text], float] | None:
    """The legend in `columns` columns `em` wide at `size` pt, filled in order, a group's
    title never last in its column; None if it does not fit `room` mm."""
    column_width = em * size * PT_MM
    swatch = SWATCH_EM * size * PT_MM
    line = size * LINE * PT_MM
    items: list[tuple[str, LegendEntry | None, float]] = []
    for title, entries in legend:
        items.append((title, None, text_height(title, column_width, size) + 0.4 * line))
        for entry in entries:
            items.append((entry.label, entry,
                          text_height(entry.label, column_width - swatch, size) + 0.2 * line))
    texts: list[Text] = []
    column, y = 0, top
    for index, (text, entry, height) in enumerate(items):
        ends_column = y + height > top + room or (
            entry is None and index + 1 < len(items)
            and y + height + items[index + 1][2] > top + room)
        if ends_column and y > top:
            column, y = column + 1, top
        if column >= columns or y + height > top + room:
            return None
        left = column * (column_width + GAP_MM)
        if entry is None:
            texts.append(Text(text, Box(left, y + (0.4 * line if y > top else 0), column_width,
                                        height - 0.4 * line), size, bold=True))
        else:
            texts.append(Text(text, Box(left + swatch, y, column_width - swatch,
                                        height - 0.2 * line), size, entry=entry,
                              swatch=swatch))
        y += height
    used = column + 1
    return texts, used * column_width + (used - 1) * GAP_MM
