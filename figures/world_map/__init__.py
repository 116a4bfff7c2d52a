"""The map: countries shaded by records in view, project footprints, coverage zones with their
spokes, the selection, and one marker trace per legend category.

The traces sit in fixed slots, described once in `slots.py`. Geometry and styles are set once
(`traces.py`); a change of view only sends `view_data` (`view_data.py`), the few properties
that depend on the records. The rest of the package: how the map looks (`style.py`), the room
and its legend (`room.py`), the polygons (`areas.py`), the names (`names.py`), and the whole
figure (`figure.py`).
"""

from figures.world_map.areas import GeoSources, areas_geojson, countries_geojson
from figures.world_map.figure import PLACEHOLDER, build_map, map_figure, map_layout
from figures.world_map.room import Room, in_legend, legend_group_height, legend_group_width
from figures.world_map.slots import display_sizes, label_slots, mode_sizes, sized_slots, trace_names
from figures.world_map.style import COLOURBAR, OCEAN, PRESENTING_SCALE, SELECTION, SIZES
from figures.world_map.traces import KEY_RANK
from figures.world_map.view_data import view_data

__all__ = ["COLOURBAR", "KEY_RANK", "OCEAN", "PLACEHOLDER", "PRESENTING_SCALE", "SELECTION",
           "SIZES", "GeoSources", "Room", "areas_geojson", "build_map", "countries_geojson",
           "display_sizes", "in_legend", "label_slots", "legend_group_height",
           "legend_group_width", "map_figure", "map_layout", "mode_sizes", "sized_slots",
           "trace_names", "view_data"]
