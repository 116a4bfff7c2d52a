"""The map's traces are described once (figures/world_map/slots.py): the traces built, the
data a view sends and the slots a resize or presentation mode touch all follow it."""

from figures.world_map import Room, build_map, display_sizes, label_slots, sized_slots, view_data
from figures.world_map.slots import KINDS, slots, trace_names
from figures.world_map.traces import TRACES
from figures.world_map.view_data import InView
from presence.views import parse_query


def test_every_kind_of_slot_has_a_trace_and_view_data():
    for kind in KINDS:
        assert kind.name in TRACES, kind.name
        assert callable(getattr(InView, kind.name.replace("-", "_"), None)), kind.name
    assert set(TRACES) == {kind.name for kind in KINDS}


def test_the_figure_has_one_trace_per_slot_in_order(dataset):
    figure = build_map(dataset, parse_query("region=indian-ocean", dataset))
    names = trace_names(dataset)
    assert len(figure.data) == len(names) == len(view_data(dataset, parse_query("", dataset)))
    # Traces are found by position: each holds what its slot's name says.
    for trace, name in zip(figure.data, names):
        kind, _, key = name.partition(":")
        if kind in ("countries", "leaders", "labels", "country-labels", "selection-point",
                    "selection-areas", "approximate"):
            assert trace.name == name
        elif kind == "footprint":
            assert trace.legendgroup == key
        elif kind == "category":
            category = dataset.categories.loc[key]
            assert (trace.marker.symbol, trace.marker.color) == (category["symbol"],
                                                                 category["colour"])
    categories = [s.key for s in slots(dataset) if s.kind.name == "category"]
    assert categories == list(dataset.categories.index)


def test_resize_presentation_and_names_follow_the_description(dataset):
    names = trace_names(dataset)
    assert [names[i] for i in sized_slots(dataset)] == [
        "countries", "country-labels", "leaders", "labels", "numbered"]
    assert {names[i]: kind for i, kind in label_slots(dataset).items()} == {
        "labels": "label", "country-labels": "country-label"}
    sizes, legend = display_sizes(dataset, presenting=True)
    scaled = {names[i] for i in sizes}
    assert scaled == {"small-states", "selection-point"} | {
        n for n in names if n.startswith("category:")}
    assert legend > display_sizes(dataset, presenting=False)[1]
    assert Room().scale == 1.0
