"""Crowded maps: above CLUSTER_ABOVE symbols, or more than PER_PLACE_ABOVE per place, the
point records are drawn as numbered clusters that account for every record shown, each on a
real place; below, nothing changes."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from bench.synthetic import generate
from callbacks.view import map_patch
from figures.name_placement import text_box
from figures.region_fit import view_geo
from figures.world_map import (
    PRESENTING_SCALE,
    Room,
    build_map,
    in_legend,
    trace_names,
    view_data,
)
from figures.world_map.clustering import CLUSTER_ABOVE, PER_PLACE_ABOVE, crowded, symbol_count
from figures.world_map.style import SIZES
from presence.layer_registry import POINT_LAYERS
from presence.loader import load_dataset
from presence.views import View, filter_records, parse_query


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    """3,000 synthetic records: about 2,400 symbols on a world map."""
    return load_dataset(generate(3000, tmp_path_factory.mktemp("crowd") / "geodata"))


def drawn(dataset, view, lang="en", room=None) -> dict[str, dict]:
    return dict(zip(trace_names(dataset), view_data(dataset, view, lang=lang,
                                                     room=room or Room(1600, 1000))))


def points_in(dataset, view):
    records = filter_records(dataset, view)
    return records[records["layer"].isin(POINT_LAYERS)]


def test_a_crowded_map_draws_clusters_that_count_every_record_shown(crowd):
    view = View()
    points = points_in(crowd, view)
    assert symbol_count(points) > CLUSTER_ABOVE
    traces = drawn(crowd, view)
    clusters = traces["clusters"]
    counts = [int(text.replace(",", "")) for text in clusters["text"]]
    assert sum(counts) == len(points)
    assert counts == sorted(counts, reverse=True)  # the smaller drawn over the larger
    assert clusters["showlegend"] is True
    # Each cluster stands on a place where a record is, and a click there selects one.
    places = set(zip(points["lon"], points["lat"]))
    assert set(zip(clusters["lon"], clusters["lat"])) <= places
    assert set(clusters["customdata"]) <= set(points.index)
    # No category draws its own symbols, nor lists them in the legend.
    for name, trace in traces.items():
        if name.startswith("category:"):
            assert trace["lon"] == [] and trace["showlegend"] is False
    # Larger clusters are drawn larger.
    sizes = clusters["marker.size"]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]


def test_a_clusters_hover_says_what_it_holds(crowd):
    clusters = drawn(crowd, View())["clusters"]
    largest = clusters["hovertext"][0]
    count = clusters["text"][0]
    assert largest.startswith(f"<b>{count} records</b> at ")
    assert "places nearby" in largest and "… and " in largest  # its 5 largest categories
    assert len(largest.split("<br>")) == 1 + 5 + 1
    french = drawn(crowd, View(), "fr")["clusters"]
    assert french["text"][0] == count.replace(",", "\u202f")
    assert french["hovertext"][0].startswith(f"<b>{french['text'][0]} éléments</b> en ")


@pytest.mark.parametrize("room", [Room(1600, 1000), Room(1920, 1080, PRESENTING_SCALE)],
                         ids=["screen", "presenting"])
def test_no_two_clusters_overlap(crowd, room):
    clusters = drawn(crowd, View(), room=room)["clusters"]
    frame = in_legend(room, crowd, filter_records(crowd, View()), "en").frame(
        view_geo(crowd, None, None))
    xs, ys = frame.project(clusters["lon"], clusters["lat"])
    circles = list(zip(xs, ys, clusters["marker.size"]))
    for number, (x, y, size) in enumerate(circles):
        for other_x, other_y, other_size in circles[:number]:
            assert math.hypot(x - other_x, y - other_y) >= (size + other_size) / 2


def test_fewer_symbols_bring_each_record_back(crowd):
    # One theme holds about a fifth of the symbols: they are drawn one by one again.
    view = parse_query("theme=maritime-security", crowd)
    points = points_in(crowd, view)
    assert 0 < symbol_count(points) <= CLUSTER_ABOVE
    traces = drawn(crowd, view)
    assert traces["clusters"] == {"lon": [], "lat": [], "showlegend": False}
    symbols = sum(len(trace["lon"]) for name, trace in traces.items()
                  if name.startswith("category:"))
    assert symbols == symbol_count(points)


def test_a_region_whose_places_hold_many_symbols_each_is_clustered(crowd):
    # The Indian Ocean holds a few hundred symbols, but about ten at each place: rings of
    # ten symbols around every capital.
    view = parse_query("region=indian-ocean", crowd)
    points = points_in(crowd, view)
    places = len(set(zip(points["lon"], points["lat"])))
    assert symbol_count(points) <= CLUSTER_ABOVE
    assert symbol_count(points) > PER_PLACE_ABOVE * places
    clusters = drawn(crowd, view)["clusters"]
    assert sum(int(text.replace(",", "")) for text in clusters["text"]) == len(points)
    # The same records seen one theme at a time are a few per place: drawn one by one.
    one_theme = parse_query("region=indian-ocean&theme=maritime-security", crowd)
    assert drawn(crowd, one_theme)["clusters"]["lon"] == []


def test_categories_hidden_are_not_counted(crowd):
    every = list(crowd.categories.index)
    view = replace(View(), categories=tuple(every[:-3]))
    points = points_in(crowd, view)
    clusters = drawn(crowd, view)["clusters"]
    assert sum(int(text.replace(",", "")) for text in clusters["text"]) == len(points)


def test_clusters_do_not_depend_on_the_maps_size(crowd):
    # A resize's answer sends names, never records (callbacks.view.map_patch): the clusters
    # it leaves on the map must be those of the new size.
    small = drawn(crowd, View(), room=Room())["clusters"]
    large = drawn(crowd, View(), room=Room(1920, 1080))["clusters"]
    assert small == large
    resized = map_patch(crowd, View(), None, True, room=Room(1920, 1080), sized_only=True)
    touched = {trace_names(crowd)[op["location"][1]]
               for op in resized.to_plotly_json()["operations"] if op["location"][0] == "data"}
    assert "clusters" not in touched


def test_names_keep_off_the_clusters(crowd):
    room = Room(1600, 1000)
    traces = drawn(crowd, View(), room=room)
    frame = in_legend(room, crowd, filter_records(crowd, View()), "en").frame(
        view_geo(crowd, None, None))
    xs, ys = frame.project(traces["clusters"]["lon"], traces["clusters"]["lat"])
    circles = [(x - size / 2, y - size / 2, x + size / 2, y + size / 2)
               for x, y, size in zip(xs, ys, traces["clusters"]["marker.size"])]
    named = 0
    for kind, size in (("labels", SIZES["label"]), ("country-labels", SIZES["country-label"])):
        names = traces[kind]
        nx, ny = frame.project(names["lon"], names["lat"])
        for x, y, text, position, marker in zip(nx, ny, names["text"], names["textposition"],
                                                names["marker.size"]):
            left, top, right, bottom = text_box(x, y, text, position, marker / 2, size)
            named += 1
            for c_left, c_top, c_right, c_bottom in circles:
                assert right <= c_left or left >= c_right or bottom <= c_top \
                    or top >= c_bottom, text
    assert named > 0
    # No place is named (a cluster's number says what it holds): only small states' dots,
    # by their name or by a number the key lists.
    for text in traces["labels"]["text"]:
        assert text in set(crowd.countries["name_en"]) or text.isdigit()


def test_the_embedded_data_is_never_clustered(dataset):
    for query in ("", "region=pacific", "region=indian-ocean"):
        view = parse_query(query, dataset)
        assert not crowded(filter_records(dataset, view))
        assert drawn(dataset, view)["clusters"] == {"lon": [], "lat": [], "showlegend": False}


def test_a_crowded_legend_explains_the_clusters_and_lists_no_category(crowd):
    figure = build_map(crowd, room=Room(1600, 1000))
    listed = [trace.name for trace in figure.data if trace.showlegend]
    assert any("Records grouped by nearby places" in name for name in listed)
    categories = set(trace_names(crowd)).intersection(
        f"category:{c}" for c in crowd.categories.index)
    shown = {name for name, trace in zip(trace_names(crowd), figure.data) if trace.showlegend}
    assert not shown & categories
