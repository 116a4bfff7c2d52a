"""Browser fixtures: the dashboard served on 127.0.0.1, and headless Debian Chromium that
aborts and records every request leaving the machine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from bench.browser import ARGS, served
from presence.loader import GEODATA

LOCAL_PREFIXES = ("http://127.0.0.1", "data:", "blob:")
# Chromium's headless shell (Debian `chromium-headless-shell`), as Playwright itself runs
# headless tests: the same engine as Debian's `chromium`, built for drawing with no window.
# A page load costs the machine about a third less CPU (3.6–4.2 s rather than 4.8–6.2), and
# a browser test file a fifth less (71 s rather than 90), a tenth of the suite's time. The
# benchmark's pages stay in the full `chromium` (bench/browser.py).
CHROMIUM = "/usr/bin/chromium-headless-shell"


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    # The same launcher as the benchmark: `python -m bench.serve` on a free port, on a copy
    # of the shipped data (a developer's own store of changes left out).
    folder = tmp_path_factory.mktemp("served") / "geodata"
    shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("store*.gpkg*", "imports"))
    with served("ours", folder) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium-headless-shell "
                    "(`make install`)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class AirGappedPage:
    """A page whose every request to anything but 127.0.0.1 is aborted and remembered."""

    def __init__(self, browser, bypass_csp: bool = True):
        # Playwright's waits poll with eval() in the page, which the dashboard's
        # Content-Security-Policy forbids: tests bypass it, except the one that checks it.
        self.page = browser.new_page(viewport={"width": 1400, "height": 900},
                                     accept_downloads=True, bypass_csp=bypass_csp)
        self.external: list[str] = []
        self.local: list[str] = []
        self.page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL_PREFIXES):
            self.local.append(url)
            route.continue_()
        else:
            self.external.append(url)
            route.abort()


@pytest.fixture
def air_gapped_page(browser):
    gapped = AirGappedPage(browser)
    yield gapped
    gapped.page.close()
