"""Browser fixtures: the dashboard served on 127.0.0.1, and headless Debian Chromium that
aborts and records every request leaving the machine."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
LOCAL_PREFIXES = ("http://127.0.0.1", "data:", "blob:")
# Chromium's own background calls (updates, sign-in) must not leave the machine either.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server_url():
    port = free_port()
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"dashboard did not start:\n{process.stdout.read().decode()}")
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AirGappedPage:
    """A page whose every request to anything but 127.0.0.1 is aborted and remembered."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
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
