"""Names on the map, placed so that none covers another name or a symbol.

Placement works in the map's own pixels: each place is projected as Plotly will draw it
(Natural Earth, the frame fitted to the drawing area), and each name tries the positions
around its symbol that Plotly's `textposition` offers, in the cartographers' order of
preference (right, then above or below on the right, then left…). A name that finds no room
is moved further out, in one of eight directions, with a leader line back to its symbol; one
that finds no room there either is replaced by a number, listed with its name in the map's
key; a number that finds no room beside its symbol or at the end of a leader is set on the
symbol, and only where a line crosses it there is the place listed as not named. The names are placed for
the frame as drawn; zooming in on screen moves the places apart, and the names with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from figures.region_fit import great_circle, natural_earth, range_box

# Plotly's text positions around a point, best first; and its offsets, from plotly.js
# (Drawing.textPointPosition): a name starts `radius / 0.8 + 1` px away from a symbol.
POSITIONS = ["middle right", "top right", "bottom right", "middle left", "top left",
             "bottom left", "top center", "bottom center"]
# Advance of Arial's letters, as a share of the type size, rounded up so that an estimated
# box holds the drawn one: capitals (ROCC, CEDEAO) are a third wider than lower case.
CAPITAL_WIDTH, LETTER_WIDTH, NARROW_WIDTH = 0.74, 0.57, 0.32
NARROW = set(" .,;:!()[]'’-–ijlrtfI1|")


def text_width(text: str, size: float) -> float:
    return size * sum(NARROW_WIDTH if c in NARROW else CAPITAL_WIDTH if c.isupper()
                      else LETTER_WIDTH for c in text)

LINE_HEIGHT = 1.2
GAP = 3.0  # px kept free around each name
# Past this many places a map is a density picture, not a list to read: the first ones (by
# records) are named, the others keep their hover.
MOST_NAMED = 250
# Directions a name moves in when it finds no room beside its symbol (unit steps, y down).
LEADER_DIRECTIONS = [(1, 0), (-1, 0), (0.71, -0.71), (0.71, 0.71), (-0.71, -0.71),
                     (-0.71, 0.71), (0, -1), (0, 1)]
# How long a leader may be, beyond the symbols' edge, in type sizes: a name's, and the
# further one a number may take (farther, it crossed a slide: "5" for CROSS, Le Port, 190 px
# east of Réunion; it goes on its symbol instead).
LEADER_LENGTHS = (1.1, 2.4, 3.8, 5.4)
NUMBER_LEADER_LENGTHS = (7.4,)
# A number may also leave at the angles between those (22.5° off).
NUMBER_DIRECTIONS = [(0.92, -0.38), (0.92, 0.38), (-0.92, -0.38), (-0.92, 0.38),
                     (0.38, -0.92), (0.38, 0.92), (-0.38, -0.92), (-0.38, 0.92)]


# The globe's outline (the antimeridian, ±180° from the centre): its half-width at each
# projected y, from pole to pole.
_OUTLINE_LATS = np.linspace(-90, 90, 721)
_OUTLINE_HALF_WIDTH = (natural_earth(np.zeros(721), _OUTLINE_LATS)[1],
                       natural_earth(np.full(721, 180.0), _OUTLINE_LATS)[0])


@dataclass(frozen=True)
class Frame:
    """The map's drawing area in CSS pixels, and the geo properties that frame it."""

    width: float
    height: float
    geo: dict
    # Below 1, the map is taken as that much smaller about its middle: an estimated area
    # may be larger than the one drawn.
    shrink: float = 1.0

    @cached_property
    def _fit(self) -> tuple[float, float, float]:
        """The scale and the projected middle of the frame's lon/lat box, as Plotly fits
        the box into the area."""
        bx, by = natural_earth(*range_box(self.geo))
        scale = self.shrink * min(self.width / (bx.max() - bx.min()),
                                  self.height / (by.max() - by.min()))
        return scale, (bx.max() + bx.min()) / 2, (by.max() + by.min()) / 2

    @property
    def _lon_0(self) -> float:
        return self.geo.get("projection.rotation.lon", 0) or 0

    def project(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Pixel x (from the left) and y (from the top) of points, centred in the area."""
        scale, middle_x, middle_y = self._fit
        x, y = natural_earth(np.asarray(lon, dtype=float) - self._lon_0,
                             np.asarray(lat, dtype=float))
        return (self.width / 2 + scale * (x - middle_x),
                self.height / 2 - scale * (y - middle_y))

    def holds(self, left: float, top: float, right: float, bottom: float) -> bool:
        """Whether a box is inside the area and, on a world map, inside the globe's
        outline (Plotly clips what lies outside it)."""
        if not (left >= 0 and top >= 0 and right <= self.width and bottom <= self.height):
            return False
        west, east = self.geo["lonaxis.range"]
        if east - west < 360:
            return True
        scale, middle_x, middle_y = self._fit
        # The globe is narrowest at whichever of the box's top and bottom is farther from
        # the equator: the outline's half-width there bounds both sides.
        projected_y = middle_y - (np.array([top, bottom]) - self.height / 2) / scale
        edge = np.interp(projected_y, *_OUTLINE_HALF_WIDTH).min()
        return max(abs(middle_x + (left - self.width / 2) / scale),
                   abs(middle_x + (right - self.width / 2) / scale)) <= edge

    def degrees_per_pixel(self, lon: float, lat: float) -> tuple[float, float]:
        """How many degrees of longitude and latitude one pixel right and one pixel up are,
        near a point: a fan of symbols is laid out in pixels."""
        x, y = self.project([lon, lon + 0.1, lon], [lat, lat, lat + 0.1])
        return 0.1 / max(abs(x[1] - x[0]), 1e-9), 0.1 / max(abs(y[0] - y[2]), 1e-9)


@dataclass
class Place:
    """Something to name: where it is drawn, its name, the radius of its symbol (0 for a
    country's name, drawn centred on its point), and whether it must be named or listed."""

    lon: float
    lat: float
    name: str
    radius: float
    symbol: bool = True


@dataclass
class Placement:
    """Per place: the text drawn (its name, its number, or "") and its text position; and
    the key's entries, "number name", and the places not named at all."""

    text: list[str] = field(default_factory=list)
    position: list[str] = field(default_factory=list)
    key: list[str] = field(default_factory=list)  # "number name"
    # Places a crowd of lines and names leaves no room for even a number: said so.
    unnamed: list[str] = field(default_factory=list)
    # The direction and distance a moved name went, in px from its place (right, down);
    # (0, 0) when the name sits beside its symbol.
    moved: list[tuple[float, float]] = field(default_factory=list)
    # Where a moved name is anchored (lon, lat); None when it sits beside its symbol.
    anchor: list[tuple[float, float] | None] = field(default_factory=list)


def text_box(x: float, y: float, text: str, position: str, radius: float,
             size: float) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) a one-line text takes at a text position, as
    Plotly draws it."""
    width = text_width(text, size)
    height = size * LINE_HEIGHT
    offset = radius / 0.8 + 1 if radius else 0
    vertical, _, horizontal = position.partition(" ")
    left = {"right": x + offset, "left": x - offset - width}.get(horizontal, x - width / 2)
    top = {"top": y - offset - height, "bottom": y + offset}.get(vertical, y - height / 2)
    return left, top, left + width, top + height


CELL = 64.0  # px: the grid boxes and lines are bucketed on


def _grid_cells(box):
    """The grid cells a box (left, top, right, bottom) meets."""
    left, top, right, bottom = box
    for i in range(int(left // CELL), int(right // CELL) + 1):
        for j in range(int(top // CELL), int(bottom // CELL) + 1):
            yield i, j


class _Grid:
    """Things (boxes, segments) with their owners, bucketed on a grid by the box they span,
    so that a check looks at neighbours only."""

    def __init__(self):
        self.cells: dict[tuple[int, int], list] = {}

    def add(self, span, thing, owner) -> None:
        for cell in _grid_cells(span):
            self.cells.setdefault(cell, []).append((thing, owner))

    def near(self, box):
        """(thing, owner) pairs in the cells `box` meets (a thing in two cells comes twice)."""
        for cell in _grid_cells(box):
            yield from self.cells.get(cell, ())


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _around(segment) -> tuple[float, float, float, float]:
    """The box a segment (x0, y0, x1, y1) spans."""
    x0, y0, x1, y1 = segment
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def crosses(segment, box) -> bool:
    """Whether a segment (x0, y0, x1, y1) enters a box (left, top, right, bottom): the
    Liang–Barsky clip leaves some of it inside."""
    x0, y0, x1, y1 = segment
    left, top, right, bottom = box
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
        if p == 0:
            if q < 0:
                return False  # parallel to this edge and outside it
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def line_segments(frame: Frame, lons, lats, pieces: int = 8) -> list[tuple]:
    """Lines given as lon/lat with None between them (as Plotly takes them), as segments in
    the frame's px, each line cut in `pieces` along its great circle as Plotly draws it."""
    segments = []
    for start in range(0, len(lons) - 1, 3):
        lon_a, lat_a, lon_b, lat_b = lons[start], lats[start], lons[start + 1], lats[start + 1]
        line_lons, line_lats = great_circle(lon_a, lat_a, lon_b, lat_b, pieces + 1)
        xs, ys = frame.project(line_lons, line_lats)
        segments += [(xs[i], ys[i], xs[i + 1], ys[i + 1]) for i in range(pieces)]
    return segments


def polyline_segments(frame: Frame, lons, lats) -> list[tuple]:
    """Lines given point after point, each ended by None (an area's dotted outline), as
    segments in the frame's px."""
    xs, ys = frame.project([0.0 if lon is None else lon for lon in lons],
                           [0.0 if lat is None else lat for lat in lats])
    return [(xs[i], ys[i], xs[i + 1], ys[i + 1]) for i in range(len(lons) - 1)
            if lons[i] is not None and lons[i + 1] is not None]


def place(frame: Frame, places: list[Place], size: float, keep_off=(),
          lines=()) -> Placement:
    """Names for `places`, in order of priority, within the frame, off the boxes `keep_off`
    (left, top, right, bottom in px) and clear of `lines` (segments in px), with no leader
    line crossing a name."""
    xs, ys = frame.project([p.lon for p in places], [p.lat for p in places])
    taken = _Grid()  # boxes: symbols, names, what to keep off
    for box in keep_off:
        taken.add(box, box, "kept off")
    drawn = _Grid()  # segments: lines no name may cross
    for segment in lines:
        drawn.add(_around(segment), segment, "line")
    for index, (p, x, y) in enumerate(zip(places, xs, ys)):
        if p.symbol:
            symbol = (x - p.radius, y - p.radius, x + p.radius, y + p.radius)
            taken.add(symbol, symbol, index)
    placement = Placement(text=[""] * len(places), position=["middle right"] * len(places),
                          moved=[(0.0, 0.0)] * len(places), anchor=[None] * len(places))

    names = _Grid()  # the names' boxes alone: what a leader line may not cross

    def try_text(index: int, text: str, positions, shift=(0.0, 0.0), radius=None,
                 anchor=None, at=None) -> bool:
        """`at`: the px where `anchor` (lon, lat) projects, for a moved name."""
        p = places[index]
        x, y = (xs[index], ys[index]) if anchor is None else at
        for position in positions:
            left, top, right, bottom = text_box(x, y, text, position,
                                                p.radius if radius is None else radius, size)
            box = (left - GAP, top - GAP, right + GAP, bottom + GAP)
            if frame.holds(left, top, right, bottom) \
                    and not any(who != index and _overlap(box, other)
                                for other, who in taken.near(box)) \
                    and not any(who != index and crosses(segment, box)
                                for segment, who in drawn.near(box)):
                taken.add(box, box, ("text", index))
                names.add(box, box, index)
                placement.text[index], placement.position[index] = text, position
                placement.moved[index], placement.anchor[index] = shift, anchor
                return True
        return False

    (west, east), (south, north) = frame.geo["lonaxis.range"], frame.geo["lataxis.range"]

    def leader_free(leader, index: int) -> bool:
        """No leader line crosses a name (it may pass over a symbol, as it did before)."""
        return not any(who != index and crosses(leader, box)
                       for box, who in names.near(_around(leader)))

    def try_moved(index: int, text: str, farther: bool = False) -> bool:
        """The name moved out on a leader line; `farther`, a number, which may go twice
        as far (a number is short, and its key says what it names)."""
        p = places[index]
        per_x, per_y = frame.degrees_per_pixel(p.lon, p.lat)
        reach = p.radius
        # Leaders a reader's eye follows: a few type sizes from the symbols' edge, whatever
        # their reach (a name far off on a long leader reads as another place's: "Phnom
        # Penh" over Borneo). Past that, a number; past a number's, the key alone.
        leaders = LEADER_LENGTHS + (NUMBER_LEADER_LENGTHS if farther else ())
        distances = tuple(reach + length * size for length in leaders)
        directions = LEADER_DIRECTIONS + NUMBER_DIRECTIONS if farther else LEADER_DIRECTIONS
        # Every spot the name may move to, nearest first, projected at once.
        spots = [(distance, dx, dy) for distance in distances for dx, dy in directions]
        lons = [p.lon + dx * distance * per_x for distance, dx, dy in spots]
        lats = [p.lat - dy * distance * per_y for distance, dx, dy in spots]
        # A leader line ends at the spot; the name is drawn where its anchor (the spot, to
        # 4 decimals as sent to Plotly) projects.
        leader_xs, leader_ys = frame.project(lons, lats)
        anchor_xs, anchor_ys = frame.project([round(lon, 4) for lon in lons],
                                             [round(lat, 4) for lat in lats])
        for number, (distance, dx, dy) in enumerate(spots):
            lon, lat = lons[number], lats[number]
            # Past the frame's edge of longitudes the name would wrap to the far side.
            if not (west <= lon <= east and south <= lat <= north):
                continue
            side = "middle right" if dx > 0 else "middle left" if dx < 0 else \
                "bottom center" if dy > 0 else "top center"
            # The leader runs from the symbol's edge to the name, over no other name.
            leader = (xs[index] + dx * reach, ys[index] + dy * reach,
                      float(leader_xs[number]), float(leader_ys[number]))
            if not leader_free(leader, index):
                continue
            # Drawn where the anchor projects: meridians curve, so not quite `distance`
            # px away on a world map.
            if try_text(index, text, [side], (dx * distance, dy * distance), 0.0,
                        (round(lon, 4), round(lat, 4)),
                        (float(anchor_xs[number]), float(anchor_ys[number]))):
                drawn.add(_around(leader), leader, index)
                return True
        return False

    def on_symbol(index: int, number: str) -> bool:
        """The number on its own symbol, which no other name covers, unless a line (a
        spoke from its seat) crosses it there."""
        box = text_box(xs[index], ys[index], number, "middle center", 0.0, size)
        if any(crosses(segment, box) for segment, _ in drawn.near(box)):
            return False
        placement.text[index], placement.position[index] = number, "middle center"
        placement.moved[index], placement.anchor[index] = (0.0, 0.0), None
        return True

    for index, p in enumerate(places):
        seen = 0 <= xs[index] <= frame.width and 0 <= ys[index] <= frame.height
        if not seen or (index >= MOST_NAMED and p.symbol):
            continue  # out of the frame, or one of too many
        # A country's name goes on its point, or just above or below it when a place's
        # symbol or name is there already (its capital's, often).
        positions = POSITIONS if p.symbol else ["middle center", "top center", "bottom center"]
        if try_text(index, p.name, positions) or not p.symbol or try_moved(index, p.name):
            continue
        number = str(len(placement.key) + 1)
        if try_text(index, number, POSITIONS) or try_moved(index, number, farther=True) \
                or on_symbol(index, number):
            placement.key.append(f"{number} {p.name}")
        else:
            placement.unnamed.append(p.name)
    return placement
