"""Symbols grouped where they would crowd the map.

Above CLUSTER_ABOVE symbols in view (one per category and place, as the map draws them), a
map of every symbol is a flood of overlapping shapes that no one can read, and that costs
the browser half a second to draw; so is a region whose places hold more than
PER_PLACE_ABOVE symbols each on average, each fanned on a ring too wide to read (a large
data set seen in a region). The point records are then drawn as clusters instead: one
circle per cell of a grid laid on the view's region, sized and numbered by how many records
it holds. A cluster sits on the place of its cell that holds most of its records, so a
circle is only ever drawn where a source puts a record; its hover says how many places it
stands for, and which categories. Fewer records in view (a theme, a category, the years)
bring the symbols back.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
import pandas as pd

from i18n import labels, number_text, separator, tr
from presence.dataset import Dataset
from presence.layer_registry import POINT_LAYERS

CLUSTER_ABOVE = 2000
PER_PLACE_ABOVE = 8
# The grid's cells are square in degrees, this many across the view's region (about 48 px
# on a 1600 px map), fewer when presenting (the circles are larger): a cluster's circle is
# at most 33 px across, so neighbours rarely touch. The grid is the view's, whatever the
# map's size: an answer to a resize never has to send records (callbacks.view.map_patch).
CELLS_ACROSS = 32
# Two clusters whose places are closer than this share of a cell are one.
JOINED_WITHIN = 0.7
# A cluster's hover lists its categories with the most records, this many.
CATEGORIES_LISTED = 5
# No cluster when there are none: its legend entry goes too.
NO_CLUSTERS = {"lon": [], "lat": [], "showlegend": False}


def symbol_count(points: pd.DataFrame) -> int:
    """How many symbols the map draws for these point records: one per category and place."""
    return points.groupby(["category", "lon", "lat"], sort=False).ngroups


def too_many(points: pd.DataFrame) -> bool:
    """Whether these point records, the ones shown, are drawn as clusters."""
    if len(points) <= CLUSTER_ABOVE and \
            len({c for c in points["category"].tolist() if isinstance(c, str)}) <= PER_PLACE_ABOVE:
        return False  # at most that many symbols a place: spare the counting
    symbols = symbol_count(points)
    places = points.groupby(["lon", "lat"], sort=False).ngroups
    return symbols > CLUSTER_ABOVE or symbols > PER_PLACE_ABOVE * places


def crowded(records: pd.DataFrame) -> bool:
    """Whether the point records among `records` are drawn as clusters."""
    return too_many(records[records["layer"].isin(POINT_LAYERS)])


def circle_size(count: int, scale: float = 1.0) -> float:
    """A cluster's diameter in px: 16 for one record, 5 more for each tenfold."""
    return round((16 + 5 * math.log10(count)) * scale, 1)


def clusters(dataset: Dataset, geo: dict, points: pd.DataFrame, scale: float,
             lang: str) -> dict:
    """The clusters trace's data for the point records shown in the view framed by `geo`
    (figures.region_fit.view_geo), at the symbols' `scale`: largest first, so that a
    smaller one drawn over it stays visible."""
    west, east = geo["lonaxis.range"]
    cell = (east - west) / CELLS_ACROSS * scale
    # Columns from the region's west edge, eastwards across the antimeridian (the Pacific);
    # one integer per cell (rows never reach a thousand).
    columns = np.floor(((points["lon"].to_numpy() - west) % 360) / cell).astype(np.int64)
    rows = np.floor((points["lat"].to_numpy() + 90) / cell).astype(np.int64)
    cells = columns * 1000 + rows
    table = pd.DataFrame({"cell": cells, "lon": points["lon"].to_numpy(),
                          "lat": points["lat"].to_numpy(),
                          "category": points["category"].to_numpy(),
                          "record": points.index.to_numpy()})
    # A cluster near the edge of its cell may sit right beside its neighbour's: the smaller
    # joins the larger, so that no circle hides another.
    table["cell"] = table["cell"].map(_joined(_anchored(table), cell * JOINED_WITHIN))
    anchors = _anchored(table)
    # Each cell's categories, the most records first.
    ranked = table.groupby(["cell", "category"], sort=False).size().reset_index(name="records") \
        .sort_values(["cell", "records"], ascending=[True, False], kind="stable")
    per_cell: dict = {}
    for cell_id, category, count in zip(ranked["cell"].tolist(), ranked["category"].tolist(),
                                        ranked["records"].tolist()):
        per_cell.setdefault(cell_id, []).append((category, count))
    names = labels(dataset.categories, "label", lang)
    hover = [_hover(total, places, per_cell[cell_id], names, lang)
             for cell_id, total, places in zip(anchors.index.tolist(),
                                               anchors["total"].tolist(),
                                               anchors["places"].tolist())]
    return {"lon": anchors["lon"].tolist(), "lat": anchors["lat"].tolist(),
            "text": [number_text(total, lang, 0) for total in anchors["total"]],
            "marker.size": [circle_size(total, scale) for total in anchors["total"]],
            "textfont.size": round(10 * scale, 1),
            "hovertext": hover, "customdata": anchors["first"].tolist(), "showlegend": True}


def _anchored(table: pd.DataFrame) -> pd.DataFrame:
    """Per cell, largest first: the place holding most of its records (the first such, in
    record order), which anchors it, with the first record there; its records and places."""
    places = table.groupby(["cell", "lon", "lat"], sort=False).agg(
        records=("record", "size"), first=("record", "first")).reset_index()
    anchors = places.loc[places.groupby("cell", sort=False)["records"].idxmax()].set_index("cell")
    anchors["total"] = places.groupby("cell", sort=False)["records"].sum()
    anchors["places"] = places.groupby("cell", sort=False).size()
    return anchors.sort_values("total", ascending=False, kind="stable")


def _joined(anchors: pd.DataFrame, within: float) -> dict:
    """Each cell, and the cell it joins: the first larger one anchored `within` degrees of
    its anchor (longitudes shrunk by the cosine of the latitude), else itself."""
    kept: list[tuple[int, float, float]] = []
    joins = {}
    for cell_id, lon, lat in zip(anchors.index.tolist(), anchors["lon"].tolist(),
                                 anchors["lat"].tolist()):
        for kept_id, kept_lon, kept_lat in kept:
            east = ((lon - kept_lon + 180) % 360 - 180) * math.cos(math.radians(lat))
            if math.hypot(east, lat - kept_lat) < within:
                joins[cell_id] = kept_id
                break
        else:
            kept.append((cell_id, lon, lat))
            joins[cell_id] = cell_id
    return joins


def _hover(total: int, places: int, categories: list[tuple[str, int]], names: pd.Series,
           lang: str) -> str:
    """How many records, at how many places, and its categories with the most records
    (`categories`: (category, records), the most first)."""
    header = tr("map records here", lang, count=number_text(total, lang, 0)) if places == 1 \
        else tr("map cluster", lang, count=number_text(total, lang, 0),
                places=number_text(places, lang, 0))
    lines = [f"{escape(str(names.get(category, category)), quote=False)}{separator(lang)}"
             f"{number_text(count, lang, 0)}"
             for category, count in categories[:CATEGORIES_LISTED]]
    if len(categories) > CATEGORIES_LISTED:
        lines.append(tr("map more", lang, count=len(categories) - CATEGORIES_LISTED))
    return "<br>".join([header, *lines])
