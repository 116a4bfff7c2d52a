"""A legend entry's swatch drawn by Plotly itself (its symbol, stroke or fill exactly as
the map draws it): as traces of a slide's own figure (the PDF deck), or as small pictures
cut from one sheet of them (the PowerPoint deck, where the words are native text)."""

from __future__ import annotations

import io

from PIL import Image

from export.renderer import Drawing, Renderer
from figures.fact_sheet import LegendEntry

CELL_PX = 32  # a swatch's square, in CSS px
PICTURE_SCALE = 6  # 192 px a swatch: sharp at a slide's 1.1 em


def swatch_trace(entry: LegendEntry, x: float, y: float, size: float,
                 unit_px: float = 1.0) -> dict:
    """A scatter trace drawing `entry`'s swatch centred at (x, y) in the axes' units
    (`unit_px` CSS px each), `size` CSS px across."""
    style = dict(entry.style)
    trace = {"type": "scatter", "hoverinfo": "skip",
             "showlegend": False, "cliponaxis": False}
    if entry.kind == "line":
        half = size / 2 / unit_px
        return trace | {"mode": "lines", "x": [x - half, x + half], "y": [y, y],
                        "line": {"color": style["color"], "width": style["width"] * 1.6,
                                 "dash": style["dash"]}}
    if entry.kind == "area":
        return trace | {"mode": "markers", "x": [x], "y": [y], "marker": {
            "symbol": "square", "size": size * 0.8, "color": style["fill"],
            "line": {"color": style["line"], "width": 1.5}}}
    return trace | {"mode": "markers", "x": [x], "y": [y], "marker": {
        "symbol": style["symbol"], "size": size * 0.7, "color": style["color"],
        "line": {"color": style["line_color"], "width": style["line_width"]}}}


def swatch_pictures(entries: list[LegendEntry], renderer: Renderer) -> dict[LegendEntry, bytes]:
    """Each distinct entry's swatch as a PNG (transparent around it), from one drawing."""
    distinct = list(dict.fromkeys(entries))
    if not distinct:
        return {}
    width = CELL_PX * len(distinct)
    figure = {"data": [swatch_trace(entry, CELL_PX * (index + 0.5), CELL_PX / 2, CELL_PX)
                       for index, entry in enumerate(distinct)],
              "layout": {"width": width, "height": CELL_PX,
                         "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
                         "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
                         "xaxis": {"visible": False, "range": [0, width], "fixedrange": True},
                         "yaxis": {"visible": False, "range": [CELL_PX, 0]}}}
    drawn = renderer.render_many([Drawing(figure, "png", width, CELL_PX, PICTURE_SCALE)])[0]
    if isinstance(drawn, Exception):
        raise drawn
    sheet = Image.open(io.BytesIO(drawn))
    side = CELL_PX * PICTURE_SCALE
    pictures = {}
    for index, entry in enumerate(distinct):
        out = io.BytesIO()
        sheet.crop((index * side, 0, (index + 1) * side, side)).save(out, "PNG")
        pictures[entry] = out.getvalue()
    return pictures
