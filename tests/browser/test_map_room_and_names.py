"""The map first: it fills what the controls leave, its names never cover one another, and
every symbol in view is named or listed, on screen and in presentation mode."""

import re

import pytest
from pages import figure_traces, map_share, open_view, text_boxes, zoom_in

from figures.world_map import trace_names
from i18n import tr
from presence.layer_registry import POINT_LAYERS
from presence.views import filter_records, parse_query

SCREENS = [(1366, 768), (1920, 1080)]
UNLABELLED = (tr("map unnamed", "en"), tr("map unnamed", "fr"))


def names_and_key(page, dataset):
    traces = figure_traces(page)
    slots = trace_names(dataset)
    labels = traces[slots.index("labels")]
    numbered = traces[slots.index("numbered")]
    key: list[str] = []
    for line in (numbered["name"].split("<br>") if numbered["showlegend"] else []):
        # A numbered place per line; the unlabelled ones on one entry, wrapped on several.
        if key and key[-1].startswith(UNLABELLED) and not line.split(" ", 1)[0].isdigit():
            key[-1] += " " + line
        else:
            key.append(line)
    return labels["text"], key


MORE = re.compile(r"(?:and|et) (\d+) (?:more|autres)$")  # i18n "map unnamed more"


def unlabelled_count(entry: str) -> int:
    """The places an "Unlabelled" entry names, and those it counts past them."""
    text = entry.split(":", 1)[1]
    more = MORE.search(text)
    named = text[:more.start()] if more else text
    return len([name for name in named.split(";") if name.strip()]) + \
        (int(more.group(1)) if more else 0)


def overlapping(boxes):
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            # Half a pixel of anti-aliasing is not an overlap.
            if (a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5
                    and a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5):
                yield a["text"], b["text"]


def wait_for_names(page, dataset):
    slot = trace_names(dataset).index("labels")
    page.wait_for_function(
        f"document.querySelector('#map .js-plotly-plot').data[{slot}].text.length > 0")
    page.wait_for_timeout(1500)  # the map's size reported, the names placed again


@pytest.mark.parametrize("width,height", SCREENS)
def test_the_map_fills_the_space_the_controls_leave(air_gapped_page, server_url, dataset,
                                                    width, height):
    page = air_gapped_page.page
    page.set_viewport_size({"width": width, "height": height})
    open_view(air_gapped_page, server_url)
    wait_for_names(page, dataset)
    beside_controls = map_share(page)
    # Before: 14 % of a 1366 screen, under a 68 vh graph and a legend eating its height.
    assert beside_controls > 0.25
    page.click("#controls-toggle")
    page.wait_for_selector(".filters", state="hidden")
    page.wait_for_timeout(2000)
    alone = map_share(page)
    assert alone > beside_controls + 0.1 and alone > 0.4
    assert page.inner_text("#controls-toggle") == "Show controls"
    # The choice is remembered.
    page.reload()
    page.wait_for_selector(".choroplethlayer path.choroplethlocation", state="attached")
    assert page.locator(".filters").is_hidden()
    page.click("#controls-toggle")
    page.wait_for_selector(".filters", state="visible")


@pytest.mark.parametrize("width,height", SCREENS)
def test_the_map_s_toolbar_covers_no_legend_text(air_gapped_page, server_url, dataset, width,
                                                 height):
    """Shown while the pointer is over the map, at its top right it hid the legend's first
    title beside a regional map."""
    page = air_gapped_page.page
    page.set_viewport_size({"width": width, "height": height})
    open_view(air_gapped_page, server_url + "?region=indian-ocean")
    wait_for_names(page, dataset)
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    covered = page.evaluate("""() => {
        const bar = document.querySelector('#map .modebar').getBoundingClientRect();
        return [...document.querySelectorAll('#map .legend text')].filter(t => {
            const r = t.getBoundingClientRect();
            return r.left < bar.right && bar.left < r.right && r.top < bar.bottom
                && bar.top < r.bottom; }).map(t => t.textContent); }""")
    assert covered == []


@pytest.mark.parametrize("query", ["", "?lang=fr", "?region=indian-ocean", "?present=1",
                                   "?present=1&lang=fr&region=pacific"])
def test_no_two_names_overlap_and_every_symbol_is_named_or_listed(air_gapped_page,
                                                                   server_url, dataset, query):
    page = air_gapped_page.page
    page.set_viewport_size({"width": 1366, "height": 768})
    open_view(air_gapped_page, server_url + "/" + query)
    wait_for_names(page, dataset)
    slots = trace_names(dataset)
    boxes = text_boxes(page, [slots.index("labels"), slots.index("country-labels")])
    # Places and the countries records name (the Pacific names few: fisheries policing and
    # Nasse are dotted stand-ins, not fourteen named states; Papua New Guinea's and the
    # Philippines' participants in Indonesia's fire courses are still to come).
    assert len(boxes) >= 7
    assert list(overlapping(boxes)) == []
    # Each place with a symbol is named beside it, named at the end of a leader line, or
    # listed (by its number) in the legend's key.
    names, key = names_and_key(page, dataset)
    listed = len({entry.split(" ", 1)[1] for entry in key
                  if entry.split(" ", 1)[0].isdigit()}) + \
        sum(unlabelled_count(entry) for entry in key if entry.startswith(UNLABELLED))
    numbers = [entry.split(" ", 1)[0] for entry in key if entry.split(" ", 1)[0].isdigit()]
    assert all(number in names for number in numbers)  # a listed number is drawn
    # Every entry of the key has its number, but for the places a crowd of lines and names
    # left no room for a number either, which the key says.
    unlabelled = [entry for entry in key if entry.startswith(UNLABELLED)]
    assert len(numbers) + len(unlabelled) == len(key) and len(unlabelled) <= 1
    records = filter_records(dataset, parse_query(query.lstrip("?"), dataset))
    points = records[records["layer"].isin(POINT_LAYERS)]
    places = points.groupby(["lon", "lat"]).ngroups
    assert places > 0
    # Small states' names come on top of the places'.
    assert len(names) - len(numbers) + listed >= places
    assert air_gapped_page.external == []


def test_one_click_shows_only_one_theme(air_gapped_page, server_url, dataset):
    page = open_view(air_gapped_page, server_url)
    page.click("button[aria-label='Show only Maritime security']")
    page.wait_for_function("document.location.search.includes('theme=')")
    ticked = page.eval_on_selector_all("#filter-themes input:checked", "boxes => boxes.length")
    assert ticked == 1
    maritime = (dataset.records["theme"] == "maritime-security").sum()
    page.wait_for_function(f"document.querySelector('#record-count').innerText.startsWith("
                           f"'{maritime} of')")


SCALE = "document.querySelector('#map .js-plotly-plot')._fullLayout.geo.projection.scale"


def test_a_zoom_survives_the_map_growing_but_not_a_new_region(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "?region=indian-ocean")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.wait_for_timeout(500)
    zoom_in(page)
    zoomed = page.evaluate(SCALE)
    assert zoomed > 1.5
    # Hiding the controls frames the map again for its new size: the zoom stays.
    page.click("#controls-toggle")
    page.wait_for_selector(".filters", state="hidden")
    page.wait_for_timeout(2500)
    assert page.evaluate(SCALE) == pytest.approx(zoomed)
    page.click("#controls-toggle")
    page.wait_for_selector(".filters", state="visible")
    page.wait_for_timeout(2500)
    assert page.evaluate(SCALE) == pytest.approx(zoomed)
    # Another region is framed whole, and a resize does not bring the old zoom back.
    page.locator("#filter-region").click()
    page.get_by_role("option", name="Pacific", exact=True).click()
    page.wait_for_function("document.location.search.includes('region=pacific')")
    page.wait_for_function(f"{SCALE} === 1")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(2500)
    assert page.evaluate(SCALE) == 1
    assert air_gapped_page.external == []


@pytest.mark.parametrize("query", ["?present=1", "?present=1&lang=fr&region=pacific"])
def test_a_presentation_screen_is_mostly_map_and_shows_its_whole_legend(air_gapped_page,
                                                                        server_url, dataset,
                                                                        query):
    page = air_gapped_page.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_view(air_gapped_page, server_url + query)
    wait_for_names(page, dataset)
    # Before: 28–60 % of a presentation screen.
    assert map_share(page) > 0.55
    if "present=1" in query:  # the subline whole, on its two lines
        assert page.evaluate("""() => { const line = document.querySelector('#stage-heading p');
            return line.textContent.length > 0 && line.scrollHeight <= line.clientHeight
                && line.scrollWidth <= line.clientWidth; }""")
    # The legend's last group (the key, the numbers) is on screen, not past its bottom.
    bottom = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '#map .legend .traces')].map(t => t.getBoundingClientRect().bottom))""")
    assert bottom <= page.evaluate("innerHeight")
    assert page.locator("#map .legend .legendtext", has_text="Small state").count() + \
        page.locator("#map .legend .legendtext", has_text="Petit État").count() == 1
