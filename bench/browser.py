"""Browser figures in headless Debian Chromium with every request off 127.0.0.1 aborted:
navigation to first map drawn, bytes transferred for the first load, and click on a filter
to map redrawn over a series of theme, layer and region changes (each kind apart too); in
presentation mode at 1920×1080, a theme key to map redrawn; a country's card opened.

A change is timed from its input event (the `timeStamp` of the click or key, taken by a
listener on the document) to Plotly's next `plotly_afterplot`: Playwright's own work
before the click lands is not the dashboard's."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.server import summarise

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
THEMES = ["civil-security", "maritime-security", "domestic-security", "environmental-crime",
          "defence-cooperation"]
LAYERS = ["embassy-post", "school", "centre", "project-footprint", "detachment"]
REGIONS = ["Indian Ocean", "World", "Pacific", "South-East Asia", "East Africa", "World"]
DRAWN = "document.querySelectorAll('.choroplethlayer path.choroplethlocation').length > 0"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(app: str, data: Path, editor: str | None = None, database: str | None = None):
    """An app server on a free port of 127.0.0.1; `database`: its store's DATABASE_URL."""
    port = free_port()
    environment = {**os.environ, **({"DATABASE_URL": database} if database else {})}
    process = subprocess.Popen([sys.executable, "-m", "bench.serve", "--app", app, "--data",
                                str(data), "--port", str(port),
                                *(["--editor", editor] if editor else [])], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               env=environment)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 300
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{app} app on {data} did not start")
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _actions(count: int) -> list[tuple[str, str]]:
    """A repeatable mix of theme, layer and region changes."""
    kinds = [("theme", THEMES), ("layer", LAYERS), ("region", REGIONS)]
    return [(kinds[i % 3][0], kinds[i % 3][1][(i // 3) % len(kinds[i % 3][1])])
            for i in range(count)]


# Presentation mode: keys 1-5 show one theme, 0 every theme (assets/keyboard.js).
THEME_KEYS = ["1", "0", "3", "0", "5", "2", "0", "4"]
SETTLE_MS = 250  # between a redraw and the next change
CARDS = ["Madagascar", "Vanuatu", "Kenya", "Indonesia", "Comoros", "Fiji"]
# Timestamps of the last input event and of the map's next redraw, kept by the page.
LISTEN = """() => { const gd = document.querySelector('#map .js-plotly-plot');
    window.__input = 0; window.__drawn = 0;
    const took = (e) => { window.__input = e.timeStamp; window.__drawn = 0; };
    document.addEventListener('click', took, true);
    document.addEventListener('keydown', took, true);
    gd.on('plotly_afterplot', () => { if (!window.__drawn) window.__drawn = performance.now(); }); }"""


def _launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


def _open(browser, url: str, size: tuple[int, int], external: list[str],
          timeout_ms: int = 120_000):
    """A page at `url`, its requests off 127.0.0.1 aborted (and listed in `external`), once
    its first map is drawn; and the time that took."""
    # Playwright's waits poll with eval(), which the dashboard's CSP forbids.
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, bypass_csp=True)

    def route(request_route):
        if request_route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            request_route.continue_()
        else:
            external.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(url, timeout=timeout_ms)
    first_map_ms = page.wait_for_function(f"{DRAWN} && performance.now()",
                                          timeout=timeout_ms).json_value()
    page.wait_for_load_state("networkidle", timeout=timeout_ms)
    page.wait_for_timeout(1000)  # the map's size reported, and the map framed for it
    page.evaluate(LISTEN)
    return page, first_map_ms


def _timed(page, act, timeout_ms: int = 120_000) -> float:
    """Input event → map redrawn, in ms, for what `act` does to the page."""
    page.wait_for_timeout(SETTLE_MS)
    page.evaluate("window.__input = 0; window.__drawn = 0")
    act()
    page.wait_for_function("window.__drawn > 0 && window.__input > 0", timeout=timeout_ms)
    return page.evaluate("window.__drawn - window.__input")


def _change(page, kind: str, value: str) -> None:
    if kind == "theme":
        page.click(f"#filter-themes input[value='{value}']")
    elif kind == "layer":
        page.click(f"#filter-layers input[value='{value}']")
    else:
        page.click("#filter-region")
        page.get_by_role("option", name=value, exact=True).click()


def measure_page(url: str, changes: int, timeout_ms: int = 120_000,
                 size: tuple[int, int] = (1600, 1000)) -> dict:
    external: list[str] = []
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page, first_map_ms = _open(browser, url, size, external, timeout_ms)
        # What the first map needed: the polygons fetched later, while the page is idle
        # (assets/polygons.js), are not part of it.
        transferred = page.evaluate("""(drawn) => performance.getEntriesByType('navigation')
            .concat(performance.getEntriesByType('resource'))
            .filter((entry) => entry.responseEnd <= drawn)
            .reduce((sum, entry) => sum + (entry.transferSize || 0), 0)""", first_map_ms)
        by_kind: dict[str, list[float]] = {"theme": [], "layer": [], "region": []}
        for kind, value in _actions(changes):
            by_kind[kind].append(_timed(page, lambda: _change(page, kind, value), timeout_ms))
        browser.close()
    toggles = by_kind["theme"] + by_kind["layer"]
    return {"first_map_ms": first_map_ms, "first_load_transfer_bytes": transferred,
            "click_to_redrawn_ms": summarise(toggles + by_kind["region"]),
            "toggle_to_redrawn_ms": summarise(toggles) if toggles else None,
            "region_to_redrawn_ms": summarise(by_kind["region"]) if by_kind["region"] else None,
            "external_requests": len(external)}


def measure_presenting(url: str, changes: int, timeout_ms: int = 120_000) -> dict:
    """Presentation mode at 1920×1080: a theme key (one theme, or 0 for all) → redrawn."""
    external: list[str] = []
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page, _ = _open(browser, url + "?present=1", (1920, 1080), external, timeout_ms)
        keys = [THEME_KEYS[i % len(THEME_KEYS)] for i in range(changes)]
        times = [_timed(page, lambda key=key: page.keyboard.press(key), timeout_ms)
                 for key in keys]
        browser.close()
    return {"key_to_redrawn_ms": summarise(times), "external_requests": len(external)}


def measure_cards(url: str, count: int | None = None, timeout_ms: int = 120_000) -> dict:
    """A country chosen in the Country box (typed, then its entry clicked) → its card in
    the details panel, and → the map redrawn on its frame."""
    external: list[str] = []
    shown, drawn = [], []
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page, _ = _open(browser, url, (1600, 1000), external, timeout_ms)
        for country in CARDS[:count]:
            page.wait_for_timeout(SETTLE_MS)
            page.click("#find-country")
            # The open box's search field, filled: typed keys would follow the focus, which
            # Dash's dropdown can move to the chosen country's entry when the machine is busy.
            page.locator(".dash-dropdown-search").fill(country)
            option = page.get_by_role("option", name=country, exact=True)
            option.wait_for()
            page.evaluate("""(name) => { window.__drawn = 0; window.__input = 0;
                window.__card = 0; const details = document.getElementById('details');
                const seen = () => [...details.querySelectorAll('h2')].some(
                    h => h.textContent.includes(name));
                new MutationObserver((changes, observer) => { if (seen()) {
                    window.__card = performance.now(); observer.disconnect(); } })
                    .observe(details, {childList: true, subtree: true}); }""", country)
            option.click()
            page.wait_for_function("window.__card > 0 && window.__drawn > 0",
                                   timeout=timeout_ms)
            card, input_at, redrawn = page.evaluate(
                "[window.__card, window.__input, window.__drawn]")
            shown.append(card - input_at)
            drawn.append(redrawn - input_at)
        browser.close()
    return {"card_shown_ms": summarise(shown), "map_redrawn_ms": summarise(drawn),
            "external_requests": len(external)}
