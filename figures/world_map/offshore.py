"""Fans of symbols set off a small country's land, onto the sea beside it.

Where several categories share a place, their symbols are spread on a ring around it
(view_data._fan). On a country drawn small (Madagascar in the Indian Ocean view of a
laptop), those rings cover most of its land, and a click meant for the country opens a
record instead. Such a ring is moved to the nearest spot of open sea, clear of every
country's land and of the other rings, with a leader line back to its place, as printed
maps set a callout; the country's land is left to click. A ring with no open sea near (a
landlocked country) stays where it is, and so does one on a country drawn smaller than the
ring (Djibouti in a regional view): a click in the ring's middle opens its card.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import box

from figures.name_placement import Frame
from presence.dataset import Dataset
from presence.memo import per_dataset

# A ring covering more than this share of its country's land (as drawn) moves off it.
FLOOD_SHARE = 0.25
GAP = 3.0  # px kept between a moved ring and any land or other ring
# How far a ring may go, in its own radii; and the steps it tries (px, degrees).
FARTHEST = 4.0
STEP_PX = 3.0
ANGLES = np.radians(np.arange(0, 360, 10))


def offshore(dataset: Dataset, frame: Frame,
             fans: dict[tuple[float, float], tuple[str | None, float]]
             ) -> dict[tuple[float, float], tuple[float, float]]:
    """For the places in `fans` (place → its host country's iso3, the reach of its symbols
    in px), those whose ring must leave its country's land: where its centre goes instead,
    in px from the place (right, down). Larger rings are placed first."""
    if not fans:
        return {}
    places = list(fans)
    xs, ys = frame.project([lon for lon, _ in places], [lat for _, lat in places])
    discs = {place: [float(x), float(y), fans[place][1]] for place, x, y in zip(places, xs, ys)}
    moved = {}
    for place in sorted(places, key=lambda p: -fans[p][1]):
        iso3, reach = fans[place]
        if iso3 is None or iso3 not in dataset.countries.index or reach <= 0:
            continue
        x, y, _ = discs[place]
        window = _window(frame, place, reach * (FARTHEST + 1))
        own = _drawn_parts(dataset, frame, window, [dataset.countries.index.get_loc(iso3)])
        if not len(own):
            continue
        land_here = shapely.area(own[np.argmin(shapely.distance(own, shapely.Point(x, y)))])
        ring_area = math.pi * reach ** 2
        if land_here < ring_area or ring_area <= FLOOD_SHARE * land_here:
            continue
        neighbours = dataset.countries.sindex.query(window, predicate="intersects")
        land = shapely.multipolygons(_drawn_parts(dataset, frame, window, neighbours))
        others = [disc for other, disc in discs.items() if other != place]
        centre = _open_sea(frame, land, others, x, y, reach)
        if centre is not None:
            moved[place] = (centre[0] - x, centre[1] - y)
            discs[place] = [centre[0], centre[1], reach]
    return moved


def _window(frame: Frame, place: tuple[float, float], radius_px: float):
    """The lon/lat box `radius_px` around a place."""
    per_x, per_y = frame.degrees_per_pixel(*place)
    lon, lat = place
    return box(lon - radius_px * per_x, max(lat - radius_px * per_y, -90),
               lon + radius_px * per_x, min(lat + radius_px * per_y, 90))


def _drawn_parts(dataset: Dataset, frame: Frame, window, positions) -> np.ndarray:
    """The land of the countries at `positions` (in dataset.countries) within the lon/lat
    `window`, as polygons in px (their outer rings: a lake is no sea to set a ring on)."""
    clipped = shapely.clip_by_rect(_shapes(dataset)[np.asarray(positions, dtype=np.intp)],
                                   *window.bounds)
    parts = shapely.get_parts(clipped)
    parts = parts[(shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)]
    if not len(parts):
        return parts
    coords, ring = shapely.get_coordinates(shapely.get_exterior_ring(parts), return_index=True)
    x, y = frame.project(coords[:, 0], coords[:, 1])
    return shapely.polygons(shapely.linearrings(np.column_stack([x, y]), indices=ring))


@per_dataset
def _shapes(dataset: Dataset) -> np.ndarray:
    """The countries' shapes as an array, taken by position: a GeoSeries selection by
    code costs more than the clipping."""
    return dataset.countries.geometry.to_numpy()


def _open_sea(frame: Frame, land, others: list[list[float]], x: float, y: float,
              reach: float) -> tuple[float, float] | None:
    """The nearest centre (px) for a ring of radius `reach` clear of `land` and of the
    `others` rings (x, y, radius), within the frame; None if there is none near."""
    distances = np.arange(reach + GAP, reach * FARTHEST + STEP_PX, STEP_PX)
    d, angle = np.meshgrid(distances, ANGLES, indexing="ij")
    cx, cy = (x + d * np.cos(angle)).ravel(), (y + d * np.sin(angle)).ravel()
    ok = (cx >= reach) & (cx <= frame.width - reach) & (cy >= reach) & \
        (cy <= frame.height - reach)
    for ox, oy, radius in others:
        ok &= np.hypot(cx - ox, cy - oy) >= reach + radius + GAP
    if not ok.any():
        return None
    candidates = np.flatnonzero(ok)
    # Clear: farther than reach + GAP from the land. Asked of the prepared land ("within
    # that distance?") rather than measured from each point: a third of the time.
    shapely.prepare(land)
    clear = ~shapely.dwithin(land, shapely.points(cx[candidates], cy[candidates]), reach + GAP)
    if not clear.any():
        return None
    first = candidates[np.flatnonzero(clear)[0]]  # the nearest: distances grow first
    return float(cx[first]), float(cy[first])
