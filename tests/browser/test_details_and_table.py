"""Selecting in a real browser: a map symbol, a table row or the URL opens the record's
details with its source; the legend and the table follow the view; downloads hold it."""

import csv
import io
import json

from pages import open_view, shown, wait_for_map_sized

DETAILS = "#details"


def marker_position(page, dataset, record_id):
    """Where a record's symbol is drawn on screen, found through the data Plotly binds to it."""
    record = dataset.records.loc[record_id]
    return page.evaluate("""([lon, lat]) => {
        const point = [...document.querySelectorAll('.geo .scatterlayer path.point')].find(
            p => p.__data__ && p.__data__.lonlat && Math.abs(p.__data__.lonlat[0] - lon) < 1e-6
                 && Math.abs(p.__data__.lonlat[1] - lat) < 1e-6);
        const box = point.getBoundingClientRect();
        return [box.x + box.width / 2, box.y + box.height / 2];
    }""", [float(record["lon"]), float(record["lat"])])


def test_clicking_a_symbol_opens_its_details_with_source(air_gapped_page, server_url, dataset):
    page = open_view(air_gapped_page, server_url)
    page.mouse.click(*marker_position(page, dataset, "fs05-nema-advisor"))
    page.wait_for_function("document.querySelector('#details h2') && "
                           "document.querySelector('#details h2').innerText.includes('Mongolia')")
    text = page.inner_text(DETAILS)
    assert dataset.records.at["fs05-nema-advisor", "name_en"] in text
    # The source's own words stand beside what the data set says.
    assert "An advisor is also seconded to the Director of the Mongolian Emergency" in text
    assert "France in the Indo-Pacific, Fact sheet No.5" in text  # the source
    assert "Civil security, paragraph 1" in text  # and its section
    assert "the source names only the country: placed at its capital" in text
    assert "selected=fs05-nema-advisor" in page.url
    page.wait_for_selector(".ag-row-selected[row-id='fs05-nema-advisor']")
    assert air_gapped_page.external == []


def test_table_row_selects_the_record_and_outlines_its_places(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "?theme=domestic-security")
    page.click(".ag-row[row-id='fs05-ssi-singapore-coverage'] .ag-cell >> nth=0")
    page.wait_for_function("location.search.includes('selected=fs05-ssi-singapore-coverage')")
    page.wait_for_function("document.querySelector('#details').innerText.includes('Brunei (BRN)')")
    # The zone's countries and its hub are outlined on the map.
    outlined = page.evaluate("""() => [...document.querySelectorAll('.choroplethlayer .trace')]
        .filter(g => g.__data__[0].trace.name === 'selection-areas')
        .map(g => g.querySelectorAll('path.choroplethlocation').length)[0]""")
    assert outlined == 6  # Singapore and the five countries it covers
    page.click("#details button:has-text('Clear selection')")
    page.wait_for_function("!location.search.includes('selected=')")
    assert air_gapped_page.external == []


def test_url_with_a_selection_restores_details_and_table(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "?selected=dcsd-headquarters")
    assert "Paris (57 boulevard des Invalides)" in page.inner_text(DETAILS)
    assert "Directorate of Cooperation of Security and Defence (overview)" in page.inner_text(DETAILS)
    page.wait_for_selector(".ag-row-selected[row-id='dcsd-headquarters']")


def test_clicking_a_country_lists_the_records_touching_it(air_gapped_page, server_url, dataset):
    page = open_view(air_gapped_page, server_url + "?selected=country:SYC")
    touching = dataset.records["places"].map(lambda places: "SYC" in places).sum()
    assert touching >= 5  # the anti-drug office, the ROCC, CRIMARO II's stand-in…
    assert f"Seychelles: {touching} record{'' if touching == 1 else 's'} in view" in page.inner_text(DETAILS)
    page.click("#details button:has-text('Regional Operations Coordination Centre')")
    page.wait_for_function("location.search.includes('selected=fs05-rocc-seychelles')")


def test_legend_click_hides_a_category_and_the_url_keeps_it(air_gapped_page, server_url,
                                                          dataset):
    page = open_view(air_gapped_page, server_url + "?theme=maritime-security")
    maritime = dataset.records[dataset.records["theme"] == "maritime-security"]
    assert shown(page) == len(maritime)
    left = len(maritime) - (maritime["category"] == "rescue-coordination-centre").sum()
    page.locator(".legend .traces", has_text="Rescue coordination centre").locator(
        ".legendtoggle").click()
    page.wait_for_function("document.querySelector('#record-count').innerText"
                           f".startsWith('{left} of')")
    assert "category=" in page.url and "rescue-coordination-centre" not in page.url
    # The hidden category stays in the legend, greyed, so it can be clicked back.
    assert page.locator(".legend .traces", has_text="Rescue coordination centre").count() == 1
    page.reload()
    page.wait_for_function("document.querySelector('#record-count') && "
                           "document.querySelector('#record-count').innerText"
                           f".startsWith('{left} of')")
    assert air_gapped_page.external == []


def test_search_filters_the_table_and_downloads_hold_the_view(air_gapped_page, server_url,
                                                              dataset):
    page = open_view(air_gapped_page, server_url + "?theme=environmental-crime")
    assert page.locator(".ag-center-cols-container .ag-row").count() == \
        (dataset.records["theme"] == "environmental-crime").sum()
    in_view = (dataset.records["theme"] == "environmental-crime").sum()
    page.fill("#records-search", "counterfeit medicines")  # the Djibouti courses alone
    page.press("#records-search", "Enter")
    page.wait_for_function(
        "document.querySelectorAll('.ag-center-cols-container .ag-row').length === 1")
    with page.expect_download() as download:
        page.click("#download-csv")
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert len(rows) == in_view and {row["theme"] for row in rows} == {"environmental-crime"}
    with page.expect_download() as download:
        page.click("#download-geojson")
    collection = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert len(collection["features"]) == in_view
    assert air_gapped_page.external == []


def test_a_click_on_a_country_under_a_footprint_opens_its_card(air_gapped_page, server_url,
                                                                 dataset):
    """Côte d'Ivoire lies under SCAD's footprint: a click on its land opens the country's
    card, which lists the footprint with every other record touching the country."""
    page = open_view(air_gapped_page, server_url + "?region=west-africa")
    # A point of its land off every symbol (a symbol's click opens its record instead).
    x, y = page.evaluate(LAND_POINTS, ["CIV", 1])["clicked"][0]
    page.mouse.click(x, y)
    page.wait_for_function("/[?&](country|selected)=/.test(location.search)")
    assert "country=CIV" in page.evaluate("location.search")
    name = dataset.countries.at["CIV", "name_en"]
    page.wait_for_function(f"document.querySelector('#details h2').innerText.startsWith({name!r})")
    card = page.inner_text(DETAILS)
    touching = dataset.records[dataset.records["places"].map(lambda places: "CIV" in places)]
    assert f"{name}: {len(touching)} record{'' if len(touching) == 1 else 's'} in view" in card
    for record_id in touching.index:
        assert dataset.records.at[record_id, "name_en"] in card
    assert "The source names this country" in card and "Recent achievements, paragraph 7" in card


def test_a_country_under_a_stand_in_keeps_its_hover_and_its_click(air_gapped_page, server_url,
                                                                   dataset):
    """ACASA's source says "in Africa": its fill over the continent is a few dissolved
    shapes, not a path per country. The pointer goes through them: Nigeria's hover names
    the stand-in, and a click on its land opens Nigeria's card."""
    page = open_view(air_gapped_page, server_url + "?theme=civil-security&region=africa")
    pieces = page.evaluate("""() => [...document.querySelectorAll(
        '.choroplethlayer path.choroplethlocation')].filter(p => p.__data__ &&
        String(p.__data__.loc).startsWith('stand-in:')).length""")
    africa = dataset.records.at["dcsd-acasa", "footprint"]
    assert 0 < pieces < len(africa) / 4
    x, y = page.evaluate(LAND_POINTS, ["NGA", 1])["clicked"][0]
    page.mouse.move(x, y)
    page.wait_for_selector(".hoverlayer .hovertext")
    hover = page.locator(".hoverlayer").text_content()
    assert hover.startswith("Nigeria: ")
    assert dataset.records.at["dcsd-acasa", "name_en"] in hover
    assert "Civil security — approximate extent" in hover
    page.mouse.click(x, y)
    page.wait_for_function("location.search.includes('country=NGA')")
    page.wait_for_function("document.querySelector('#details h2').innerText"
                           ".startsWith('Nigeria')")


def test_a_country_in_the_url_opens_its_card(air_gapped_page, server_url, dataset):
    page = open_view(air_gapped_page, server_url + "?country=MDG&lang=fr")
    page.wait_for_function("document.querySelector('#details h2').innerText"
                           ".startsWith('Madagascar')")
    card = page.inner_text(DETAILS)
    assert "Situés ici" in card and "La source nomme ce pays" in card
    assert "Sécurité maritime, paragraphe 2" in card  # the Fort-Dauphin semaphore's section
    # The Region box still names the world, whose records are counted; under it, what the
    # map frames.
    assert page.inner_text("#frame-note") == "Carte cadrée sur Madagascar (sa fiche est ouverte)"
    page.click("#details button:has-text('Effacer la sélection')")
    page.wait_for_function("!document.querySelector('#frame-note').innerText")


def test_typing_a_country_opens_its_card(air_gapped_page, server_url, dataset):
    page = open_view(air_gapped_page, server_url)
    page.click("#find-country")
    page.keyboard.type("Mongol")
    # The list has narrowed to what was typed: choose its one entry.
    page.get_by_role("option", name="Mongolia").click()
    page.wait_for_function("location.search.includes('country=MNG')")
    page.wait_for_function("document.querySelector('#details h2').innerText"
                           ".startsWith('Mongolia')")
    assert dataset.records.at["fs05-nema-advisor", "name_en"] in page.inner_text(DETAILS)
    # The field keeps the country whose card is open, and empties when a record is chosen.
    assert "Mongolia" in page.inner_text("#find-country")
    page.get_by_role("button", name=dataset.records.at["fs05-nema-advisor", "name_en"]).click()
    page.wait_for_function("!document.querySelector('#find-country').innerText"
                           ".includes('Mongolia')")


def test_a_record_s_details_open_its_country_s_card_and_fold_its_stored_data(
        air_gapped_page, server_url, dataset):
    page = open_view(air_gapped_page, server_url + "?selected=fs05-ifc-singapore")
    page.wait_for_selector("#details .record-data summary")
    # How the record is stored (its id, coordinates) is folded away until asked for.
    assert "fs05-ifc-singapore" not in page.inner_text(DETAILS)
    page.click("#details .record-data summary")
    assert "fs05-ifc-singapore" in page.inner_text(DETAILS)
    page.get_by_role("button", name="Open the card of Singapore").click()
    page.wait_for_function("document.querySelector('#details h2').innerText"
                           ".startsWith('Singapore')")
    page.wait_for_function("location.search.includes('country=SGP')")
    assert "Singapore" in page.inner_text("#find-country")


# `wanted` points well inside a country's largest piece of land (4 px from its coast), free
# of symbols (Plotly's own points, 2 px of slack), spread over it; and the share of its land
# the symbols cover.
LAND_POINTS = """([iso3, wanted]) => {
    const paths = [...document.querySelectorAll('.choroplethlayer path.choroplethlocation')]
        .filter(p => p.__data__ && [iso3, 'country:' + iso3].includes(p.__data__.loc));
    const area = p => { const b = p.getBBox(); return b.width * b.height; };
    const path = paths.sort((a, b) => area(b) - area(a))[0];
    const box = path.getBoundingClientRect();
    const svg = path.ownerSVGElement, inverse = path.getScreenCTM().inverse();
    const inside = (x, y) => { const point = svg.createSVGPoint(); point.x = x; point.y = y;
                               return path.isPointInFill(point.matrixTransform(inverse)); };
    const symbols = [...document.querySelectorAll('.scatterlayer path.point')]
        .map(p => p.getBoundingClientRect()).filter(r => r.width > 0);
    const onSymbol = (x, y) => symbols.some(r => x >= r.left - 2 && x <= r.right + 2
                                                 && y >= r.top - 2 && y <= r.bottom + 2);
    const land = [];
    for (let j = 1; j < 24; j++) for (let i = 1; i < 24; i++) {
        const x = box.x + box.width * i / 24, y = box.y + box.height * j / 24;
        if ([[0, 0], [4, 0], [-4, 0], [0, 4], [0, -4]].every(([dx, dy]) => inside(x + dx, y + dy)))
            land.push([x, y, onSymbol(x, y)]);
    }
    const free = land.filter(([x, y, on]) => !on);
    const step = Math.max(1, Math.floor(free.length / wanted));
    return {clicked: free.filter((_, k) => k % step === 0).slice(0, wanted).map(([x, y]) => [x, y]),
            covered: land.filter(([x, y, on]) => on).length / land.length};
}"""


# What the map frames: a card's country moves it, and a click must fall on the region's.
FRAME = """() => { const geo = document.querySelector('#map .js-plotly-plot')._fullLayout.geo;
    return JSON.stringify([...geo.lonaxis.range, ...geo.lataxis.range].map(
        degrees => Math.round(degrees))); }"""


def clicks_on_land(page, iso3: str, wanted: int) -> tuple[float, list[str]]:
    """The share of a country's land its symbols cover; and `wanted` clicks on its land
    free of symbols, spread over it, each on the view as first drawn: what each opened (the
    country's card, or the URL with the record)."""
    wait_for_map_sized(page)  # the map framed for its size, symbols fanned
    land = page.evaluate(LAND_POINTS, [iso3, wanted])
    region_frame = page.evaluate(FRAME)
    opened = []
    for x, y in land["clicked"]:
        page.mouse.click(x, y)
        page.wait_for_function("/[?&](country|selected)=/.test(location.search)")
        search = page.evaluate("location.search")
        opened.append("card" if f"country={iso3}" in search else search)
        page.click("#details button:has-text('Clear selection')")  # back to the region's frame
        page.wait_for_function("!/[?&](country|selected)=/.test(location.search)")
        page.wait_for_function(f"({FRAME})() === {region_frame!r}")
        wait_for_map_sized(page)
    return land["covered"], opened


def test_a_click_on_a_small_country_s_land_opens_its_card(air_gapped_page, server_url):
    """Madagascar in the Indian Ocean view of a laptop (its symbols' ring set on the sea)
    and of a projector (the ring on its land, a smaller share of it): most of its land is
    free, and every click on land that misses a symbol opens its card (Plotly's default
    took any click within 20 px of a symbol)."""
    page = air_gapped_page.page
    for width, height in ((1366, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        open_view(air_gapped_page, server_url + "?region=indian-ocean")
        covered, opened = clicks_on_land(page, "MDG", 5)
        assert opened == ["card"] * 5
        assert covered < 0.5, (width, covered)  # most of its land is free to click
    # Djibouti, smaller than its ring of symbols, in the East Africa view: the ring stays on
    # its land, and a click in the ring's middle, between the symbols, opens the card.
    page.set_viewport_size({"width": 1366, "height": 768})
    open_view(air_gapped_page, server_url + "?region=east-africa")
    middle = page.evaluate("""([lon, lat]) => {
        const ring = [...document.querySelectorAll('.scatterlayer path.point')].filter(p =>
            p.__data__ && p.__data__.lonlat && Math.abs(p.__data__.lonlat[0] - lon) < 1
            && Math.abs(p.__data__.lonlat[1] - lat) < 1).map(p => p.getBoundingClientRect());
        return [ring.length, ring.reduce((sum, r) => sum + r.x + r.width / 2, 0) / ring.length,
                ring.reduce((sum, r) => sum + r.y + r.height / 2, 0) / ring.length];
    }""", [43.145, 11.588])
    assert middle[0] >= 3  # the schools, cooperants and training of Djibouti, on a ring
    page.mouse.click(middle[1], middle[2])
    page.wait_for_function("location.search.includes('country=DJI')")


def test_details_opened_under_an_open_panel_come_into_view(air_gapped_page, server_url,
                                                           dataset):
    """With the export panel open above them, details opened by a click on the map scroll
    into the side panel's view; the side panel is the one scroll area (no scroll area
    inside it to hide the card's one-pager button at its edge)."""
    page = air_gapped_page.page
    page.set_viewport_size({"width": 1366, "height": 768})
    open_view(air_gapped_page, server_url)
    page.click("summary:has-text('Export map')")
    page.wait_for_load_state("networkidle")
    page.mouse.click(*marker_position(page, dataset, "fs05-nema-advisor"))
    name = dataset.records.at["fs05-nema-advisor", "name_en"]
    page.wait_for_function(f"document.querySelector('#details h2')?.innerText === {name!r}")
    page.wait_for_timeout(300)
    placed = page.evaluate("""() => {
        const panel = document.querySelector('.side-panel').getBoundingClientRect();
        const heading = document.querySelector('#details h2').getBoundingClientRect();
        const details = document.getElementById('details');
        return [heading.top >= panel.top && heading.bottom <= panel.bottom,
                details.scrollHeight <= details.clientHeight + 1]; }""")
    assert placed == [True, True]
