"""Selecting in a real browser: a map symbol, a table row or the URL opens the record's
details with its source; the legend and the table follow the view; downloads hold it."""

import csv
import io
import json

from pages import open_view, shown

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
    position = page.evaluate("""() => {
        const path = [...document.querySelectorAll('.choroplethlayer path.choroplethlocation')]
            .filter(p => p.__data__ && p.__data__.loc === 'country:CIV').pop();
        const box = path.getBoundingClientRect();
        return [box.x + box.width * 0.55, box.y + box.height * 0.4];
    }""")
    page.mouse.click(*position)
    page.wait_for_function("location.search.includes('country=CIV')")
    name = dataset.countries.at["CIV", "name_en"]
    page.wait_for_function(f"document.querySelector('#details h2').innerText.startsWith({name!r})")
    card = page.inner_text(DETAILS)
    touching = dataset.records[dataset.records["places"].map(lambda places: "CIV" in places)]
    assert f"{name}: {len(touching)} record{'' if len(touching) == 1 else 's'} in view" in card
    for record_id in touching.index:
        assert dataset.records.at[record_id, "name_en"] in card
    assert "The source names this country" in card and "Recent achievements, paragraph 7" in card


def test_a_country_in_the_url_opens_its_card(air_gapped_page, server_url, dataset):
    page = open_view(air_gapped_page, server_url + "?country=MDG&lang=fr")
    page.wait_for_function("document.querySelector('#details h2').innerText"
                           ".startsWith('Madagascar')")
    card = page.inner_text(DETAILS)
    assert "Situés ici" in card and "La source nomme ce pays" in card
    assert "Sécurité maritime, paragraphe 2" in card  # the Fort-Dauphin semaphore's section


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
