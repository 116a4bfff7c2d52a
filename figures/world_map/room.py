"""The room the map is drawn in, and its legend's size: where the legend goes (beside the
map or under it) and the frame left to the map."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from figures import name_placement
from figures.region_fit import fit_to_room, frame_aspect
from figures.text_lines import lines
from figures.world_map.clustering import crowded
from figures.world_map.style import SIZES
from i18n import LANGUAGES, label, tr
from presence.dataset import Dataset
from presence.layer_registry import FILLED_AREA_LAYERS, POINT_LAYERS
from presence.memo import per_dataset

# How much of the estimated map area names are placed in (see Room.frame).
ESTIMATE_MARGIN = 1.0
# Legend type is drawn narrower than the names' generous estimate (name_placement.text_width).
LEGEND_WIDTH_SHARE = 0.9
# Lines of the legend kept for the numbers' key (places named by a number).
NUMBERS_KEPT = 3
# Legend entries wrap past this many characters, so the legend keeps a known width.
LEGEND_CHARACTERS = 34


@dataclass(frozen=True)
class Room:
    """The area the map is drawn in (CSS px) and the scale of its type and symbols
    (PRESENTING_SCALE in presentation mode). The legend sits right of the map in a wide
    room, under it in a narrow one; the map's frame is widened to the shape left to it."""

    width: float = 1100
    height: float = 640
    scale: float = 1.0
    # The legend's groups (a theme, the key), each its title and entries, as shown.
    legend: tuple[tuple[str, ...], ...] = ()

    def legend_type(self, legend_right: bool) -> float:
        """The legend's type size: the room's, or beside the map, as large as lets its
        groups stack within the room's height (down to the screen's size): a legend
        running off the bottom of a presentation screen hides its key."""
        size = SIZES["legend"] * self.scale
        if not legend_right:
            return size
        groups = self.legend or (("",) * 30,)
        while size > SIZES["legend"] and \
                sum(legend_group_height(group, size) + 8 for group in groups) > self.height - 10:
            size = max(size - 0.5, SIZES["legend"])
        return size

    def map_area(self, legend_right: bool) -> tuple[float, float]:
        """Width and height left to the map by the legend, laid out as Plotly does: a
        group is a column of its title and entries (legend_entry_height), its symbols and
        gap 40 px beside them; beside the map the groups stack, under it they fill rows of
        the map's width."""
        size = self.legend_type(legend_right)
        groups = self.legend or (("",) * 30,)

        def width(lines: tuple[str, ...]) -> float:
            return legend_group_width(lines, size) + 40 * self.scale

        def height(lines: tuple[str, ...]) -> float:
            return legend_group_height(lines, size) + 8

        if legend_right:
            return max(self.width - max(width(group) for group in groups) - 12, 100), \
                self.height
        rows, row_width, row_height = 0.0, 0.0, 0.0
        for group in groups:
            if row_width and row_width + width(group) > self.width:
                rows, row_width, row_height = rows + row_height, 0.0, 0.0
            row_width += width(group)
            row_height = max(row_height, height(group))
        return self.width, max(self.height - rows - row_height - 12, 100)

    def legend_right(self, geo: dict) -> bool:
        """Whether the legend beside the map leaves it more room than under it."""
        return self._fitted(geo, True)[0] >= self._fitted(geo, False)[0]

    def _fitted(self, geo: dict, legend_right: bool) -> tuple[float, name_placement.Frame]:
        width, height = self.map_area(legend_right)
        fitted = fit_to_room(geo, width / height)
        aspect = frame_aspect(fitted) or width / height
        area = min(width, height * aspect) * min(height, width / aspect)
        return area, name_placement.Frame(width, height, fitted)

    def frame(self, geo: dict) -> name_placement.Frame:
        """The map's frame, a little smaller than estimated: names placed for a smaller
        map only move apart on the one Plotly draws."""
        return replace(self._fitted(geo, self.legend_right(geo))[1], shrink=ESTIMATE_MARGIN)


def legend_entry_height(entry: str, size: float) -> float:
    """An entry's (or a group title's) height as Plotly lays it out: 1.3 × the type a line,
    16 px at least, and 3 px more."""
    return max((entry.count("<br>") + 1) * size * 1.3, 16) + 3


def legend_group_height(group: tuple[str, ...], size: float) -> float:
    """A legend group's height: its title and its entries."""
    return sum(legend_entry_height(entry, size) for entry in group)


def legend_group_width(group: tuple[str, ...], size: float,
                       share: float = LEGEND_WIDTH_SHARE) -> float:
    """The width of a group's longest line of text (its symbols not counted), at `share` of
    the names' generous estimate."""
    return max(name_placement.text_width(line, size) * share
               for entry in group for line in entry.split("<br>"))


def wrapped(text: str, width: int = LEGEND_CHARACTERS) -> str:
    """A legend entry broken into lines of at most `width` characters (at spaces)."""
    return "<br>".join(lines(text, width))


def in_legend(room: Room, dataset: Dataset, records: pd.DataFrame, lang: str,
              clustered: bool | None = None) -> Room:
    """The room, knowing the legend of `records`: per theme its title, its footprints'
    swatch and its categories with symbols; then the key. `clustered`: whether their
    symbols are drawn as clusters, when the caller knows."""
    # Clustered symbols have one entry in the key, none per category.
    clustered = crowded(records) if clustered is None else clustered
    layers = records["layer"].tolist()  # plain lists: every view asks
    points = set() if clustered else {category for layer, category in
                                      zip(layers, records["category"].tolist())
                                      if layer in POINT_LAYERS}
    filled = {theme for layer, theme in zip(layers, records["theme"].tolist())
              if layer in FILLED_AREA_LAYERS}
    groups = []
    for theme_id, title, categories in _legend_labels(dataset)[lang]:
        entries = [entry for category, entry in categories if category in points]
        entries = ([tr("map footprints", lang)] if theme_id in filled else []) + entries
        if entries:
            groups.append((title, *entries))
    key = [wrapped(tr("map approximate", lang)), wrapped(tr("map small states", lang))]
    if "coverage-zone" in layers:
        key += [wrapped(tr("map coverage", lang)), wrapped(tr("map spokes", lang))]
    if clustered:
        key.append(wrapped(tr("map clusters", lang)))
    # The numbers' key is known once the names are placed: room for a few is kept.
    numbers = (tr("map numbered", lang), "<br>".join(["1 …"] * NUMBERS_KEPT))
    return replace(room, legend=(*groups, (tr("map key", lang), *key), numbers))


@per_dataset
def _legend_labels(dataset: Dataset) -> dict[str, list[tuple[str, str, list[tuple[str, str]]]]]:
    """By language, each theme's legend title and its categories' entries, wrapped, in
    legend order."""
    return {lang: [(theme_id, wrapped(label(dataset.themes, theme_id, "label", lang)),
                    [(category, wrapped(label(dataset.categories, category, "label", lang)))
                     for category in dataset.categories.index[
                         dataset.categories["theme"] == theme_id]])
                   for theme_id in dataset.themes.index]
            for lang in LANGUAGES}
