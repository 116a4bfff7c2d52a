"""The one description of the map's traces: which there are, in drawing order (later slots
draw on top), and what each depends on.

Everything that addresses a trace by its position derives from `slots`: the traces built
once (traces.py), the data a change of view sends to each (view_data.py), the slots a resize
updates, and the sizes presentation mode sets. To add a trace, add its kind here, then a
builder in traces.TRACES and a method of view_data.InView of the kind's name; a test checks
that every kind has both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from figures.world_map.areas import approximate_footprints
from figures.world_map.style import PRESENTING_SCALE, SIZES
from presence.dataset import Dataset


@dataclass(frozen=True)
class Kind:
    """A kind of trace: one slot, or one per theme, outline or category (`each` lists their
    keys)."""

    name: str
    each: Callable[[Dataset], Iterable[str]] | None = None
    # Its data depends on the map's size as well as on the view: names and their leader
    # lines, and the colour bar's corner (in the countries' slot).
    sized: bool = False
    # Its symbols or type are sized by SIZES[name], scaled when presenting.
    scaled: bool = False
    # The GeoSources polygons it draws ("countries", "areas"), lighter on a world map.
    draws: str | None = None


def _themes(dataset: Dataset) -> Iterable[str]:
    return dataset.themes.index


def _outlines(dataset: Dataset) -> Iterable[str]:
    return (str(number) for number in range(len(approximate_footprints(dataset))))


def _categories(dataset: Dataset) -> Iterable[str]:
    return dataset.categories.index


KINDS = (
    # The choropleth comes first: Plotly reads the first trace to decide which base map to
    # load.
    Kind("countries", sized=True, draws="countries"),
    Kind("footprint", each=_themes, draws="areas"),
    # Each theme's stand-ins, dissolved: one path per piece, not one per country. (One trace
    # per theme: Plotly draws a location named twice in one trace only once.)
    Kind("stand-ins", each=_themes, draws="areas"),
    # The other approximate areas: a sea area or an imported area, by its own shape.
    Kind("approximate", each=_themes, draws="areas"),
    Kind("outline", each=_outlines),
    Kind("coverage", draws="areas"),
    Kind("spokes"),
    Kind("selection-areas", draws="countries"),
    Kind("country-labels", sized=True),
    Kind("small-states", scaled=True),
    Kind("category", each=_categories, scaled=True),
    # Drawn instead of the categories' symbols when they would crowd the map.
    Kind("clusters"),
    Kind("leaders", sized=True),
    Kind("labels", sized=True),
    Kind("numbered", sized=True),
    Kind("selection-point", scaled=True),
)
# The SIZES entry of a kind's type where it differs from its name.
SIZE_OF = {"country-labels": "country-label", "labels": "label"}


@dataclass(frozen=True)
class Slot:
    kind: Kind
    key: str | None = None  # the theme, outline number or category

    @property
    def name(self) -> str:
        return self.kind.name if self.key is None else f"{self.kind.name}:{self.key}"


def slots(dataset: Dataset) -> list[Slot]:
    """Every trace slot of the data set's map, in drawing order."""
    return [Slot(kind, key) for kind in KINDS
            for key in (kind.each(dataset) if kind.each else [None])]


def trace_names(dataset: Dataset) -> list[str]:
    """The name of every trace slot, in drawing order."""
    return [slot.name for slot in slots(dataset)]


def sized_slots(dataset: Dataset) -> list[int]:
    """The slots a resize updates."""
    return [index for index, slot in enumerate(slots(dataset)) if slot.kind.sized]


def polygon_slots(dataset: Dataset) -> dict[int, str]:
    """The trace slots drawing polygons, with the GeoSources field they draw from."""
    return {index: slot.kind.draws for index, slot in enumerate(slots(dataset))
            if slot.kind.draws}


def label_slots(dataset: Dataset) -> dict[int, str]:
    """The trace slots holding names, with the SIZES entry of their type."""
    return {index: SIZE_OF[slot.kind.name] for index, slot in enumerate(slots(dataset))
            if slot.kind.name in SIZE_OF}


def display_sizes(dataset: Dataset, presenting: bool) -> tuple[dict[int, float], float]:
    """Marker size per trace slot, and the legend's type size, on screen or presenting."""
    scale = PRESENTING_SCALE if presenting else 1.0
    sizes = {index: round(SIZES[slot.kind.name] * scale, 1)
             for index, slot in enumerate(slots(dataset)) if slot.kind.scaled}
    return sizes, round(SIZES["legend"] * scale, 1)


def mode_sizes(dataset: Dataset, presenting: bool) -> list[tuple[tuple, float]]:
    """The figure's type and symbol sizes on screen or presenting, each as (its path in the
    figure, its size): the symbols, the names (they grow with the symbols), the legend and
    the colour bar."""
    sizes, legend = display_sizes(dataset, presenting)
    scale = legend / SIZES["legend"]
    return ([(("data", index, "marker", "size"), size) for index, size in sizes.items()]
            + [(("data", index, "textfont", "size"), round(SIZES[kind] * scale, 1))
               for index, kind in label_slots(dataset).items()]
            + [(("layout", "legend", "font", "size"), legend),
               (("layout", "legend", "grouptitlefont", "size"), legend),
               (("data", 0, "colorbar", "tickfont", "size"), legend),
               (("data", 0, "colorbar", "title", "font", "size"), legend)])
