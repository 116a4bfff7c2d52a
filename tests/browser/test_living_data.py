"""An officer changes a record in the browser with its source, sees it on the map and in its
history, reverts it, and opens the data as it stood the day before; a refused change names
its field and saves nothing. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from pages import wait_for_map_sized
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.browser import served
from presence.loader import GEODATA

NDMO = ("Another technical expert on civil protection is seconded at the National Disaster "
        "Management Organization (NDMO), in Vanuatu.")


@pytest.fixture(scope="module")
def editable(tmp_path_factory):
    folder = tmp_path_factory.mktemp("living") / "geodata"
    shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("store*.gpkg*", "imports"))
    with served("ours", folder, editor="officer") as url:
        yield url, folder


@pytest.fixture(scope="module")
def editable_url(editable):
    return editable[0]


def choose(page, dropdown, typed: str, option: str) -> None:
    """Pick a dropdown's option by typing part of it and clicking the one that says `option`."""
    # The form's panel can still move (the details above it grow as the map answers), and a
    # dropdown's list closes when its box moves: try again, as a user would.
    for attempt in range(4):
        dropdown.click()
        try:
            page.get_by_role("option").first.wait_for(timeout=3000)
            # Into the open list's own search box, at once: keys typed one by one can be
            # lost, and typed at the keyboard they once went to the field filled before,
            # which still had the focus ("2025-06Embassy note").
            page.locator("input.dash-dropdown-search:visible").first.fill(typed, timeout=3000)
            page.get_by_role("option").filter(has_text=option).first.click(timeout=3000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            if attempt == 3:
                raise
    assert option in dropdown.inner_text()


def fill_change(page, until: str, quote: str, why: str) -> None:
    page.get_by_role("button", name="Edit this record").click()
    page.locator('[id*="valid_until"]').first.wait_for()
    page.locator('[id*="valid_until"]').first.fill(until)
    choose(page, page.locator("#edit-document"), "France in the Indo", "Fact sheet No.5")
    page.locator("#edit-section").fill("Civil security, paragraph 1")
    page.locator("#edit-quote").fill(quote)
    page.locator("#edit-why").fill(why)
    page.get_by_role("button", name="Save the change").click()


def test_a_change_with_its_source_shows_is_kept_and_reverted(air_gapped_page, editable_url):
    page = air_gapped_page.page
    page.goto(f"{editable_url}?selected=fs05-ndmo-vanuatu-expert")
    page.get_by_text("Changes to this record (0)").wait_for()
    assert page.locator(".data-number").inner_text() == "Data: change 0"

    # Words not in the document: refused, naming the field; nothing saved.
    fill_change(page, "2023-09", "The expert left Vanuatu.", "The embassy says so.")
    page.locator(".edit-problems").wait_for()
    assert "source.quote" in page.locator(".edit-problems").inner_text()
    assert page.locator(".data-number").inner_text() == "Data: change 0"

    page.locator("#edit-quote").fill(NDMO)
    page.get_by_role("button", name="Save the change").click()
    page.get_by_text("Change 1 saved.").wait_for()
    page.get_by_text("Changes to this record (1)").wait_for()
    details = page.locator("#details")
    page.wait_for_function("() => document.querySelector('#details').innerText"
                           ".includes('September 2023')")
    assert "In force until\tSeptember 2023" in details.inner_text()
    history = page.locator("#editor").inner_text()
    assert "officer · edited" in history and "The embassy says so." in history
    assert re.search(r"In force until\s+—\s+2023-09", history)
    # The map's hover names the change too: the record is now in force until 2023 only.
    page.goto(f"{editable_url}?selected=fs05-ndmo-vanuatu-expert&year=2024")
    page.get_by_text("Changes to this record (1)").wait_for()
    assert "fs05-ndmo-vanuatu-expert" not in page.locator("#records-table").inner_text()

    page.goto(f"{editable_url}?selected=fs05-ndmo-vanuatu-expert")
    page.get_by_text("Changes to this record (1)").wait_for()
    page.locator("#editor").get_by_role("button", name="Revert").first.click()
    page.locator("#edit-why").fill("The expert is still there.")
    page.locator("#revert-confirm").click()
    page.get_by_text("Change 2 saved.").wait_for()
    page.get_by_text("Changes to this record (2)").wait_for()
    page.wait_for_function("() => !document.querySelector('#details').innerText"
                           ".includes('In force until\\tSeptember 2023')")
    assert "reverted change 1" in page.locator("#editor").inner_text()

    # The day before, typed in the header: the data as it stood, said so, read only.
    yesterday = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)).isoformat()
    page.locator("#as-of-day").fill(yesterday)
    page.get_by_role("button", name="Show", exact=True).click()
    banner = page.locator(".as-of-banner")
    banner.wait_for()
    assert f"asof={yesterday}" in page.url and "selected=fs05-ndmo-vanuatu-expert" in page.url
    assert "after change 0" in banner.inner_text()
    page.get_by_text("Changes to this record (0)").wait_for()
    assert not page.get_by_role("button", name="Edit this record").count()  # the past is read
    page.get_by_role("link", name="Back to today’s data").click()
    page.get_by_text("Changes to this record (2)").wait_for()
    assert "asof=" not in page.url
    assert air_gapped_page.external == []


def field(page, name: str):
    return page.locator(f"[id*='\"{name}\"']").first


def test_a_new_record_is_placed_by_a_city_typed_or_a_click_on_the_map(air_gapped_page,
                                                                       editable_url):
    page = air_gapped_page.page
    page.goto(editable_url)
    page.get_by_role("button", name="New record").click()
    page.locator("#place-query").wait_for()

    # A city typed: the places of that name offered, one chosen fills the point's fields.
    page.locator("#place-query").fill("tananarive")
    page.locator("#place-query").press("Enter")
    page.get_by_role("button", name=re.compile(r"^Antananarivo, Madagascar")).click()
    page.get_by_text("Place set: Antananarivo, Madagascar").wait_for()
    assert field(page, "city").input_value() == "Antananarivo"
    assert abs(float(field(page, "lat").input_value()) + 18.914) < 0.01
    assert "Madagascar (MDG)" in field(page, "host_iso3").inner_text()
    assert "named" in field(page, "place_basis").inner_text()

    # Coordinates typed, latitude first.
    page.locator("#place-query").fill("17.73 S, 168.32 E")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name=re.compile(r"^Port-Vila, Vanuatu \(-17.73, 168.32\)")).click()
    page.wait_for_function("() => document.querySelector(`[id*='\"lon\"']`).value === '168.32'")

    # A click on the map, at Fort-Dauphin as the map's own projection places it; the map's
    # click does not close the form or lose what is typed.
    field(page, "name_en").fill("Liaison officer at the CRFIM")
    wait_for_map_sized(page)  # the page's first map, built for its size, has come
    x, y = page.evaluate("""() => {
        const plot = document.querySelector('#map .js-plotly-plot');
        const at = plot._fullLayout.geo._subplot.projection([46.98, -25.03]);
        const box = plot.querySelector('.main-svg').getBoundingClientRect();
        return [box.left + at[0], box.top + at[1]];
    }""")
    page.mouse.click(x, y)
    page.get_by_text(re.compile(r"Place set: [^,]+, Madagascar \(-2[45]\.")).wait_for()
    assert abs(float(field(page, "lat").input_value()) + 25.03) < 0.5
    assert abs(float(field(page, "lon").input_value()) - 46.98) < 0.5
    assert "site" in field(page, "place_basis").inner_text()
    assert field(page, "name_en").input_value() == "Liaison officer at the CRFIM"

    # Back to the capital, and the rest of the record: saved, and on the map where it was put.
    page.locator("#place-query").fill("Antananarivo")
    page.locator("#place-query").press("Enter")
    page.get_by_role("button", name=re.compile(r"^Antananarivo, Madagascar")).click()
    page.get_by_text("Place set: Antananarivo, Madagascar").wait_for()
    field(page, "id").fill("officer-crfim-liaison")
    for name, typed in (("layer", "centre"), ("theme", "maritime-security"),
                        ("category", "liaison-officer")):
        choose(page, field(page, name), typed, typed)
    field(page, "name_fr").fill("Officier de liaison au CRFIM")
    field(page, "actor").fill("France (French officers)")
    field(page, "as_of").fill("2023-09")
    field(page, "description").fill("One of the three French officers at the fusion centres.")
    choose(page, page.locator("#edit-document"), "France in the Indo", "Fact sheet No.5")
    page.locator("#edit-section").fill("Maritime security, paragraph 1")
    page.locator("#edit-quote").fill(
        "Three French officers actively contribute to the Information Fusion Centre (IFC) in "
        "Singapore, the Regional Maritime Information Fusion Centre (CRFIM) in Madagascar")
    page.locator("#edit-why").fill("One of the three officers serves at the CRFIM.")
    page.get_by_role("button", name="Save the change").click()
    page.locator(".editor-message").filter(has_text=re.compile("saved|Not saved")).wait_for()
    assert re.fullmatch(r"Change \d+ saved\.", page.locator(".editor-message").inner_text())
    page.get_by_text("Changes to this record (1)").wait_for()
    assert "Liaison officer at the CRFIM" in page.locator("#details").inner_text()
    assert "Antananarivo" in page.locator("#details").inner_text()
    assert air_gapped_page.external == []


EMBASSY_NOTE = ("<html><head><title>Note</title><script>var x = 'not text';</script></head>"
                "<body><h1>Embassy note</h1><p>The civil protection expert seconded to the "
                "NDMO in Vanuatu ended his mission in <b>June 2025</b>.</p></body></html>")


def test_a_document_added_in_the_browser_is_listed_and_cited_by_a_change(
        air_gapped_page, editable_url, tmp_path):
    page = air_gapped_page.page
    page.goto(editable_url)
    page.get_by_role("button", name="Add a document").click()
    upload = page.locator("#document-upload input[type=file]")

    # Not a PDF, named as one: refused, naming the file; nothing is added.
    (tmp_path / "fake.pdf").write_bytes(b"<html>not a pdf</html>")
    upload.set_input_files(str(tmp_path / "fake.pdf"))
    page.get_by_text("File: fake.pdf").wait_for()
    form = page.locator("#editor")
    form.get_by_label("Title", exact=True).fill("Embassy note on the NDMO")
    form.get_by_label("Publisher").fill("Embassy of France in Vanuatu")
    form.get_by_label("Date (2026, 2026-03 or 2026-03-01)").fill("2025-07")
    page.get_by_role("button", name="Add to the library").click()
    page.locator(".edit-problems").wait_for()
    assert "not a PDF" in page.locator(".edit-problems").inner_text()

    (tmp_path / "note.html").write_text(EMBASSY_NOTE, encoding="utf-8")
    upload.set_input_files(str(tmp_path / "note.html"))
    page.get_by_text("File: note.html").wait_for()
    page.get_by_role("button", name="Add to the library").click()
    page.get_by_text(re.compile(r"^Document added to the library: [\w-]+\.$")).wait_for()
    document = page.locator(".editor-message").inner_text().split(": ")[1].rstrip(".")
    page.get_by_text("Source library (6 documents)").click()
    listed = page.locator(".library-list").inner_text()
    assert "Embassy note on the NDMO — Embassy of France in Vanuatu, July 2025 (English)" in listed
    assert f"{document} · note.html · SHA-256" in listed and "added by officer" in listed

    # A change quoting the note's words, as its text was read (markup and script dropped).
    page.goto(f"{editable_url}?selected=fs05-ndmo-vanuatu-expert")
    page.get_by_role("button", name="Edit this record").click()
    field(page, "valid_until").fill("2025-06")
    choose(page, page.locator("#edit-document"), "Embassy note", "Embassy note on the NDMO")
    page.locator("#edit-section").fill("Paragraph 1")
    page.locator("#edit-quote").fill("ended his mission in June 2025")
    page.locator("#edit-why").fill("The embassy reports the end of the mission.")
    page.get_by_role("button", name="Save the change").click()
    page.locator(".editor-message").filter(has_text=re.compile("saved|Not saved")).wait_for()
    assert re.fullmatch(r"Change \d+ saved\.", page.locator(".editor-message").inner_text())
    page.locator("#editor .change-list").get_by_text("ended his mission in June 2025").wait_for()
    history = page.locator("#editor").inner_text()
    assert "ended his mission in June 2025" in history and "Embassy note on the NDMO" in history
    assert air_gapped_page.external == []


NEMA = ("An advisor is also seconded to the Director of the Mongolian Emergency Management "
        "Agency (NEMA).")


def test_an_open_page_says_when_the_data_changed_elsewhere_and_shows_it(air_gapped_page,
                                                                        editable):
    from presence.store import Store, parse_change

    url, folder = editable
    page = air_gapped_page.page
    page.goto(f"{url}?selected=fs05-nema-advisor")
    page.get_by_text(re.compile(r"Changes to this record \(\d+\)")).wait_for()
    before = page.locator(".data-number").inner_text()
    renamed = "Advisor to the Director of NEMA, Ulaanbaatar"
    assert renamed not in page.locator("#details").inner_text()
    notice = page.locator("#data-changed")
    assert notice.is_hidden()

    # A colleague renames the record, on another server of the team.
    number = Store(folder).apply(parse_change({
        "record": "fs05-nema-advisor", "set": {"name_en": renamed},
        "why": "A clearer name.",
        "source": {"document": "fs05", "section": "Civil security, paragraph 1",
                   "quote": NEMA}}, "test"), "colleague")
    notice.wait_for(state="visible", timeout=15_000)
    assert "The data has changed since this map was drawn" in notice.inner_text()
    assert page.locator(".data-number").inner_text() == before  # the map is not redrawn unasked
    page.get_by_role("button", name="Show the new data").click()
    page.wait_for_function(f"() => document.querySelector('#data-number').textContent"
                           f" === 'Data: change {number}'")
    notice.wait_for(state="hidden")
    page.locator("#details").get_by_text(renamed).first.wait_for()
    assert air_gapped_page.external == []
