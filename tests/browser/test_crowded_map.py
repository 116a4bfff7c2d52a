"""A crowded map in the browser: 4,000 records are drawn as numbered clusters that add up to
the records shown, a hover says what one holds, a theme toggle updates them, and a view with
few enough symbols draws each record's symbol again."""

from __future__ import annotations

import pytest
from conftest import AirGappedPage
from pages import figure_traces, legend_texts, open_view

from bench.browser import served
from bench.synthetic import generate
from figures.world_map import trace_names
from presence.layer_registry import POINT_LAYERS
from presence.loader import load_dataset
from presence.views import filter_records, parse_query


@pytest.fixture(scope="module")
def crowded_site(tmp_path_factory):
    folder = generate(4000, tmp_path_factory.mktemp("crowd") / "geodata")
    with served("ours", folder) as url:
        yield url, load_dataset(folder)


def point_records(dataset, query: str) -> int:
    records = filter_records(dataset, parse_query(query, dataset))
    return int(records["layer"].isin(POINT_LAYERS).sum())


# The clusters' numbers as drawn: the texts of the SVG group of the clusters' trace.
NUMBERS = """(index) => {
    const numbers = [];
    for (const group of document.querySelectorAll('#map .scatterlayer .trace')) {
        const datum = group.__data__ && group.__data__[0];
        if (!datum || datum.trace.index !== index) continue;
        for (const text of group.querySelectorAll('text')) {
            numbers.push(parseInt(text.textContent.replace(/[^0-9]/g, ''), 10));
        }
    }
    return numbers;
}"""


def drawn_clusters(page, dataset) -> list[int]:
    """The numbers the clusters' circles show on the map."""
    return page.evaluate(NUMBERS, trace_names(dataset).index("clusters"))


def symbols_drawn(page, dataset) -> int:
    """The categories' symbols on the map."""
    return sum(len(trace["lon"]) for name, trace in zip(trace_names(dataset),
                                                        figure_traces(page))
               if name.startswith("category:"))


def test_clusters_count_the_records_shown_and_a_toggle_updates_them(browser, crowded_site):
    url, dataset = crowded_site
    gapped = AirGappedPage(browser)
    page = open_view(gapped, url)
    clusters = trace_names(dataset).index("clusters")
    page.wait_for_function(f"({NUMBERS})({clusters}).length > 0")
    numbers = drawn_clusters(page, dataset)
    assert len(numbers) > 20
    assert sum(numbers) == point_records(dataset, "")
    assert any("Records grouped by nearby places" in entry for entry in legend_texts(page))

    # A hover over the largest says how many records, at how many places (no small state's
    # dot is left under it to take the hover).
    x, y = page.evaluate("""(index) => {
        for (const group of document.querySelectorAll('#map .scatterlayer .trace')) {
            const datum = group.__data__ && group.__data__[0];
            if (!datum || datum.trace.index !== index) continue;
            const r = group.querySelector('.point').getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2];
        }
    }""", clusters)
    page.mouse.move(x, y)
    page.wait_for_function("(n) => (document.querySelector('.hoverlayer .hovertext') || {})"
                           ".textContent?.startsWith(n)", arg=f"{numbers[0]:,} records at ")
    assert "places nearby" in page.locator(".hoverlayer").text_content()

    # One theme off: fewer records, the clusters count them.
    page.click("#filter-themes input[value='defence-cooperation']")
    page.wait_for_url("**theme=*")
    query = page.url.split("?", 1)[1]
    expected = point_records(dataset, query)
    page.wait_for_function(f"({NUMBERS})({clusters}).reduce((a, b) => a + b, 0) === {expected}")

    # One theme only: few enough symbols to draw each, with their categories in the legend.
    page = open_view(gapped, url + "?theme=maritime-security")
    page.wait_for_function(f"({NUMBERS})({clusters}).length === 0")
    assert symbols_drawn(page, dataset) > 100
    entries = legend_texts(page)
    assert "Rescue coordination centre" in entries
    assert not any("Records grouped" in entry for entry in entries)
    assert gapped.external == []
    gapped.page.close()
