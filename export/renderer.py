"""Turns figures into PNG, SVG or PDF bytes with Kaleido and the system's Chromium, offline.

One headless Chromium serves every export of a process: it is started on the first export
(about 3 s) and reused (each later image costs only its drawing). Chromium runs with every
host name resolving to nothing but 127.0.0.1, MathJax off and the base maps read from our
assets, so no request can leave the machine.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import signal
import stat
import struct
import tempfile
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

import kaleido
from kaleido._kaleido_tab import _devtools_utils

ASSETS = Path(__file__).resolve().parent.parent / "assets"
TOPOJSON = ASSETS / "topojson"
# plotly.js's geo-only bundle, the dashboard's own (scatter, scattergeo, choropleth: every
# trace an export draws), rather than the full one plotly.py ships: Chromium parses a third,
# and its first export takes 4.8 s rather than 7.2 s (6.2 s of its CPU rather than 8.3), the
# same pixels out.
PLOTLY_JS = ASSETS / "plotly-geo.min.js"
FORMATS = ("png", "svg", "pdf")
# Chromium's headless shell first (Debian `chromium-headless-shell`: the same engine built
# for drawing with no window): the same pixels out (an A4 PNG byte-identical, its PDF page
# pixel-identical), for about a sixth less CPU (tests/test_export.py: 62 s of the machine's
# CPU rather than 75); Debian's full `chromium` where it is the one installed.
CHROMIUM_NAMES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
# Chromium's own background calls (updates, safe browsing…) survive
# --disable-background-networking; a resolver that knows no host stops them all.
OFFLINE_FLAGS = ('--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
                 "--disable-background-networking", "--no-pings")
# Chromium's caches grow with every page drawn; a fresh one after this many images keeps a
# long-running server's memory bounded (restarting costs ~3 s once).
RECYCLE_AFTER = 200
TABS = 2  # one per core here: two figures draw at once (8 renders took 7.0 s, 10.8 s with one)
# Chromium starts in 3-5 s, 15 s on a machine under load; one start in a few hundred on a
# loaded machine never finished (a 60 s wait, then "could not start", in a test run of
# 7 December). A second Chromium is started after the first has waited this long, and the
# second has the longer wait.
START_TIMEOUTS_S = (30, 60)
RENDER_TIMEOUT_S = 120
# Figures a tab draws between reloads. Kaleido reloads a tab after every figure, which parses
# plotly.js again: a quarter of an export's work in Chromium (8 exports: 12.7 s of its CPU
# with a reload each, 9.3 s without, the same bytes out). A figure leaves nothing in its tab
# (Plotly.toImage purges the plot it draws; the next figure sets the PDF's image and page
# size again), so a tab is reloaded every RELOAD_EVERY figures, and a figure that fails
# replaces the whole Chromium (Renderer.render_many).
RELOAD_EVERY = 20


async def _print_pdf_edge_to_edge(tab) -> str:
    """Kaleido's own PDF printing (kaleido._kaleido_tab._devtools_utils.print_pdf) without
    its 0.1-inch margins: with them, Chromium shrank every exported page's drawing by 1.6 %
    into a white frame, and a PDF no longer matched the PNG and SVG of the same page (nor
    the atlas's PNG, made from the PDF page: export/raster.py)."""
    response = await tab.send_command("Page.printToPDF", params={
        "printBackground": True, "marginTop": 0, "marginBottom": 0, "marginLeft": 0,
        "marginRight": 0, "preferCSSPageSize": True, "pageRanges": "1"})
    _devtools_utils._raise_error(response)
    return response.get("result", {}).get("data")


_devtools_utils.print_pdf = _print_pdf_edge_to_edge


class RenderError(RuntimeError):
    """Chromium could not be started or could not draw a figure."""


def find_chromium() -> str:
    for candidate in (os.environ.get("BROWSER_PATH"), *CHROMIUM_NAMES):
        found = candidate and shutil.which(candidate)
        if found:
            return found
    raise RenderError("no Chromium found for exporting images: install Debian's "
                      "`chromium-headless-shell` (or `chromium`) package, or set BROWSER_PATH "
                      "to a Chromium executable")


def offline_launcher(chromium: str, folder: Path, server_pid: int) -> Path:
    """A script that starts Chromium with the offline flags (Kaleido takes no extra flags,
    only the path of the browser to run), watched: a server worker that is killed cannot
    stop its Chromium, and Kaleido's helper process may outlive it, so a small watchdog
    kills Chromium once `server_pid` is gone. It exits with Chromium otherwise."""
    script = folder / "chromium-offline"
    flags = " ".join(f"'{flag}'" for flag in OFFLINE_FLAGS)
    script.write_text(
        "#!/bin/sh\n"
        "browser=$$\n"  # exec keeps the process id: this is Chromium's once it runs
        f"(while kill -0 {server_pid} 2>/dev/null && kill -0 $browser 2>/dev/null; do "
        "sleep 1; done; kill -KILL $browser 2>/dev/null) "
        "</dev/null >/dev/null 2>&1 3>&- 4>&- &\n"
        f'exec "{chromium}" {flags} "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


class TabKeepingKaleido(kaleido.Kaleido):
    """Kaleido reloading a tab every RELOAD_EVERY figures, not after each."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drawn_since_reload: dict[int, int] = {}  # by tab

    async def _return_kaleido_tab(self, tab) -> None:  # Kaleido's own, without its reload
        drawn = self.drawn_since_reload.get(id(tab), 0) + 1
        if drawn >= RELOAD_EVERY:
            await tab.reload()
            drawn = 0
        self.drawn_since_reload[id(tab)] = drawn
        await self.tabs_ready.put(tab)


class Renderer:
    """A Kaleido instance running on its own event loop thread; safe to call from several
    threads (Dash serves callbacks on threads): Kaleido queues figures for its tabs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: kaleido.Kaleido | None = None
        self._folder: tempfile.TemporaryDirectory | None = None
        self._drawn = 0

    @property
    def started(self) -> bool:
        return self._kaleido is not None

    def start(self) -> None:
        with self._lock:
            if self._kaleido is not None:
                return
            chromium = find_chromium()
            for attempt, seconds in enumerate(START_TIMEOUTS_S, start=1):
                try:
                    self._start_chromium(chromium, seconds)
                    break
                except Exception as error:  # noqa: BLE001 - said, then tried once more
                    failure = f"{type(error).__name__} {error}".strip()
                    if attempt == len(START_TIMEOUTS_S):
                        raise RenderError(f"could not start Chromium ({chromium}) for exports "
                                          f"({attempt} tries): {failure}") from error
            atexit.register(self.stop)

    def _start_chromium(self, chromium: str, seconds: float) -> None:
        """One Chromium with its Kaleido tabs, within `seconds`; a start that fails or
        takes longer leaves no process, loop or folder behind."""
        folder = tempfile.TemporaryDirectory(prefix="export-chromium-")
        launcher = offline_launcher(chromium, Path(folder.name), os.getpid())
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
        thread.start()
        renderer = TabKeepingKaleido(n=TABS, timeout=RENDER_TIMEOUT_S, mathjax=False,
                                     plotlyjs=str(PLOTLY_JS), path=str(launcher))
        try:
            asyncio.run_coroutine_threadsafe(renderer.open(), loop).result(seconds)
        except BaseException:
            process = getattr(renderer, "subprocess", None)
            if process is not None:  # a hung start answers nothing: Kaleido's close would wait
                with contextlib.suppress(ProcessLookupError):
                    # Kaleido's helper and Chromium under it, in a session of their own
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
            _end(loop, thread)
            folder.cleanup()
            raise
        self._folder, self._loop, self._thread, self._kaleido = folder, loop, thread, renderer

    def stop(self) -> None:
        with self._lock:
            if self._kaleido is None:
                return
            try:
                asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(20)
            except Exception:  # noqa: BLE001 - Chromium already gone: nothing left to close
                pass
            _end(self._loop, self._thread)
            self._kaleido = self._loop = self._thread = None
            self._folder.cleanup()

    def render(self, figure: dict, fmt: str, width: float, height: float,
               scale: float = 1.0) -> bytes:
        """The image of a figure dict, `width` × `height` CSS pixels, times `scale` in PNG."""
        result = self.render_many([Drawing(figure, fmt, width, height, scale)])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def render_many(self, drawings: list[Drawing]) -> list[bytes | RenderError]:
        """Draw several figures at once, one per tab; a figure that fails gives its error
        in its place and the others are still drawn."""
        for drawing in drawings:
            if drawing.fmt not in FORMATS:
                raise RenderError(f"unknown format '{drawing.fmt}' (expected one of "
                                  f"{', '.join(FORMATS)})")
        self.start()
        topojson = TOPOJSON.as_uri() + "/"

        async def draw_all():
            return await asyncio.gather(*(
                self._kaleido.calc_fig(d.figure, opts={"format": d.fmt, "width": d.width,
                                                       "height": d.height, "scale": d.scale},
                                       topojson=topojson)
                for d in drawings), return_exceptions=True)

        timeout = RENDER_TIMEOUT_S * max(1, len(drawings) // TABS) + 10
        try:
            results = asyncio.run_coroutine_threadsafe(draw_all(), self._loop).result(timeout)
        except Exception as error:  # the loop itself failed, or timed out
            self.stop()  # the next export starts a fresh Chromium
            raise RenderError(f"Chromium could not draw the maps: {error}") from error
        self._drawn += len(drawings)
        if any(isinstance(r, BaseException) for r in results) or self._drawn >= RECYCLE_AFTER:
            # A figure that failed (its tab may still be drawing it, or Chromium crashed), or
            # a Chromium that has drawn enough: a fresh one next time.
            self.stop()
            self._drawn = 0
        return [RenderError(f"Chromium could not draw the map: {r}") if isinstance(r, BaseException)
                else r for r in results]


def _end(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    """Stop the loop, wait for its thread, close it (an unclosed loop complains at exit)."""
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    if not thread.is_alive():
        loop.close()


@dataclass(frozen=True)
class Drawing:
    figure: dict
    fmt: str
    width: float  # CSS pixels
    height: float
    scale: float = 1.0


def with_png_resolution(png: bytes, dpi: int) -> bytes:
    """The PNG with a pHYs chunk, so that it prints at its size in millimetres rather than
    at whatever resolution the printing program assumes."""
    per_metre = round(dpi / 0.0254)
    data = struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", len(data)) + b"pHYs" + data + \
        struct.pack(">I", zlib.crc32(b"pHYs" + data))
    header_end = 8 + 8 + 13 + 4  # signature, then the IHDR chunk, which must come first
    return png[:header_end] + chunk + png[header_end:]
