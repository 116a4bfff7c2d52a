"""Where the map looks for a region: the projection's centre and the ranges that frame it."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from presence.dataset import Dataset
from presence.memo import per_dataset

WORLD: dict[str, Any] = {"projection.rotation.lon": 0, "projection.scale": 1, "center.lon": 0, "center.lat": 12,
         "lonaxis.range": [-180, 180], "lataxis.range": [-60, 85]}
PADDING_DEGREES = 4
# A country's frame is at least this wide and tall: its neighbours and seas around it.
NEIGHBOURHOOD_DEGREES = 16
MAX_PADDING_DEGREES = 10


def region_geo(dataset: Dataset, region: str | None) -> dict:
    """Geo layout properties that fit the map to `region` (the world when None or 'world')."""
    if region in (None, "world"):
        return dict(WORLD)
    return _around(dataset, sorted(dataset.region_members[region]), PADDING_DEGREES)


def view_geo(dataset: Dataset, region: str | None, selected: str | None) -> dict:
    """The frame of a view: a selected country with its neighbourhood, else the region."""
    if selected and selected.startswith("country:") \
            and selected.removeprefix("country:") in dataset.countries.index:
        iso3 = selected.removeprefix("country:")
        key, frame_of = f"country:{iso3}", lambda: country_geo(dataset, iso3)
    else:
        key, frame_of = f"region:{region}", lambda: region_geo(dataset, region)
    # Every answer asks for its frame: each is computed once per data set (a few regions,
    # the countries opened).
    frames = _frames(dataset)
    if key not in frames:
        frames[key] = frame_of()
    # A copy: callers may change what they get.
    return {name: list(value) if isinstance(value, list) else value
            for name, value in frames[key].items()}


@per_dataset
def _frames(_dataset: Dataset) -> dict[str, dict]:
    """The frames of a data set's regions and countries computed so far."""
    return {}


def country_geo(dataset: Dataset, iso3: str) -> dict:
    """Geo layout properties that frame one country with its neighbourhood: padded by 30 %
    of its own span, at most MAX_PADDING_DEGREES (a large country's frame stays on it), and
    at least NEIGHBOURHOOD_DEGREES across, so that an island state shows the coasts and
    seas around it and a reader can tell where it is."""
    part = _largest_part(dataset.countries.geometry[iso3])
    west, south, east, north = part.bounds
    span = max(east - west, north - south)
    return _around(dataset, [iso3], min(span * 0.3, MAX_PADDING_DEGREES), NEIGHBOURHOOD_DEGREES)


def _around(dataset: Dataset, codes: list[str], padding: float, least: float = 0) -> dict:
    """The frame around some countries, `padding` degrees on each side, and at least
    `least` degrees in longitude and in latitude.

    Longitudes are taken east of the countries' westernmost point, so countries that span
    the antimeridian (the Pacific) are framed as one piece instead of the whole globe.
    """
    countries = dataset.countries.loc[codes]
    # Each country's largest part frames it: France's Clipperton or Norway's Bouvet Island
    # would otherwise stretch Europe across oceans.
    main_parts = countries.geometry.map(_largest_part)
    points = main_parts.representative_point()
    bounds = main_parts.bounds
    # A part that itself spans the antimeridian (Russia's east) is placed by its inner point.
    wide = (bounds["maxx"] - bounds["minx"]) > 180
    west = np.where(wide, points.x - 2, bounds["minx"])
    east = np.where(wide, points.x + 2, bounds["maxx"])
    lons = np.concatenate([west, east])
    shift = _best_cut(lons)
    lons = (lons - shift) % 360 + shift
    if lons.min() >= 180:
        lons = lons - 360  # west of Greenwich reads as negative longitudes
    lon_range = _at_least(float(lons.min()) - padding, float(lons.max()) + padding, least)
    low, high = _at_least(float(bounds["miny"].min()) - padding,
                          float(bounds["maxy"].max()) + padding, least)
    lat_range = [max(low, -85), min(high, 85)]
    middle = round((lon_range[0] + lon_range[1]) / 2, 2)
    # Scale and centre are reset too, or a zoom the user made would survive the change.
    return {"projection.rotation.lon": middle, "projection.scale": 1,
            "center.lon": middle, "center.lat": round((lat_range[0] + lat_range[1]) / 2, 2),
            "lonaxis.range": [round(v, 2) for v in lon_range],
            "lataxis.range": [round(v, 2) for v in lat_range]}


def _at_least(low: float, high: float, span: float) -> list[float]:
    """The range widened about its middle to `span` if it is narrower."""
    extra = max(span - (high - low), 0) / 2
    return [low - extra, high + extra]


def _best_cut(lons: np.ndarray) -> float:
    """The longitude at which to cut the circle so the region's longitudes are narrowest:
    just past the widest gap between them."""
    ordered = np.sort(lons % 360)
    gaps = np.diff(np.concatenate([ordered, [ordered[0] + 360]]))
    widest = int(np.argmax(gaps))
    return float(ordered[(widest + 1) % len(ordered)])


def _largest_part(geometry):
    return max(getattr(geometry, "geoms", [geometry]), key=lambda part: part.area)


def frame_aspect(geo: dict) -> float | None:
    """Width over height of the frame Plotly draws for geo properties holding lon/lat axis
    ranges (natural earth projection), or None when it cannot be told (other projections)."""
    if geo.get("projection.type", "natural earth") != "natural earth":
        return None
    (west, east), (south, north) = geo["lonaxis.range"], geo["lataxis.range"]
    return _aspect(west, east, south, north, geo.get("projection.rotation.lon", 0) or 0)


@lru_cache(maxsize=4096)
def _aspect(west: float, east: float, south: float, north: float, lon_0: float) -> float:
    # A view's answer measures the same few frames a dozen times (legend beside or under
    # the map, fitted to the room): remember them.
    x, y = natural_earth(*range_box({"lonaxis.range": [west, east], "lataxis.range": [south, north],
                                     "projection.rotation.lon": lon_0}))
    return float((x.max() - x.min()) / (y.max() - y.min()))


# Plotly pads the frame's ranges by this much (geo constants.clipPad).
CLIP_PAD = 0.001


def range_box(geo: dict, per_edge: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """The outline Plotly fits into the drawing area for a frame, as lon (from the
    projection's centre) and lat: the polygon of plotly.js's makeRangeBox, four segments
    along each parallel, whose edges are great circles (d3-geo's), so a wide frame's top and
    bottom bulge towards the poles."""
    (west, east), (south, north) = geo["lonaxis.range"], geo["lataxis.range"]
    west, east, south, north = west + CLIP_PAD, east - CLIP_PAD, south + CLIP_PAD, north - CLIP_PAD
    step = (east - west) / 4
    corners = [(west, south), (west, north), *((west + i * step, north) for i in (1, 2, 3)),
               (east, north), (east, south), *((east - i * step, south) for i in (1, 2, 3)),
               (west, south)]
    lon_0 = geo.get("projection.rotation.lon", 0) or 0
    ends = np.array(corners, dtype=float)
    ends[:, 0] -= lon_0
    lon, lat = great_circles(ends[:-1], ends[1:], per_edge)
    return lon.ravel(), lat.ravel()


def great_circles(starts: np.ndarray, ends: np.ndarray,
                  points: int) -> tuple[np.ndarray, np.ndarray]:
    """great_circle for many edges at once (rows of lon, lat in degrees): the same numbers,
    without a Python loop (a frame's fit measures hundreds of frames per request)."""
    def vectors(lon_lat):
        lon, lat = np.radians(lon_lat[:, 0]), np.radians(lon_lat[:, 1])
        return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)],
                        axis=1)

    a, b = vectors(starts), vectors(ends)
    angle = np.arccos(np.clip(np.array([row_a @ row_b for row_a, row_b in zip(a, b)]), -1, 1))
    t = np.linspace(0, 1, points)
    still = angle < 1e-9
    safe = np.where(still, 1.0, angle)
    v = (np.sin(np.outer(safe, 1 - t))[:, :, None] * a[:, None, :]
         + np.sin(np.outer(safe, t))[:, :, None] * b[:, None, :]) / np.sin(safe)[:, None, None]
    lon = np.degrees(np.arctan2(v[:, :, 1], v[:, :, 0]))
    lat = np.degrees(np.arcsin(np.clip(v[:, :, 2], -1, 1)))
    lon_a = starts[:, 0][:, None]
    # Back near a's longitude: ±180° wraps are the projection's business.
    lon = lon_a + (lon - lon_a + 180) % 360 - 180
    lon = np.where(still[:, None], lon_a, lon)
    lat = np.where(still[:, None], starts[:, 1][:, None], lat)
    return lon, lat


def great_circle(lon_a, lat_a, lon_b, lat_b, points: int) -> tuple[np.ndarray, np.ndarray]:
    """Points along the great circle from a to b (degrees), a and b included; longitudes
    continue a's (no wrap at ±180°, which the projection does)."""
    def vector(lon, lat):
        lon, lat = np.radians(lon), np.radians(lat)
        return np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])

    a, b = vector(lon_a, lat_a), vector(lon_b, lat_b)
    angle = np.arccos(np.clip(a @ b, -1, 1))
    t = np.linspace(0, 1, points)
    if angle < 1e-9:
        return np.full(points, float(lon_a)), np.full(points, float(lat_a))
    v = (np.sin((1 - t) * angle)[:, None] * a + np.sin(t * angle)[:, None] * b) / np.sin(angle)
    lon = np.degrees(np.arctan2(v[:, 1], v[:, 0]))
    lat = np.degrees(np.arcsin(np.clip(v[:, 2], -1, 1)))
    # Back near a's longitude: ±180° wraps are the projection's business.
    lon = lon_a + (lon - lon_a + 180) % 360 - 180
    return lon, lat


def natural_earth(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Natural Earth projection (Šavrič et al. 2011) as d3-geo, hence Plotly, computes it."""
    wrapped = (lon + 180) % 360 - 180
    # A frame's east edge at +180° stays east (the modulo would send it west).
    lam = np.radians(np.where((wrapped == -180) & (lon > 0), 180.0, wrapped))
    phi = np.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


# The world frame may give up polar rows to fill a wide room, down to these latitudes; it
# never gains rows (the polar seas hold no record).
WIDEST_WORLD = (-48, 78)
TALLEST_WORLD = (-60, 85)


def fit_to_room(geo: dict, aspect: float) -> dict:
    """`geo` with its frame widened (never narrowed) in longitude or latitude about its
    middle, so that its shape is the room's (`aspect`, width over height) and the map fills
    the room instead of leaving bands of paper. The world gives or takes polar rows instead,
    between TALLEST_WORLD and WIDEST_WORLD."""
    # Every redraw fits the same few frames to the same few rooms: remember them.
    return _as_dict(_fitted(_as_key(geo), round(aspect, 3)))


def _as_key(geo: dict) -> tuple:
    """Geo properties as a hashable key (lists as tuples), and back: the cache's values
    must not be shared lists a caller could change."""
    return tuple(sorted((name, tuple(value) if isinstance(value, list) else value)
                        for name, value in geo.items()))


def _as_dict(key: tuple) -> dict:
    return {name: list(value) if isinstance(value, tuple) else value for name, value in key}


@lru_cache(maxsize=512)
def _fitted(key: tuple, aspect: float) -> tuple:
    return _as_key(_fit(_as_dict(key), aspect))


def _fit(geo: dict, aspect: float) -> dict:
    now = frame_aspect(geo)
    if now is None or not aspect > 0 or abs(now - aspect) < 0.01:
        return dict(geo)
    (west, east), (south, north) = geo["lonaxis.range"], geo["lataxis.range"]
    if east - west >= 360:
        return _world_rows(geo, aspect)

    def with_ranges(lon_range, lat_range) -> dict:
        fitted = dict(geo, **{"lonaxis.range": [round(v, 2) for v in lon_range],
                              "lataxis.range": [round(v, 2) for v in lat_range]})
        fitted["center.lat"] = round((fitted["lataxis.range"][0] + fitted["lataxis.range"][1]) / 2, 2)
        return fitted

    def widened(factor: float) -> dict:
        if now < aspect:  # the room is wider: more longitude
            half = min((east - west) * factor, 359) / 2
            middle = (west + east) / 2
            return with_ranges([middle - half, middle + half], [south, north])
        half = (north - south) * factor / 2
        low, high = (south + north) / 2 - half, (south + north) / 2 + half
        # Past a pole the frame slides back rather than folding over.
        low, high = max(low - max(high - 85, 0), -85), min(high + max(-85 - low, 0), 85)
        return with_ranges([west, east], [low, high])

    low, high = 1.0, 8.0
    for _ in range(30):  # bisect the widening factor: the frame's shape changes monotonically
        middle = (low + high) / 2
        shape = frame_aspect(widened(middle))
        if (shape < aspect) == (now < aspect):
            low = middle
        else:
            high = middle
    return widened(low)


def _world_rows(geo: dict, aspect: float) -> dict:
    """The world frame with the latitude rows whose shape is nearest the room's."""
    best, best_error = dict(geo), abs(frame_aspect(geo) - aspect)
    for south in range(TALLEST_WORLD[0], WIDEST_WORLD[0] + 1):
        for north in range(WIDEST_WORLD[1], TALLEST_WORLD[1] + 1):
            candidate = dict(geo, **{"lataxis.range": [south, north]})
            error = abs(frame_aspect(candidate) - aspect)
            # Prefer the usual rows when rooms differ little: fewer frames, fewer surprises.
            if error < best_error - 0.02:
                best, best_error = candidate, error
    best["center.lat"] = round(sum(best["lataxis.range"]) / 2, 2)
    return best
