"""A theme or layer box answered in the browser (assets/prefetch.js: the server's answer to
that click, asked for while the page was idle) shows what the server shows for the same URL:
the same records on the map, count, legend and table.

The server's view of the URL is taken in another page of the same size, open on the world
and then sent to the URL as a link followed in the page is (history and popstate): the
symbols' fans are laid out in pixels, for the room the page reports once drawn."""

import pytest
from conftest import AirGappedPage
from pages import legend_texts, open_view

# What the page shows of a view: the map's data per trace (names placed aside: they are
# placed for the room, and a page loaded anew is first drawn in a default room), the count,
# the legend and the table's rows.
SHOWN = """() => {
    const gd = document.querySelector('#map .js-plotly-plot');
    const rows = [];
    dash_ag_grid.getApi('records-table').forEachNodeAfterFilterAndSort(n => rows.push(n.id));
    return {
        traces: gd.data.filter(t => !['labels', 'country-labels', 'leaders', 'numbered']
                                        .includes(t.name)).map(t => ({
            name: t.name, visible: t.visible, showlegend: t.showlegend,
            lon: t.lon || null, lat: t.lat || null, locations: t.locations || null,
            z: t.z || null, hovertext: t.hovertext || null, customdata: t.customdata || null})),
        count: document.querySelector('#record-count').innerText,
        rows: rows,
    };
}"""


def answered_ahead(page) -> int:
    return page.evaluate("window.viewPrefetch.answered")


def wait_for_answers_ahead(page) -> None:
    """Until every box's next click has its answer in the page (5 themes, 9 layers)."""
    page.wait_for_function("window.viewPrefetch.held == 14", timeout=30_000)


@pytest.mark.parametrize("clicks", [
    [("themes", "civil-security")],
    [("themes", "civil-security"), ("layers", "embassy-post")],
    [("layers", "project-footprint"), ("themes", "maritime-security"),
     ("themes", "maritime-security")],
])
def test_a_box_answered_in_the_browser_shows_the_server_s_view_of_its_url(
        air_gapped_page, browser, server_url, clicks):
    page = open_view(air_gapped_page, server_url)
    for box, value in clicks:
        wait_for_answers_ahead(page)
        before = answered_ahead(page)
        count = page.inner_text("#record-count")
        page.click(f"#filter-{box} input[value='{value}']")
        page.wait_for_function(f"document.querySelector('#record-count').innerText != {count!r}")
        assert answered_ahead(page) == before + 1  # no round trip to the server for it
    page.wait_for_timeout(1500)
    toggled, url, legend = page.evaluate(SHOWN), page.url, legend_texts(page)
    assert "?" in url and toggled["rows"]

    fresh = AirGappedPage(browser)
    try:
        other = open_view(fresh, server_url)
        other.wait_for_timeout(1500)  # its size reported, and its map framed for it
        other.evaluate("""(url) => { history.pushState({}, '', url);
            window.dispatchEvent(new PopStateEvent('popstate')); }""", url)
        other.wait_for_function(f"document.querySelector('#record-count').innerText == "
                                f"{toggled['count']!r}")
        other.wait_for_timeout(1500)
        loaded = other.evaluate(SHOWN)
        differing = [(a["name"], key) for a, b in zip(loaded["traces"], toggled["traces"])
                     for key in a if a[key] != b[key]]
        assert differing == []
        assert loaded == toggled
        assert legend_texts(other) == legend
    finally:
        fresh.page.close()
    assert air_gapped_page.external == [] and fresh.external == []
