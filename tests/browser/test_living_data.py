"""An officer changes a record in the browser with its source, sees it on the map and in its
history, reverts it, and opens the data as it stood the day before; a refused change names
its field and saves nothing. Nothing leaves 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from bench.browser import served
from presence.loader import GEODATA

NDMO = ("Another technical expert on civil protection is seconded at the National Disaster "
        "Management Organization (NDMO), in Vanuatu.")


@pytest.fixture(scope="module")
def editable_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("living") / "geodata"
    shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("store*.gpkg*", "imports"))
    with served("ours", folder, editor="officer") as url:
        yield url


def fill_change(page, until: str, quote: str, why: str) -> None:
    page.get_by_role("button", name="Edit this record").click()
    page.locator('[id*="valid_until"]').first.wait_for()
    page.locator('[id*="valid_until"]').first.fill(until)
    page.locator("#edit-document").click()
    page.keyboard.type("France in the Indo-Pacific")
    page.keyboard.press("Enter")
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
