"""How the map looks: colours, opacities, sizes of symbols and type."""

from __future__ import annotations

CHOROPLETH_SCALE = [[0.0, "#f4f4f2"], [0.001, "#dedcd6"], [1.0, "#6b6860"]]
OCEAN = "#e9f1f6"
SELECTION = "#111111"
COVERAGE = "#5a5a5a"
FOOTPRINT_OPACITY = 0.35
# An approximate extent (a stand-in for the source's words) is filled fainter and outlined
# with dots, so that nobody reads it as the list of countries a source gives.
APPROXIMATE_OPACITY = 0.09
APPROXIMATE_LINE = "#3d3a35"

# Sizes of symbols and legend type on screen; presentation mode multiplies them so they read
# from the back of a room. A trace slot's kind names its entry (figures.world_map.slots).
SIZES = {"category": 11, "small-states": 9, "selection-point": 24, "legend": 11, "label": 11,
         "country-label": 10}
PRESENTING_SCALE = 1.7
LABEL_COLOUR = "#1d1b18"
# Dark enough to read over a footprint's fill.
COUNTRY_LABEL_COLOUR = "#3f3b35"
# A light halo keeps a name legible over any fill.
HALO = "0px 0px 2px #ffffff, 0px 0px 2px #ffffff"
# Clusters of records (figures/world_map/clustering.py): dark and neutral, as no theme owns
# them, numbered in white.
CLUSTER_FILL = "#3d3a35"
CLUSTER_OUTLINE = {"color": "#ffffff", "width": 1.2}
# Symbols are outlined dark, so that they read on the pale ocean and on their theme's fill.
SYMBOL_OUTLINE = {"color": "#1d1b18", "width": 0.8}
# The colour bar's box in px (width, height, its two-line title included), in the map's
# lower left corner (south-east Pacific on the world map: no record there), or the right
# one when fewer symbols lie there: names keep off it.
COLOURBAR = (170, 80)

# Plotly's layout.separators by language: the decimal mark, then the thousands separator.
NUMBER_SEPARATORS = {"en": ".,", "fr": ",\u202f"}
