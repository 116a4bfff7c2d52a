"""Browser figures in headless Debian Chromium with every request off 127.0.0.1 aborted:
navigation to first map drawn, bytes transferred for the first load, and click on a filter
to map redrawn over a series of theme, layer and region changes."""

from __future__ import annotations

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
def served(app: str, data: Path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.serve", "--app", app, "--data",
                                str(data), "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
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


def _change(page, kind: str, value: str) -> None:
    if kind == "theme":
        page.click(f"#filter-themes input[value='{value}']")
    elif kind == "layer":
        page.click(f"#filter-layers input[value='{value}']")
    else:
        page.click("#filter-region")
        page.get_by_role("option", name=value, exact=True).click()


def measure_page(url: str, changes: int, timeout_ms: int = 120_000) -> dict:
    external: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # Playwright's waits poll with eval(), which the dashboard's CSP forbids.
        page = browser.new_page(viewport={"width": 1400, "height": 900}, bypass_csp=True)

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
        transferred = page.evaluate("""() => performance.getEntriesByType('navigation')
            .concat(performance.getEntriesByType('resource'))
            .reduce((sum, entry) => sum + (entry.transferSize || 0), 0)""")
        page.evaluate("""() => { const gd = document.querySelector('#map .js-plotly-plot');
            window.__drawn = 0; gd.on('plotly_afterplot', () => { window.__drawn = performance.now(); }); }""")
        redraw_ms = []
        for kind, value in _actions(changes):
            page.wait_for_timeout(150)  # let the previous redraw settle
            page.evaluate("window.__drawn = 0")
            started = page.evaluate("performance.now()")
            _change(page, kind, value)
            page.wait_for_function("window.__drawn > 0", timeout=timeout_ms)
            redraw_ms.append(page.evaluate("window.__drawn") - started)
        browser.close()
    return {"first_map_ms": first_map_ms, "first_load_transfer_bytes": transferred,
            "click_to_redrawn_ms": summarise(redraw_ms), "external_requests": len(external)}
