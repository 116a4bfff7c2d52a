"""First load in headless Chromium with the network cut: the world and the records are drawn."""

import io

from pages import open_view, wait_for_map_sized
from PIL import Image

from figures.world_map import trace_names
from figures.world_map.areas import stand_in_pieces
from layers import countries
from presence.layer_registry import POINT_LAYERS

OCEAN = (0xE9, 0xF1, 0xF6)


def draw(air_gapped_page, server_url):
    page = air_gapped_page.page
    page.goto(server_url)
    page.wait_for_selector(".js-plotly-plot .choroplethlayer path.choroplethlocation",
                           timeout=30_000)
    wait_for_map_sized(page)  # drawn again once the page has said the map's size
    return page


def test_first_load_draws_every_country_and_every_point_record(air_gapped_page, server_url, dataset):
    page = draw(air_gapped_page, server_url)
    drawn_countries = page.locator(
        ".choroplethlayer .trace:first-child path.choroplethlocation").count()
    assert drawn_countries == len(dataset.countries)
    # Named project footprints fill each country they cover once per theme, however many
    # meet there; stand-ins (approximate footprints) are a few dissolved pieces per theme;
    # each coverage zone and sea area is one shape.
    records = dataset.records
    footprints = records[records["layer"] == "project-footprint"]
    named = footprints["extent"] == "named"
    filled = {(theme, iso3) for theme, countries_in in
              zip(footprints.loc[named, "theme"], footprints.loc[named, "footprint"])
              for iso3 in countries_in}
    stand_ins = stand_in_pieces(dataset)
    pieces = {(theme, piece) for theme, countries_in in
              zip(footprints.loc[~named, "theme"], footprints.loc[~named, "footprint"])
              for piece in stand_ins.of[countries_in]}
    stood_in = {(theme, iso3) for theme, countries_in in
                zip(footprints.loc[~named, "theme"], footprints.loc[~named, "footprint"])
                for iso3 in countries_in}
    own_shapes = records["layer"].isin(("coverage-zone", "sea-area"))
    assert len(filled) > named.sum() and len(stood_in) > 5 * len(pieces)
    assert page.locator(".choroplethlayer path.choroplethlocation").count() == \
        len(dataset.countries) + len(filled) + len(pieces) + own_shapes.sum()
    # Each piece drawn in each of its themes (Plotly leaves all but one path empty where a
    # trace names a location twice).
    assert page.evaluate("""() => [...document.querySelectorAll(
        '.choroplethlayer path.choroplethlocation')].filter(p => p.__data__ &&
        String(p.__data__.loc).startsWith('stand-in:') && p.getBBox().width > 0).length""") \
        == len(pieces)
    # Symbols and dots (the names' traces draw invisible points of their own).
    slots = trace_names(dataset)
    drawn_points = page.evaluate("""(wanted) => [...document.querySelectorAll(
        '#map .scatterlayer .trace')].filter(g => g.__data__ && g.__data__[0] &&
        wanted.includes(g.__data__[0].trace.index)).reduce(
        (n, g) => n + g.querySelectorAll('path.point').length, 0)""",
        [i for i, name in enumerate(slots) if name.startswith("category:") or name == "small-states"])
    frame = countries.build(dataset)
    small_states_with_records = (frame["small_state"] & (frame["record_count"] > 0)).sum()
    assert small_states_with_records >= 10  # Seychelles, Réunion, Cook Islands… as dots
    assert drawn_points == dataset.records["layer"].isin(POINT_LAYERS).sum() + small_states_with_records
    assert f"{len(dataset.records)} of {len(dataset.records)} records shown" in page.inner_text("header")
    # The polygon traces share two GeoJSON files, each fetched from our server once: on a
    # world map the lighter ones (a pixel spans 0.2°) first; the others come later, while
    # the page is idle.
    fetched = [url.split("/geodata/")[1].split("?")[0] for url in air_gapped_page.local
               if "/geodata/" in url]
    assert sorted(fetched[:2]) == ["areas-0.2.geojson", "countries-0.2.geojson"]
    assert len(fetched) == len(set(fetched))
    assert air_gapped_page.external == []


# Every polygon file the map may draw next has come (assets/polygons.js).
POLYGONS_IN = """() => { const gd = document.querySelector('#map .js-plotly-plot');
    return gd.layout.meta.polygons.every(url => window.PlotlyGeoAssets[url]
        && window.PlotlyGeoAssets[url] !== 'pending'); }"""


def test_the_other_polygons_come_while_the_page_is_idle(air_gapped_page, server_url):
    page = draw(air_gapped_page, server_url)
    page.wait_for_function(POLYGONS_IN, timeout=20_000)
    assert len(page.evaluate("document.querySelector('#map .js-plotly-plot').layout.meta"
                             ".polygons")) == 5
    before = len(air_gapped_page.local)
    page.click("#filter-region")
    page.get_by_role("option", name="Indian Ocean", exact=True).click()
    page.wait_for_function("""() => document.querySelector('#map .js-plotly-plot')
        .data[0].geojson.endsWith('/geodata/countries-0.1.geojson')""", timeout=20_000)
    page.wait_for_timeout(500)
    # The region's finer polygons were in the page already: nothing more was fetched.
    assert not [url for url in air_gapped_page.local[before:] if "/geodata/" in url]


IDLE_FOR_TWO_SECONDS = """() => new Promise(done => {
    let frames = 0, changes = 0;
    const request = window.requestAnimationFrame;
    window.requestAnimationFrame = callback => { frames += 1; return request(callback); };
    const watch = new MutationObserver(records => { changes += records.length; });
    watch.observe(document.documentElement, {childList: true, subtree: true, attributes: true});
    setTimeout(() => { watch.disconnect(); window.requestAnimationFrame = request;
                       done([frames, changes]); }, 2000);
})"""


def test_an_idle_page_changes_nothing_and_asks_for_no_frame(air_gapped_page, server_url):
    """Once drawn and left alone, the page does nothing: a repair that set the same
    attribute again woke itself every frame, a tenth of a core for as long as the
    page stayed open (a laptop's battery in a briefing)."""
    page = draw(air_gapped_page, server_url)
    page.wait_for_function(POLYGONS_IN, timeout=20_000)
    page.wait_for_timeout(1000)  # the finer polygons swapped in
    assert page.evaluate(IDLE_FOR_TWO_SECONDS) == [0, 0]


def test_a_zoom_into_the_world_map_gets_finer_polygons(air_gapped_page, server_url):
    page = draw(air_gapped_page, server_url)
    finer_past = page.evaluate(
        "document.querySelector('#map .js-plotly-plot').layout.meta.finer_past_zoom")
    box = page.locator("#map .main-svg").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
    for _ in range(8):  # Plotly zooms about 1.3 times a wheel step
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(100)
    page.wait_for_function("""() => document.querySelector('#map .js-plotly-plot')
        .data[0].geojson.endsWith('/geodata/countries.geojson')""", timeout=20_000)
    drawn = page.evaluate("""() => { const gd = document.querySelector('#map .js-plotly-plot');
        return {scale: gd._fullLayout.geo.projection.scale, meta: gd.layout.meta,
                paths: gd.querySelectorAll('.choroplethlayer path.choroplethlocation').length}; }""")
    # The user's zoom is kept while the polygons change: still past the zoom that asked for
    # them (a busy machine may coalesce wheel steps, so not a fixed figure).
    assert finer_past > 1 and drawn["scale"] > finer_past
    assert drawn["meta"]["finer_past_zoom"] is None
    assert drawn["paths"] > 249


def test_world_map_is_neither_blank_nor_flooded(air_gapped_page, server_url):
    page = draw(air_gapped_page, server_url)
    png = page.locator(".js-plotly-plot .main-svg").first.screenshot()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    total = image.width * image.height
    share = {colour: count / total for count, colour in colours}
    # The ocean shows, but does not cover the map: a bad ring would flood it (or the land).
    assert 0.15 < share.get(OCEAN, 0) < 0.7
    most_common = max(share.values())
    assert most_common < 0.7
    assert len(colours) > 50  # countries, borders, markers: not a flat image
    assert air_gapped_page.external == []


def test_no_toolbar_button_offers_an_upload(air_gapped_page, server_url):
    page = draw(air_gapped_page, server_url)
    page.hover("#map .main-svg")  # the toolbar shows on hover
    titles = page.eval_on_selector_all("#map .modebar-btn",
                                       "buttons => buttons.map(b => b.dataset.title)")
    assert "Download plot as a PNG" in titles  # the toolbar is there, with its own export
    for title in titles:
        assert not any(word in title.lower() for word in ("cloud", "chart studio", "share",
                                                          "edit in")), title


# Counts the map's drawings from the page's start: those with a geo subplot (the real map),
# and all of them (the placeholder too).
COUNT_DRAWINGS = """(() => {
    window.mapDrawings = {geo: 0, all: 0};
    const hook = () => {
        const plot = document.querySelector('#map .js-plotly-plot');
        if (!plot || !plot.on) { return setTimeout(hook, 5); }
        plot.on('plotly_afterplot', () => {
            window.mapDrawings.all++;
            if (plot._fullLayout && plot._fullLayout.geo) { window.mapDrawings.geo++; }
        });
    };
    hook();
})()"""


def test_the_first_map_is_drawn_once_for_the_size_of_the_page(air_gapped_page, server_url):
    """Not at a default size and then again at the page's: one drawing of the map (it used
    to take four to six), framed for the room it has; a map built for the page's first
    size is not drawn over a map a change has drawn since."""
    air_gapped_page.page.add_init_script(COUNT_DRAWINGS)
    page = open_view(air_gapped_page, server_url + "?region=indian-ocean")
    page.wait_for_timeout(1_000)  # a late redraw would come now
    assert page.evaluate("window.mapDrawings.geo") == 1
    room = page.evaluate("document.querySelector('#map .js-plotly-plot').layout.meta.room")
    box = page.locator("#map").bounding_box()
    assert room == [round(box["width"]), round(box["height"])]
    late = page.evaluate("""() => {
        const plot = document.querySelector('#map .js-plotly-plot');
        const first = window.dash_clientside.mapSize.first;
        const shown = {data: plot.data, layout: plot.layout};
        return [first({data: []}, shown)[0] === window.dash_clientside.no_update,
                first({data: []}, {layout: {meta: {placeholder: true}}})[1]];
    }""")
    assert late == [True, False]  # dropped on a drawn map; drawn on the placeholder


PLOT_WIDTHS = """() => {
    const plot = document.querySelector('#map .js-plotly-plot');
    return [plot._fullLayout.width, Math.round(parseFloat(getComputedStyle(plot).width))];
}"""


def test_a_resize_redraws_the_map_only_when_its_size_changes(air_gapped_page, server_url):
    """dcc.Graph has Plotly resize the first plot it draws, and Plotly draws the whole map
    again even at the size it has: the first map would be drawn twice (assets/plotly-resize.js
    skips such a resize). A window resized still resizes the map."""
    air_gapped_page.page.add_init_script(COUNT_DRAWINGS)
    page = open_view(air_gapped_page, server_url)
    page.wait_for_timeout(500)
    drawn = page.evaluate("window.mapDrawings.geo")
    page.evaluate("() => Plotly.Plots.resize(document.querySelector('#map .js-plotly-plot'))")
    page.wait_for_timeout(500)
    assert page.evaluate("window.mapDrawings.geo") == drawn
    width, _ = page.evaluate(PLOT_WIDTHS)
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"] - 200, "height": viewport["height"]})
    page.wait_for_function(f"(({PLOT_WIDTHS})()).every(w => w < {width - 150})")
    assert page.evaluate("window.mapDrawings.geo") > drawn


def test_a_window_too_narrow_for_the_map_still_gets_one(air_gapped_page, server_url):
    """A map squeezed to nothing has no size to report: its first map comes at the default
    size rather than never (the page keeps no placeholder)."""
    page = air_gapped_page.page
    page.set_viewport_size({"width": 420, "height": 800})
    page.goto(server_url)
    page.wait_for_function("""() => {
        const plot = document.querySelector('#map .js-plotly-plot');
        return plot && plot.layout && (plot.layout.meta || {}).room !== undefined;
    }""", timeout=30_000)
    assert page.locator("#map").bounding_box()["width"] < 100
    assert page.evaluate("document.querySelector('#map .js-plotly-plot').layout.meta.room") \
        == [1100, 640]
    page.wait_for_selector(".choroplethlayer path.choroplethlocation", state="attached",
                           timeout=30_000)  # drawn once its polygons have come
    assert page.locator(".choroplethlayer path.choroplethlocation").count() > 200
