"""The map of a view laid out as a printed page: marking, title, map, legend of what is shown,
caption stating the filters, source line and export date.

Everything is Plotly text, markers and polygons, so SVG and PDF exports stay vector. The page
is laid out in CSS pixels (96 to the inch) from its size in millimetres; sizes of type follow
the page, so an A5 and a slide are as readable as an A4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from html import escape, unescape
from typing import Any, Protocol

import plotly.graph_objects as go

from figures import captions, name_placement
from figures.map_furniture import add_furniture
from figures.region_fit import fit_to_room, frame_aspect
from figures.text_lines import wrap
from figures.world_map import (
    COLOURBAR,
    KEY_RANK,
    SELECTION,
    SIZES,
    GeoSources,
    Room,
    build_map,
    label_slots,
    legend_group_height,
    legend_group_width,
    trace_names,
    view_data,
)
from figures.world_map.areas import BY_NAME
from i18n import LANGUAGES, tr
from presence.dataset import Dataset
from presence.views import View, filter_records

# Geo layout properties a screen view may carry over to the page (its zoom and pan).
SCREEN_GEO_KEYS = ("projection.type", "projection.scale", "projection.rotation.lon",
                   "projection.rotation.lat", "center.lon", "center.lat", "lonaxis.range",
                   "lataxis.range")
PROJECTIONS = ("natural earth", "equirectangular", "mercator", "orthographic", "robinson",
               "miller", "kavrayskiy7", "winkel tripel", "azimuthal equal area")
DEFAULT_MARKING_COLOUR = "#c8102e"


@dataclass(frozen=True)
class SheetOptions:
    """What the page carries around the map; everything but the marking is on by default."""

    title: str | None = None  # None: the themes and region of the view
    show_title: bool = True
    show_legend: bool = True
    show_caption: bool = True
    show_sources: bool = True
    show_date: bool = True
    # On regional maps only: the world map needs neither.
    show_scale_bar: bool = True
    show_locator: bool = True
    marking: str = ""  # handling or classification marking, printed at top and bottom
    marking_colour: str = DEFAULT_MARKING_COLOUR
    exported_on: date = field(default_factory=date.today)
    # The body type in CSS px, instead of the page's own: a slide read from the back of a
    # room sets its symbols and names larger than a page read in the hand.
    body_px: float | None = None
    # The key of the map's numbers as a line of the page; a deck sets it as its own text.
    show_key: bool = True


@dataclass(frozen=True)
class _Type:
    """Sizes in CSS pixels, derived from the page so that type scales with it."""

    body: float
    margin: float

    @classmethod
    def for_page(cls, width: float, height: float, body_px: float | None = None) -> _Type:
        # An A4 gets 10.5 px (7.9 pt) body text, as printed fact sheets use for captions.
        body = body_px or min(max(math.sqrt(width * height) / 90, 8.0), 18.0)
        return cls(body=body, margin=0.04 * min(width, height))

    @property
    def title(self) -> float:
        return self.body * 1.9



def screen_geo(relayout: dict | None) -> dict:
    """The zoom and pan the browser reports for its map, keeping only known geo properties
    with values of the right type (the dict comes from the browser)."""
    kept = {}
    if not isinstance(relayout, dict):
        return kept
    for key in SCREEN_GEO_KEYS:
        value = relayout.get(key)
        if key == "projection.type":
            if value in PROJECTIONS:
                kept[key] = value
        elif key.endswith("range"):
            if (isinstance(value, list) and len(value) == 2
                    and all(_finite(v) and -360 <= v <= 360 for v in value)):
                kept[key] = [float(v) for v in value]
        elif _finite(value) and abs(value) <= (1000 if key == "projection.scale" else 360):
            kept[key] = float(value)
    return kept


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _contrast(colour: str) -> str:
    """Black or white, whichever reads better on `colour` (#rrggbb)."""
    try:
        red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    except ValueError:
        return "#ffffff"
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000000" if luminance > 0.5 else "#ffffff"


def marking_bands(marking: str, colour: str, tops, band: float, page: tuple[float, float],
                  inset: float, size: float) -> tuple[list[dict], list[dict]]:
    """A handling marking in coloured bands `band` px tall, their tops at `tops` px from the
    page's top, `inset` px in from each side: the bands' shapes, and the marking in bold
    in the middle of each, black or white, whichever reads better on the colour."""
    width, height = page
    shapes, annotations = [], []
    for top in tops:
        shapes.append({"type": "rect", "xref": "paper", "yref": "paper", "layer": "above",
                       "x0": inset / width, "x1": 1 - inset / width,
                       "y0": 1 - (top + band) / height, "y1": 1 - top / height,
                       "fillcolor": colour, "line": {"width": 0}})
        annotations.append({
            "text": f"<b>{escape(marking)}</b>", "showarrow": False, "xref": "paper",
            "yref": "paper", "yanchor": "middle", "y": 1 - (top + band / 2) / height,
            "x": 0.5, "xanchor": "center", "align": "center",
            "font": {"size": size, "color": _contrast(colour)}})
    return shapes, annotations


def embed_geometry(figure: dict, geo: GeoSources) -> dict:
    """The figure dict with each area trace carrying only the features it draws: the
    page must hold its geometry, and naming the whole set in every trace would make it
    6.5 MB for the embedded data set instead of 2."""
    sources: dict[Any, Any] = {BY_NAME.countries: geo.countries, BY_NAME.areas: geo.areas}
    for trace in figure["data"]:
        source = sources.get(trace.get("geojson")) if isinstance(trace.get("geojson"), str) \
            else None
        if source is None:
            continue
        key = trace["featureidkey"].removeprefix("properties.")
        wanted = set(trace.get("locations") or ())
        trace["geojson"] = {"type": "FeatureCollection", "features": [
            feature for feature in source["features"] if feature["properties"][key] in wanted]}
    return figure


def _legend_groups(figure: go.Figure, dataset: Dataset, lang: str,
                   size: float) -> dict[str, tuple[str, ...]]:
    """Show in the legend exactly what the page draws: per theme, its footprints (a swatch)
    and the categories with symbols; then a key to the outlines and dots. Returns each
    legend group's title and entries, in the legend's order (for the layout)."""
    words = captions.words(lang)
    groups: dict[str, tuple[str, ...]] = {}

    def grouped(trace, group: str, title: str) -> None:
        trace.showlegend = True
        trace.legendgroup = group
        trace.legendgrouptitle = {"text": escape(title)}
        groups[group] = groups.get(group, (escape(title),)) + (trace.name or "",)

    drawn = dict(zip(trace_names(dataset), list(figure.data)))
    for name, trace in drawn.items():
        kind, _, key = name.partition(":")
        if kind == "footprint" and len(trace.locations or ()):
            trace.name = words["footprints"]
            grouped(trace, key, captions.label(dataset.themes, key, "label", lang))
        elif kind in ("outline", "coverage", "spokes", "small-states", "clusters") \
                and trace.showlegend \
                and trace.visible is not False:
            grouped(trace, "key", words["key"])
        elif kind == "numbered":
            # Its entries are known once the names are placed, and go in the footer.
            grouped(trace, "numbered", trace.legendgrouptitle.text)
            groups.pop("numbered")
        elif kind == "category":
            if trace.visible is True and trace.showlegend and len(trace.lon or ()):
                theme = dataset.categories.at[key, "theme"]
                grouped(trace, theme, captions.label(dataset.themes, theme, "label", lang))
            else:  # hidden on screen: on paper not even a greyed legend entry
                trace.visible, trace.showlegend = False, False
        else:
            trace.showlegend = False

    # The key comes after every theme, as on screen.
    if "key" in groups:
        groups["key"] = groups.pop("key")
    # The selection's outline has no swatch of its own: a key entry explains it.
    keys = [("selection-areas", "locations", words["selected"], "circle-open", SELECTION)]
    for name, column, label, symbol, colour in keys:
        if len(getattr(drawn[name], column) or ()):
            key = go.Scattergeo(lon=[None], lat=[None], mode="markers", name=escape(label),
                                legendrank=KEY_RANK["key"],
                                marker={"symbol": symbol, "color": colour, "size": size,
                                        "line": {"color": "#4d4a44", "width": 1}})
            figure.add_trace(key)
            grouped(figure.data[-1], "key", words["key"])
    return groups


@dataclass(frozen=True)
class LegendEntry:
    """A legend entry set outside the map (a deck's native text): its words, and how its
    swatch looks (`kind` "marker", "line" or "area", with that kind's Plotly style)."""

    label: str
    kind: str
    style: tuple[tuple[str, Any], ...]


def legend_of(dataset: Dataset, view: View, selected: str | None,
              lang: str) -> list[tuple[str, tuple[LegendEntry, ...]]]:
    """The page's legend as data, in its order: each group's title and entries, as plain
    text (no markup, no line breaks) with the style of each entry's swatch."""
    figure = build_map(dataset, view, selected, lang, BY_NAME)
    groups = _legend_groups(figure, dataset, lang, SIZES["category"])
    shown = sorted((trace.legendrank or 1000, index, trace)
                   for index, trace in enumerate(figure.data) if trace.showlegend
                   and trace.legendgroup in groups)
    return [(unescape(titled[0]), tuple(
        LegendEntry(unescape((trace.name or "").replace("<br>", " ")), *_swatch(trace))
        for _, _, trace in shown if trace.legendgroup == key))
        for key, titled in groups.items()]


def _swatch(trace) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """A legend entry's swatch: a theme's footprint or a zone is a filled square, a line
    its stroke, a symbol its marker (a colour scale's symbol in its lightest colour)."""
    if trace.type == "choropleth":
        return "area", (("fill", trace.colorscale[-1][1]),
                        ("line", trace.marker.line.color or "#5a5a5a"))
    if trace.mode == "lines":
        return "line", (("color", trace.line.color), ("width", trace.line.width or 1),
                        ("dash", trace.line.dash or "solid"))
    marker = trace.marker
    colour = marker.color
    if not isinstance(colour, str):
        colour = marker.colorscale[0][1] if marker.colorscale else "#d9d4cc"
    return "marker", (("symbol", marker.symbol or "circle"), ("color", colour),
                      ("line_color", marker.line.color or "#3d3a35"),
                      ("line_width", marker.line.width if marker.line.width is not None
                       else 1))


UNLABELLED = tuple(tr("map unnamed", lang) for lang in LANGUAGES)


def numbered_key(figure: go.Figure, dataset: Dataset) -> tuple[str, list[str]]:
    """The key of the numbers a page's map carries: its title and entries ("3 Moroni"),
    none when every name found room on the map."""
    numbered = figure.data[trace_names(dataset).index("numbered")]
    lines = [unescape(line) for line in (numbered.name or "").split("<br>") if line.strip()]
    # The unlabelled places come last, in one entry wrapped over lines of the legend's width.
    unlabelled = next((index for index, line in enumerate(lines)
                       if line.startswith(UNLABELLED)), len(lines))
    entries = lines[:unlabelled] + ([" ".join(lines[unlabelled:])] if lines[unlabelled:] else [])
    return unescape(numbered.legendgrouptitle.text or ""), entries


@dataclass(frozen=True)
class _LegendPlan:
    """Where the page's legend goes: under the map in rows of `columns` groups, or beside
    it as columns of groups (`stacks`, the groups' keys in each), each a legend of its own."""

    columns: int = 0
    stacks: tuple[tuple[str, ...], ...] = ()
    width: float = 0.0  # px it takes beside the map
    height: float = 0.0  # px it takes under the map
    stack_widths: tuple[float, ...] = ()  # px from one stack's left to the next's
    stack_height: float = 0.0  # px the tallest stack takes


# Columns of a page's legend are as wide as the names' generous estimate of their text: a
# column that runs into the next one garbles both.
PRINT_WIDTH_SHARE = 1.0
# Plotly draws a legend entry's symbol and gaps in 40 px beside its text.
LEGEND_SYMBOL = 40
# The legend's size is an estimate: a little more, since a legend that runs into the
# footer hides it.
LEGEND_MARGIN = 1.05
# A legend that leaves the map less than this share of the room is set smaller, down to this
# share of the body type: a world page on A4 landscape keeps half the page for its map with
# a legend of some thirty entries (set at 0.73 of the body type, 5.7 pt).
MIN_MAP_SHARE = 0.5
LEGEND_SMALLEST = 0.6


def _legend_plans(groups: dict[str, tuple[str, ...]], inner: float, room_height: float,
                  body: float) -> list[_LegendPlan]:
    """The ways the legend can be laid out on the page: under the map with as many groups
    to a row as fit, or beside it in as few columns as hold it."""
    if not groups:
        return [_LegendPlan()]
    gap = body * 0.6
    heights = {key: legend_group_height(group, body) for key, group in groups.items()}
    widths = {key: legend_group_width(group, body, PRINT_WIDTH_SHARE) + LEGEND_SYMBOL
              for key, group in groups.items()}
    plans = []
    for columns in range(1, len(groups) + 1):
        if inner / columns < max(widths.values()) + body:
            break
        keys = list(groups)
        rows = [keys[i:i + columns] for i in range(0, len(keys), columns)]
        height = sum(max(heights[key] for key in row) + gap for row in rows)
        plans.append(_LegendPlan(columns=columns, height=LEGEND_MARGIN * height + body))
    stacks: list[tuple] = []
    stack: list = []
    stack_height = 0.0
    for key in groups:
        if stack and (stack_height + heights[key]) * LEGEND_MARGIN > room_height:
            stacks.append(tuple(stack))
            stack, stack_height = [], 0.0
        stack.append(key)
        stack_height += heights[key] + gap
    stacks.append(tuple(stack))
    tallest = max(sum(heights[key] + gap for key in column) for column in stacks) * LEGEND_MARGIN
    if tallest <= room_height:
        stack_widths = tuple(max(widths[key] for key in column) + gap for column in stacks)
        plans.append(_LegendPlan(stacks=tuple(stacks), width=sum(stack_widths) + body,
                                 stack_widths=stack_widths, stack_height=tallest))
    return plans


class TextBlock(Protocol):
    """Text the page sets between the map (with its legend) and the caption: a country's
    records on its one-pager."""

    @property
    def height(self) -> float:  # px
        ...

    def annotations(self, top: float, left: float, page: tuple[float, float]) -> list[dict]:
        """Its annotations, its top `top` px from the page's top and its left `left` px from
        the page's left edge."""


def footer_texts(dataset: Dataset, view: View, records, selected: str | None, lang: str,
                 options: SheetOptions) -> tuple[str, str]:
    """The caption (the view in sentences, then the data's state) and the line of sources
    and date a page or slide ends with, each "" when the options leave it out."""
    caption = ""
    if options.show_caption:
        # The data's state ends the caption, whose line has room, so that the page can be
        # drawn again from the same data.
        state = captions.data_state(dataset, lang)
        caption = (f"{captions.caption(dataset, view, records, selected, lang)} "
                   f"{state[0].upper()}{state[1:]}.")
    # The sources and the date share a line: every line of footer is a line less of map.
    sources_and_date = " ".join(filter(None, (
        captions.source_line(dataset, records, lang) if options.show_sources else "",
        # Kept on one line: a date cut in two reads badly.
        captions.export_date_line(options.exported_on, lang).replace(" ", "\u00a0")
        + "." if options.show_date else "")))
    return caption, sources_and_date


def fact_sheet(dataset: Dataset, view: View, page_size: tuple[float, float],
               selected: str | None = None, lang: str = "en",
               options: SheetOptions | None = None, screen: dict | None = None,
               block: TextBlock | None = None) -> go.Figure:
    """The page for `view`, `page_size` (width, height) in CSS pixels; `screen` is the zoom
    and pan of the map on screen; `block`, text set under the map. Its area traces name
    their geometry (BY_NAME): pass its dict through `embed_geometry` before drawing it.

    The page is set from its edges inwards: the marking, the title from the top; the
    footer and the block from the foot; the map and its legend take what is left between,
    then the footer is lifted to sit under them."""
    sheet = _Sheet(dataset, view, page_size, selected, lang, options or SheetOptions(), screen)
    sheet.set_marking()
    sheet.set_title()
    sheet.set_footer(block)
    sheet.lay_out_map_and_legend()
    sheet.set_furniture()
    sheet.set_colour_bar()
    return sheet.finished()


class _Sheet:
    """A page being set: its map figure, the text and shapes around it, and the free band
    between `top` and `bottom` (px from the page's top) that the map and legend will take."""

    def __init__(self, dataset: Dataset, view: View, page_size: tuple[float, float],
                 selected: str | None, lang: str, options: SheetOptions,
                 screen: dict | None) -> None:
        self.dataset, self.view, self.selected, self.lang = dataset, view, selected, lang
        self.options, self.screen = options, screen
        self.width, self.height = page_size
        self.sizes = _Type.for_page(self.width, self.height, options.body_px)
        self.body, self.margin = self.sizes.body, self.sizes.margin
        self.small = self.body * 0.9
        self.inner = self.width - 2 * self.margin
        self.top, self.bottom = self.margin, self.height - self.margin
        self.annotations: list[dict] = []
        self.shapes: list[dict] = []
        self.footer_annotations: list[dict] = []
        self.records = filter_records(dataset, view)
        self.figure = self._map_figure()
        # Room for the colour bar beside the map.
        self.colourbar = self.body * 7

    def _map_figure(self) -> go.Figure:
        """The dashboard's map, with symbols and outlines at print size."""
        figure = build_map(self.dataset, self.view, self.selected, self.lang, BY_NAME)
        if self.screen:
            figure.update_geos({key.replace(".", "_"): value
                                for key, value in self.screen.items()})
        figure.update_traces(selector={"type": "scattergeo", "mode": "markers"},
                             marker_size=self.body * 1.1)
        figure.update_traces(selector={"name": "selection-point"},
                             marker_size=self.body * 2.6)
        # Screen-weight outlines would blot out small islands at print size.
        figure.update_traces(selector={"name": "selection-areas"}, marker_line_width=1.2)
        return figure

    def paper_y(self, px_from_top: float) -> float:
        return 1 - px_from_top / self.height

    def text(self, content: str, y_px: float, anchor: str, size: float, colour="#222222",
             bold=False, align="left") -> None:
        self.annotations.append({
            "text": f"<b>{content}</b>" if bold else content, "showarrow": False,
            "xref": "paper", "yref": "paper", "yanchor": anchor, "y": self.paper_y(y_px),
            "x": 0.5 if align == "center" else self.margin / self.width,
            "xanchor": "center" if align == "center" else "left", "align": align,
            "font": {"size": size, "color": colour}})

    def set_marking(self) -> None:
        """The handling marking, in a band at the top and at the foot."""
        marking = self.options.marking.strip()
        if not marking:
            return
        band = self.body * 1.9
        bands, marks = marking_bands(marking, self.options.marking_colour,
                                     (self.top, self.bottom - band), band,
                                     (self.width, self.height), self.margin, self.body * 1.15)
        self.shapes += bands
        self.annotations += marks
        self.top += band + self.body * 0.6
        self.bottom -= band + self.body * 0.6

    def set_title(self) -> None:
        if not self.options.show_title:
            return
        title = self.options.title if self.options.title is not None else \
            captions.default_title(self.dataset, self.view, self.lang)
        title_lines = wrap(escape(title), self.inner, self.sizes.title * 1.1)
        self.text("<br>".join(title_lines), self.top, "top", self.sizes.title, "#111111",
                  bold=True)
        self.top += len(title_lines) * self.sizes.title * 1.3 + self.body * 0.6

    def set_footer(self, block: TextBlock | None) -> None:
        """The caption, the sources and the date from the page's foot, then the block."""
        body = self.body
        caption, sources_and_date = footer_texts(self.dataset, self.view, self.records,
                                                 self.selected, self.lang, self.options)
        footer = [(text, colour, size) for text, colour, size in (
            (caption, "#222222", body), (sources_and_date, "#555555", self.small)) if text]
        first_footer = len(self.annotations)
        for content, colour, size in reversed(footer):
            lines = wrap(escape(content), self.inner, size)
            self.text("<br>".join(lines), self.bottom, "bottom", size, colour)
            self.bottom -= len(lines) * size * 1.3 + body * 0.35
        if block is not None:
            self.bottom -= block.height + body * 0.6
            self.annotations += block.annotations(self.bottom, self.margin,
                                                  (self.width, self.height))
            self.bottom -= body * 0.6
        self.footer_annotations = self.annotations[first_footer:]
        self.bottom -= body * 0.5

    def lay_out_map_and_legend(self) -> None:
        """The map takes what is left, at the shape of its frame (no white bands inside the
        map), with its colour bar beside it; the legend goes under or beside it, whichever
        leaves the map more area. The key of numbers is known once the names are placed, for
        a map whose size depends on the legend's: place them, then again for the map the
        full footer leaves."""
        figure = self.figure
        self.numbered = figure.data[trace_names(self.dataset).index("numbered")]
        numbered = self.numbered
        numbered.showlegend = False
        self.groups = _legend_groups(figure, self.dataset, self.lang, self.body * 1.1) \
            if self.options.show_legend else {}
        if not self.options.show_legend:
            figure.update_traces(showlegend=False)
        self.geo = _geo_props(figure)
        self._lay_out_map()
        if numbered.showlegend and self.options.show_key:
            # On paper the numbers' key is a line of the footer, not a legend column: a
            # column as long as the list would shrink the map, and crowd its names into
            # more numbers.
            key_height = len(self._key_lines()) * self.small * 1.3 + self.body * 0.35
            self.bottom -= key_height
            self._lay_out_map()
            if numbered.showlegend:
                self.text("<br>".join(self._key_lines()),
                          self.bottom + key_height - self.body * 0.35, "bottom", self.small)
                self.footer_annotations.append(self.annotations[-1])
        numbered.showlegend = False
        if not self.screen:
            # A pan on screen may show what lies beyond the frame: then keep every country.
            _only_countries_in_frame(figure, self.dataset)
        self.left = self.margin + (self.inner - self.colourbar - self.plan.width
                                   - self.map_width) / 2
        figure.update_geos(domain={
            "x": [self.left / self.width, (self.left + self.map_width) / self.width],
            "y": [self.paper_y(self.top + self.map_height), self.paper_y(self.top)]})

    def _key_lines(self) -> list[str]:
        key = " · ".join(self.numbered.name.split("<br>"))
        return wrap(f"{self.numbered.legendgrouptitle.text}{captions.separator(self.lang)}{key}",
                    self.inner, self.small)

    def _map_size(self, plan: _LegendPlan) -> tuple[float, float, dict]:
        room_width = self.inner - self.colourbar - plan.width
        room_height = self.bottom - self.top - plan.height
        if room_width <= self.body or room_height <= self.body:  # no room left to the map
            return 0.0, 0.0, self.geo
        fitted = self.geo if self.screen else fit_to_room(self.geo, room_width / room_height)
        aspect = frame_aspect(fitted) or room_width / room_height
        map_width = min(room_width, room_height * aspect)
        return map_width, map_width / aspect, fitted

    def _lay_out_map(self) -> None:
        """The legend's plan, the map's size and the legend's type, names placed. A legend
        too long for the page (long names, many categories) is set smaller, down to
        LEGEND_SMALLEST of the body type, until the map keeps MIN_MAP_SHARE of the room."""
        body, inner, room = self.body, self.inner, self.bottom - self.top
        legend_type = body
        while True:
            plans = _legend_plans(self.groups, inner, room, legend_type)
            sized = [(plan, *self._map_size(plan)) for plan in plans]
            plan, map_width, map_height, fitted = max(sized, key=lambda laid: laid[1] * laid[2])
            if map_width * map_height >= MIN_MAP_SHARE * inner * room \
                    or legend_type <= body * LEGEND_SMALLEST:
                break
            legend_type *= 0.9
        if map_height <= 0:
            raise ValueError("the page is too small for its legend: choose a larger page, or "
                             "leave the legend out")
        if not self.screen:
            # The frame takes the shape of the room, so the map fills the page's width or
            # height (the world gives or takes polar rows only).
            self.figure.update_geos({key.replace(".", "_"): value
                                     for key, value in fitted.items()
                                     if key.endswith("range") or key == "center.lat"})
        _name_places(self.figure, self.dataset, self.view, self.selected, self.lang,
                     name_placement.Frame(map_width, map_height, _geo_props(self.figure)),
                     body)
        self.plan, self.map_width, self.map_height = plan, map_width, map_height
        self.legend_type = legend_type

    def set_furniture(self) -> None:
        """A regional map's scale bar and locator, in the corner the names keep off (at the
        names' scale, see _name_places)."""
        figure, options = self.figure, self.options
        regional = figure.layout.geo.lonaxis.range[1] - figure.layout.geo.lonaxis.range[0] < 360
        if not (regional and (options.show_scale_bar or options.show_locator)):
            return
        scale = self.body * 1.1 / SIZES["category"]
        zoomed = bool(self.screen) and (self.screen.get("projection.scale") or 1) != 1
        frame = name_placement.Frame(self.map_width, self.map_height, _geo_props(figure))
        bar_shapes, bar_texts = add_furniture(
            figure, frame, (self.left + 4, self.top + self.map_height - 4),
            (COLOURBAR[0] * scale, COLOURBAR[1] * scale), (self.width, self.height),
            self.small, self.lang, scale=options.show_scale_bar and not zoomed,
            locator=options.show_locator)
        self.shapes += bar_shapes
        self.annotations += bar_texts

    def set_colour_bar(self) -> None:
        body, small = self.body, self.small
        countries = self.figure.data[0]
        countries.colorbar = {
            "title": {"text": "<br>".join(wrap(escape(captions.words(self.lang)["per country"]),
                                                self.colourbar - 2 * body, small)),
                      "side": "top", "font": {"size": small}},
            # Numbers under their ticks: the top one, centred on the bar's end, touched the
            # title above it.
            "ticklabelposition": "outside bottom",
            "tickfont": {"size": small}, "tickformat": "d",
            "dtick": max(1, math.ceil((countries.zmax or 1) / 5)),
            # As long as a third of a page's height, never longer than the map it stands by.
            "thickness": body, "len": min(0.3 * self.height, 0.8 * self.map_height),
            "lenmode": "pixels", "x": (self.left + self.map_width + body) / self.width,
            "xanchor": "left", "y": self.paper_y(self.top + self.map_height / 2),
            "yanchor": "middle", "outlinewidth": 0}

    def finished(self) -> go.Figure:
        """The figure with its legends, and the footer lifted under the map and legend."""
        plan, legend_type = self.plan, self.legend_type
        legend_style = {"traceorder": "grouped", "font": {"size": legend_type},
                        "grouptitlefont": {"size": legend_type},
                        "tracegroupgap": legend_type * 0.6,
                        "itemclick": False, "itemdoubleclick": False}
        if plan.stacks:
            legends = _legends_beside(self.figure, plan,
                                      self.left + self.map_width + self.colourbar, self.top,
                                      legend_style, self.width, self.height)
            used = max(self.map_height, plan.stack_height)
        else:
            legends = {"legend": legend_style | {
                "orientation": "h", "x": self.margin / self.width, "xanchor": "left",
                "y": self.paper_y(self.top + self.map_height + self.body * 0.5),
                "yanchor": "top",
                "entrywidth": self.inner / max(plan.columns, 1) - self.body * 4.5,
                "entrywidthmode": "pixels"}}
            used = self.map_height + plan.height
        # The footer was laid out from the page's foot; lift it to sit under the map and
        # legend.
        lift = self.bottom - self.top - used
        for annotation in self.footer_annotations:
            annotation["y"] += lift / self.height
        self.figure.update_layout(
            width=self.width, height=self.height, margin={"l": 0, "r": 0, "t": 0, "b": 0},
            annotations=self.annotations, shapes=self.shapes, uirevision=None,
            clickmode="none",
            font={"family": "Arial, Helvetica, sans-serif", "size": self.body,
                  "color": "#222222"},
            **legends,
        )
        return self.figure


def _legends_beside(figure: go.Figure, plan: _LegendPlan, x_px: float, top: float,
                    style: dict, width: float, height: float) -> dict:
    """Each column of groups beside the map as a legend of its own (legend, legend2…),
    side by side from `x_px`; returns the layout's legends."""
    column_of = {key: column for column, stack in enumerate(plan.stacks) for key in stack}
    for trace in figure.data:
        if trace.showlegend and trace.legendgroup in column_of:
            column = column_of[trace.legendgroup]
            trace.legend = "legend" if column == 0 else f"legend{column + 1}"
    legends = {}
    for column, stack_width in enumerate(plan.stack_widths):
        legends["legend" if column == 0 else f"legend{column + 1}"] = style | {
            "orientation": "v", "x": x_px / width, "xanchor": "left",
            "y": 1 - top / height, "yanchor": "top"}
        x_px += stack_width
    return legends


# Names on paper are set smaller than the symbols' scale: a page is read from close by.
PRINT_NAMES = 0.8


def _name_places(figure: go.Figure, dataset: Dataset, view: View, selected, lang: str,
                 frame: name_placement.Frame, body: float) -> None:
    """Place the names again for the page's map, at the page's type size: the symbols'
    fan, the names, their leader lines and the key of numbers."""
    scale = body * 1.1 / SIZES["category"]
    slots = [index for index, name in enumerate(trace_names(dataset))
             if name.startswith("category:") or name in ("labels", "country-labels", "leaders",
                                                         "numbered")]
    # On paper the colour bar is beside the map; the lower left corner is kept for the
    # scale bar and the locator inset.
    data = view_data(dataset, view, selected, lang, Room(scale=scale), frame,
                     name_scale=PRINT_NAMES, colourbar_corner="left", clear_of_outlines=True)
    for index in slots:
        changes = {key: value for key, value in data[index].items()
                   if key not in ("visible", "showlegend") or index == slots[-1]}
        figure.data[index].update({key.replace(".", "_"): value for key, value in changes.items()})
    for index, kind in label_slots(dataset).items():
        # Print has no halo: a PDF would hold each name three times over.
        figure.data[index].textfont.update(size=round(SIZES[kind] * scale * PRINT_NAMES, 1),
                                           shadow="none")


def _only_countries_in_frame(figure: go.Figure, dataset: Dataset) -> None:
    """Drop the countries a regional frame cannot show: each page carries its geometry, and
    the world's countries are 1.4 MB of it (the atlas draws 15 regional pages)."""
    (west, east), (south, north) = figure.layout.geo.lonaxis.range, figure.layout.geo.lataxis.range
    if east - west >= 360:
        return
    bounds = dataset.countries.geometry.bounds
    meets_lat = (bounds["maxy"] >= south) & (bounds["miny"] <= north)
    meets_lon = False
    for shift in (-360, 0, 360):  # a frame across the antimeridian runs past 180°
        meets_lon = meets_lon | ((bounds["maxx"] + shift >= west) & (bounds["minx"] + shift <= east))
    keep = (meets_lat & meets_lon).to_numpy()
    countries = figure.data[0]
    for name in ("locations", "z", "text", "customdata"):
        values = getattr(countries, name)
        setattr(countries, name, [v for v, kept in zip(values, keep) if kept])


def _geo_props(figure: go.Figure) -> dict:
    geo = figure.layout.geo
    return {"projection.type": geo.projection.type or "natural earth",
            "projection.rotation.lon": geo.projection.rotation.lon or 0,
            "lonaxis.range": list(geo.lonaxis.range), "lataxis.range": list(geo.lataxis.range)}
