"""Where the map looks for a region: the projection's centre and the ranges that frame it."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from presence.dataset import Dataset

WORLD = {"projection.rotation.lon": 0, "projection.scale": 1, "center.lon": 0, "center.lat": 12,
         "lonaxis.range": [-180, 180], "lataxis.range": [-60, 85]}
PADDING_DEGREES = 4


def region_geo(dataset: Dataset, region: str | None) -> dict:
    """Geo layout properties that fit the map to `region` (the world when None or 'world').

    Longitudes are taken east of the region's westernmost point, so a region that spans the
    antimeridian (the Pacific) is framed as one piece instead of the whole globe.
    """
    if region in (None, "world"):
        return dict(WORLD)
    countries = dataset.countries.loc[sorted(dataset.region_members[region])]
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
    lon_range = [float(lons.min()) - PADDING_DEGREES, float(lons.max()) + PADDING_DEGREES]
    lat_range = [max(float(bounds["miny"].min()) - PADDING_DEGREES, -85),
                 min(float(bounds["maxy"].max()) + PADDING_DEGREES, 85)]
    middle = round((lon_range[0] + lon_range[1]) / 2, 2)
    # Scale and centre are reset too, or a zoom the user made would survive the change.
    return {"projection.rotation.lon": middle, "projection.scale": 1,
            "center.lon": middle, "center.lat": round((lat_range[0] + lat_range[1]) / 2, 2),
            "lonaxis.range": [round(v, 2) for v in lon_range],
            "lataxis.range": [round(v, 2) for v in lat_range]}


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
    lon_0 = geo.get("projection.rotation.lon", 0)
    # Plotly fits the projected outline of the lon/lat box; sample its edges, which curve.
    lons = np.linspace(west, east, 60)
    lats = np.linspace(south, north, 60)
    box_lon = np.concatenate([lons, np.full(60, east), lons, np.full(60, west)])
    box_lat = np.concatenate([np.full(60, south), lats, np.full(60, north), lats])
    x, y = natural_earth(box_lon - lon_0, box_lat)
    return float((x.max() - x.min()) / (y.max() - y.min()))


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
