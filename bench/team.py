"""A team's load with a large imported layer: how long pages take to open after a one-row
layer is added (three officers opening at once), and how long a country's card takes when
the country holds the whole layer. Compared, in the same run, with one page opened alone."""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.browser import CHROMIUM, served
from bench.imports import points_csv
from presence.imported.folder import FOLDER, save_layer
from presence.imported.reading import read_table
from presence.imported.rows import default_settings
from presence.loader import GEODATA

COUNTED = "/ of | sur /.test(document.querySelector('#record-count')?.innerText || '')"
TARGET_PAGE_S = 10  # the bar for each of three pages after a change (aim: 3 s)


def _add(folder: Path, name: str, data: bytes) -> None:
    save_layer(folder / FOLDER, data, default_settings(read_table(data, name), name))


def _page_seconds(browser, url: str) -> float:
    """From the request to the record count written by the view callback."""
    page = browser.new_page(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    try:
        started = time.perf_counter()
        page.goto(url, timeout=300_000)
        page.wait_for_function(COUNTED, timeout=300_000)
        return time.perf_counter() - started
    finally:
        page.close()


def measure_team(quick: bool) -> dict:
    rows = 500 if quick else 20_000
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "geodata"
        shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("build", "*.md",
                                                                       "store*.gpkg*"))
        # Every record in Madagascar: its card holds the whole layer.
        _add(folder, "sessions.csv", points_csv(rows, random.Random(5), [(47.5, -18.9)]))
        with served("ours", folder) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            try:
                alone = [_page_seconds(browser, url) for _ in range(1 if quick else 2)]
                _add(folder, "one.csv", b"name;category;lat;lon\nOne;Kind;-18.9;47.5\n")
                _page_seconds(browser, url)  # the page that notices the change
                # Playwright's pages are driven from one thread each: one browser per page.
                at_once: list[float] = []

                def officer() -> None:
                    with sync_playwright() as own:
                        other = own.chromium.launch(executable_path=CHROMIUM)
                        try:
                            at_once.append(_page_seconds(other, url))
                        finally:
                            other.close()

                _add(folder, "two.csv", b"name;category;lat;lon\nTwo;Kind;-18.9;47.5\n")
                officers = [threading.Thread(target=officer) for _ in range(3)]
                for thread in officers:
                    thread.start()
                for thread in officers:
                    thread.join(600)
                card = _page_seconds(browser, url + "?country=MDG")
            finally:
                browser.close()
    return {"layer_records": rows, "page_alone_s": round(statistics.median(alone), 2),
            "three_at_once_after_change_s": sorted(round(s, 2) for s in at_once),
            "card_of_the_layer_s": round(card, 2), "target_page_s": TARGET_PAGE_S}
