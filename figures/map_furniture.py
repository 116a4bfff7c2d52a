"""What a printed regional map carries to be read on its own: a scale bar and a locator inset
(the world, with the region's frame outlined), in the map's lower left corner, where the
names keep off (figures.world_map.style.COLOURBAR).

Natural Earth is not an equal-distance projection: the bar is true along the parallel
through the middle of the frame, which its label says.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from figures import name_placement
from figures.region_fit import WORLD, frame_aspect
from figures.world_map import OCEAN
from i18n import tr

KM_PER_DEGREE = 111.32  # along the equator
LAND = "#cfcbc3"
FRAME_LINE = "#c8102e"


def nice_length(most_km: float) -> float:
    """The longest of 1, 2 or 5 × 10ⁿ km that is at most `most_km`."""
    power = 10 ** math.floor(math.log10(most_km))
    return max(step * power for step in (1, 2, 5) if step * power <= most_km)


def true_at(lat: float, lang: str) -> str:
    """Where the bar is true: "at 12° S", or at the equator."""
    if round(lat) == 0:
        return tr("scale equator", lang)
    return tr("scale at", lang, lat=f"{abs(round(lat))}°\u00a0{'N' if lat > 0 else 'S'}")


def km_label(km: float, lang: str) -> str:
    number = f"{km:,.0f}".replace(",", "\u202f" if lang == "fr" else ",")
    return f"{number}\u00a0km"


def scale_bar(frame: name_placement.Frame, longest_px: float) -> tuple[float, float, float]:
    """The bar's length in km and px, at most `longest_px`, and the latitude it is true at."""
    (south, north) = frame.geo["lataxis.range"]
    (west, east) = frame.geo["lonaxis.range"]
    lat, lon = (south + north) / 2, (west + east) / 2
    x, _ = frame.project([lon - 0.5, lon + 0.5], [lat, lat])
    px_per_km = abs(x[1] - x[0]) / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    km = nice_length(longest_px / px_per_km)
    return km, km * px_per_km, lat


def add_furniture(figure: go.Figure, frame: name_placement.Frame, corner: tuple[float, float],
                  box: tuple[float, float], page: tuple[float, float], size: float,
                  lang: str, scale: bool = True, locator: bool = True) -> tuple[list, list]:
    """Draw the locator inset, and lay out the scale bar, in `box` (width, height in px)
    whose lower left corner is `corner` (px from the page's left and top), on a page of
    `page` px. Returns the bar's shapes and annotations, for the page's own lists."""
    width, height = page
    box_width, box_height = box
    left, bottom = corner

    def x(px: float) -> float:
        return px / width

    def y(px: float) -> float:
        return 1 - px / height

    bar_height = size * 2.4 if scale else 0
    shapes, annotations = [], []
    if scale:
        km, length, lat = scale_bar(frame, box_width - size)
        base = bottom - size * 0.6
        # A pale ground, so that the bar reads on any fill.
        shapes.append({"type": "rect", "x0": x(left), "x1": x(left + length + size * 0.8),
                       "y0": y(bottom), "y1": y(bottom - bar_height),
                       "fillcolor": "rgba(255,255,255,0.85)", "line": {"width": 0}})
        for tick in (0, length / 2, length):
            shapes.append({"type": "line", "x0": x(left + size * 0.4 + tick),
                           "x1": x(left + size * 0.4 + tick), "y0": y(base),
                           "y1": y(base - size * 0.5), "line": {"color": "#222222", "width": 1}})
        shapes.append({"type": "line", "x0": x(left + size * 0.4),
                       "x1": x(left + size * 0.4 + length), "y0": y(base), "y1": y(base),
                       "line": {"color": "#222222", "width": 1.5}})
        shapes = [shape | {"xref": "paper", "yref": "paper", "layer": "above"}
                  for shape in shapes]
        annotations.append({
            "text": f"{km_label(km, lang)} ({true_at(lat, lang)})",
            "x": x(left + size * 0.4), "y": y(base - size * 0.5), "xref": "paper",
            "yref": "paper", "xanchor": "left", "yanchor": "bottom", "showarrow": False,
            "font": {"size": size * 0.9}})
    if locator:
        inset_height = box_height - bar_height - size * 0.4
        inset_width = min(box_width, inset_height * frame_aspect(WORLD))
        top = bottom - bar_height - size * 0.4 - inset_height
        _locator(figure, frame.geo, {"x": [x(left), x(left + inset_width)],
                                     "y": [y(top + inset_height), y(top)]})
    return shapes, annotations


def _locator(figure: go.Figure, geo: dict, domain: dict) -> None:
    """A small world (its land from the base map) with the frame's lon/lat box outlined."""
    (west, east), (south, north) = geo["lonaxis.range"], geo["lataxis.range"]
    middle = (west + east) / 2
    edge = np.linspace(0, 1, 24)
    lons = np.concatenate([west + (east - west) * edge, np.full(24, east),
                           east - (east - west) * edge, np.full(24, west)])
    lats = np.concatenate([np.full(24, south), south + (north - south) * edge,
                           np.full(24, north), north - (north - south) * edge])
    figure.add_trace(go.Scattergeo(
        geo="geo2", lon=np.round(lons, 2).tolist(), lat=np.round(lats, 2).tolist(),
        mode="lines", line={"color": FRAME_LINE, "width": 1.2}, hoverinfo="skip",
        showlegend=False, name="locator"))
    figure.update_layout(geo2={
        "domain": domain, "projection": {"type": "natural earth", "rotation": {"lon": middle}},
        "lonaxis": {"range": [middle - 180, middle + 180]},
        "lataxis": {"range": list(WORLD["lataxis.range"])},
        "showland": True, "landcolor": LAND, "showocean": True, "oceancolor": OCEAN,
        "showcountries": False, "showcoastlines": False, "showframe": True,
        "framecolor": "#8a867e", "framewidth": 0.6, "bgcolor": "rgba(0,0,0,0)"})
