"""Filters in a real browser: they change what is drawn, the URL keeps the view, back and
forward step through it, and nothing leaves the machine."""

from conftest import AirGappedPage
from pages import legend_texts, open_view, shown

THEME_BOX = "#filter-themes input[value='{}']"
POINTS = ".geo .scatterlayer .trace:not(:nth-child(1)) path.point"  # category markers


APPROXIMATE = "Region as its source words it (approximate)"


# What the key explains besides the categories: footprints, the dotted outline, the dots.
KEY = {"Project footprints", APPROXIMATE, "Small state, shaded as its country",
       "Coverage zone of a regional service", "From its seat to the countries it covers"}


def legend_entries(page) -> list[str]:
    """The legend's category entries, and the dotted outline's."""
    return [text for text in legend_texts(page)
            if text not in KEY - {APPROXIMATE} and not text[:1].isdigit()]


def test_theme_filter_changes_map_legend_count_and_url(air_gapped_page, server_url, dataset):
    page = open_view(air_gapped_page, server_url)
    assert shown(page) == len(dataset.records)
    for theme in ("defence-cooperation", "domestic-security", "civil-security",
                  "environmental-crime"):
        page.click(THEME_BOX.format(theme))
    maritime = (dataset.records["theme"] == "maritime-security").sum()
    page.wait_for_function("document.querySelector('#record-count').innerText"
                           f".startsWith('{maritime} of')")
    assert "theme=maritime-security" in page.url
    # CRIMARO II and Global Ports Safety stand in for the source's words: dotted, and said so.
    assert set(legend_entries(page)) == {
        "Rescue coordination centre", "Attached liaison officer", "Maritime security advisor",
        "Maritime surveillance and coordination facility", APPROXIMATE}
    assert air_gapped_page.external == []


def test_region_in_url_is_restored_and_fits_the_map(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "?theme=maritime-security&region=pacific")
    assert shown(page) == 3
    assert page.locator(f"{THEME_BOX.format('maritime-security')}").is_checked()
    assert not page.locator(f"{THEME_BOX.format('civil-security')}").is_checked()
    assert "Pacific" in page.inner_text("#filter-region")
    legend = legend_entries(page)
    # CRIMARO II's stand-in; the legend also explains the small states' dots (no named
    # footprint is in view, so none is explained).
    assert sorted(legend) == sorted(["Rescue coordination centre", APPROXIMATE])
    assert "Small state, shaded as its country" in legend_texts(page)
    assert "Project footprints" not in legend_texts(page)
    assert air_gapped_page.external == []


def test_back_and_forward_step_through_views(air_gapped_page, server_url, dataset):
    themes = dataset.records["theme"]
    without_civil = (themes != "civil-security").sum()
    without_both = (~themes.isin(["civil-security", "domestic-security"])).sum()
    count_is = "document.querySelector('#record-count').innerText.startsWith('{} of')"
    page = open_view(air_gapped_page, server_url)
    page.click(THEME_BOX.format("civil-security"))
    page.wait_for_function(count_is.format(without_civil))
    page.click(THEME_BOX.format("domestic-security"))
    page.wait_for_function(count_is.format(without_both))
    page.go_back()
    page.wait_for_function(count_is.format(without_civil))
    assert page.locator(THEME_BOX.format("domestic-security")).is_checked()
    page.go_forward()
    page.wait_for_function(count_is.format(without_both))
    assert air_gapped_page.external == []


def test_empty_view_says_so(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "?theme=none")
    assert shown(page) == 0
    assert page.locator("#empty-state").is_visible()
    assert "No record matches" in page.inner_text("#empty-state")


def test_url_naming_unknown_values_shows_everything_without_error(air_gapped_page, server_url,
                                                                  dataset):
    page = open_view(air_gapped_page, server_url + "?theme=<script>alert(1)</script>")
    assert shown(page) == len(dataset.records)
    assert air_gapped_page.external == []


def test_the_region_field_searches_as_you_type(air_gapped_page, server_url):
    """Dash opens a dropdown that holds a value with the focus on that value: typing there
    must still search (assets/accessibility.js sends the letters to the search box)."""
    page = open_view(air_gapped_page, server_url)
    page.click("#filter-region")
    page.wait_for_selector("[role=option]")  # open, as a user sees it before typing
    page.keyboard.type("Gulf")
    page.wait_for_function("document.querySelectorAll('[role=option]').length === 1")
    assert page.inner_text("[role=option]") == "Gulf of Guinea"
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('region=gulf-of-guinea')")


def test_a_name_starting_with_what_was_typed_comes_first(air_gapped_page, server_url):
    """"Pacif" picks the Pacific, not the Indo-Pacific listed before it; the list keeps the
    page's order once the search is emptied."""
    page = open_view(air_gapped_page, server_url)
    page.click("#filter-region")
    page.wait_for_selector("[role=option]")
    # Typed into the box's search field itself: on a busy machine Dash's dropdown may move
    # the focus to its chosen entry after the click, and keys sent to the page go there.
    search = page.locator(".dash-dropdown-search")
    search.fill("Pacif")
    page.wait_for_function("document.querySelector('[role=option]').innerText === 'Pacific'")
    names = page.locator("[role=option]").all_inner_texts()
    assert names.index("Pacific") < names.index("Indo-Pacific")
    search.press("Enter")
    page.wait_for_function("location.search.includes('region=pacific')")
    assert "Map framed on" not in page.inner_text(".filters")  # no card is open
    page.click("#filter-region")
    page.locator(".dash-dropdown-search").fill("")
    page.wait_for_function("document.querySelectorAll('[role=option]')[1].innerText"
                           " === 'Indo-Pacific'")


def test_only_ticks_one_theme_with_one_request_to_the_server(air_gapped_page, server_url,
                                                             dataset):
    page = open_view(air_gapped_page, server_url)
    asked = []  # what the page asks the server, by the outputs of the callback
    page.on("request", lambda request: asked.append(request.post_data_json["output"])
            if "_dash-update-component" in request.url else None)
    page.get_by_role("button", name="Maritime security").click()
    page.wait_for_function("location.search.includes('theme=maritime-security')")
    maritime = (dataset.records["theme"] == "maritime-security").sum()
    page.wait_for_function(f"document.querySelector('#record-count').innerText"
                           f".startsWith('{maritime} of')")
    ticked = [box.get_attribute("value") for box in page.locator("#filter-themes input").all()
              if box.is_checked()]
    assert ticked == ["maritime-security"]
    page.wait_for_timeout(500)
    # The button ticks the box in the browser: the only answers asked for are the view's
    # (which writes the URL) and those of the callbacks that follow the URL.
    assert not any(output.startswith("filter-themes.value") for output in asked)
    assert sum(output.startswith("..url.search") for output in asked) == 1
    assert air_gapped_page.external == []


# What a user sees of a view: the count, the legend, the table's records in order, and the
# map's data trace by trace (symbols and their fans, fills, shade, names, leader lines).
SEEN = """() => {
    const rows = [];
    dash_ag_grid.getApi('records-table').forEachNodeAfterFilterAndSort(row => rows.push(row.id));
    const map = document.querySelector('#map .js-plotly-plot');
    const keys = ['name', 'visible', 'showlegend', 'lon', 'lat', 'locations', 'z', 'zmax',
                  'text', 'hovertext', 'customdata', 'textposition'];
    // A trace that draws no point shows none of its points' texts: those a patched page
    // kept from an earlier view are not seen (a page opened on the link never had them).
    const perPoint = ['text', 'hovertext', 'customdata'];
    const drawn = t => (t.lon || t.locations || []).length > 0;
    return {count: document.querySelector('#record-count').innerText, rows,
            geo: ['lonaxis', 'lataxis'].map(axis => map.layout.geo[axis].range),
            data: map.data.map(t => Object.fromEntries(keys.map(k => [k,
                drawn(t) || !perPoint.includes(k) ? t[k] ?? null : null])))};
}"""


def _seen(page) -> dict:
    page.wait_for_load_state("networkidle")  # the view's answer, then the size's
    page.wait_for_timeout(500)
    return {**page.evaluate(SEEN), "legend": legend_texts(page)}


def test_a_view_made_by_clicks_is_the_view_its_url_opens(air_gapped_page, server_url, browser):
    """Clicks change the page in place ("only" in the browser, a box through the server):
    it must show what a colleague sees who opens its link in a window of the same size,
    down to where symbols sharing a place are fanned (laid out for the window's size, which
    a page opened on a link learns only after its first answer)."""
    page = open_view(air_gapped_page, server_url)
    page.get_by_role("button", name="Maritime security").click()  # only this theme
    page.wait_for_function("location.search.includes('theme=maritime-security')")
    page.click(THEME_BOX.format("civil-security"))
    page.wait_for_function("location.search.includes('civil-security')")
    clicked = _seen(page)
    colleague = AirGappedPage(browser)
    try:
        opened = _seen(open_view(colleague, page.url))
    finally:
        colleague.page.close()
    assert opened["count"] == clicked["count"] and opened["rows"] == clicked["rows"]
    assert opened["legend"] == clicked["legend"]
    assert opened["geo"] == clicked["geo"]
    for drawn, expected in zip(opened["data"], clicked["data"], strict=True):
        assert drawn == expected, drawn["name"]
    assert air_gapped_page.external == [] and colleague.external == []


def test_the_year_slider_shows_its_first_and_last_years_whole(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url)
    clipped = page.evaluate("""() => {
        const panel = document.querySelector('.filters');
        const left = panel.getBoundingClientRect().left, right = left + panel.clientWidth;
        const marks = [...document.querySelectorAll('.years-slider .dash-slider-mark')];
        return [marks.map(e => e.textContent), marks.filter(e => {
            const r = e.getBoundingClientRect(); return r.left < left || r.right > right; })
            .map(e => e.textContent)];
    }""")
    assert clipped[0][0] == "2003" and clipped[0][-1] == "2023" and clipped[1] == [], clipped
