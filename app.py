"""France's security and defence cooperation dashboard: serves the map, or runs a data command.

    python app.py [--host 127.0.0.1] [--port 8050]   serve the dashboard
    python app.py check-data                         validate geodata/, print a summary
    python app.py review [--view QUERY]              each record beside its source's words
    python app.py records [--view QUERY] [--format csv|geojson]
    python app.py export --view QUERY --format png|svg|pdf [--size A4…] [--dpi N] -o FILE
    python app.py export --atlas -o FOLDER               one image per theme and region
    python app.py change FILE.json [--user NAME]     apply one change with its source
    python app.py history [RECORD] [--json]          the changes, newest first
    python app.py revert CHANGE --why TEXT            undo a change by a new one
    python app.py sources add FILE --title … --publisher … --date …   add to the library
    python app.py store backup FILE | restore FILE | conflicts
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    # The command line (commands.py) before the server's imports: a data command does not
    # wait for Dash and the whole dashboard to load; `serve` imports this module again.
    from commands import main

    sys.exit(main())

import functools
import gzip
import hashlib
import importlib.metadata
import json
import os
import struct
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import brotli
from dash import Dash
from flask import Flask, Response, has_request_context, request

import security
from callbacks import (
    controls,
    editing,
    guard,
    language,
    presentation,
    presenter,
    records_table,
    selection,
)
from callbacks import view as view_callbacks
from figures.world_map import GeoSources, areas, areas_geojson, countries_geojson
from figures.world_map.areas import AREA_TOLERANCE, SCREEN_TOLERANCES, made_from
from i18n import lang_in
from layout import build_layout, shortcuts_html
from panels import briefings as briefings_panel
from panels import bring_layer, decks
from panels import export as export_panel
from presence.briefings import FOLDER as BRIEFINGS
from presence.briefings import BriefingStore
from presence.kept_files import KeptFiles
from presence.live import LiveDataset
from presence.loader import GEODATA
from presence.memo import per_dataset

ASSETS = Path(__file__).resolve().parent / "assets"


class GeoDash(Dash):
    """Dash serving plotly.js's geo-only bundle (assets/plotly-geo.min.js, 1.4 MB) instead of
    the full one (4.8 MB): the map only draws geo traces, and the browser parses a third.
    The page declares the language its URL asks for (screen readers pronounce by it), and
    holds the list of shortcuts in that language (layout.shortcuts_html)."""

    def _setup_plotlyjs(self):
        self._plotlyjs_url = None

    def interpolate_index(self, **kwargs):
        lang = page_lang()
        # Before the app's own element, outside React: nothing of Dash's touches it.
        kwargs["app_entry"] = shortcuts_html(lang) + kwargs["app_entry"]
        page = super().interpolate_index(**kwargs)
        return page.replace("<html>", f'<html lang="{lang}">', 1)


def page_lang() -> str:
    """The language of the page a request is for: the page's own URL, or for the requests
    the page makes (its layout), the page URL the browser sends as referrer."""
    return lang_in(page_query())


def page_query() -> str:
    """The query of the page a request is for (see page_lang); "" outside a request."""
    if not has_request_context():
        return ""
    if request.path.startswith("/_dash"):
        return urlsplit(request.referrer or "").query
    return request.query_string.decode("latin-1")


# The GeoJSON the map's polygon traces name: the full countries and areas, and lighter ones
# for frames where a pixel spans their tolerance (figures.world_map.areas.SCREEN_TOLERANCES),
# by route: (what they draw, tolerance in degrees; None: as loaded).
GEOJSON_ROUTES = {"/geodata/countries.geojson": ("countries", None),
                  "/geodata/areas.geojson": ("areas", AREA_TOLERANCE)}
GEOJSON_ROUTES |= {f"/geodata/{kind}-{tolerance}.geojson": (kind, tolerance)
                   for tolerance in SCREEN_TOLERANCES for kind in ("countries", "areas")
                   if (kind, tolerance) not in GEOJSON_ROUTES.values()}


# The map's GeoJSON files, kept for every process of the machine (presence/kept_files.py):
# each server worker, a restarted server and each app the tests build made them again, about
# 3 s of work for the five. Named by what they are drawn from, and by the code and libraries
# that draw them.
GEOJSON_FILES = KeptFiles("dashboard-geojson", ".bin", most_files=32, most_bytes=512 * 2**20)
_ENCODINGS = ("identity", "br", "gzip")
_LENGTHS = struct.Struct("<3Q")


@functools.cache
def _drawn_by() -> bytes:
    """What else names the files: the code that draws and encodes them (areas.py, this
    module) and the versions of the libraries it calls."""
    code = b"".join(Path(module.__file__).read_bytes()
                    for module in (areas, sys.modules[__name__]))
    versions = [importlib.metadata.version(name) for name in ("shapely", "geopandas", "brotli")]
    return code + "|".join(versions).encode()


@per_dataset  # once per data set: every request for a file names it
def _geojson_keys(dataset) -> dict[str, str]:
    return {}


def geojson_key(dataset, route: str) -> str:
    """The digest that names a route's file for this data set (a few milliseconds)."""
    keys = _geojson_keys(dataset)
    if route not in keys:
        kind, tolerance = GEOJSON_ROUTES[route]
        keys[route] = hashlib.blake2b(
            b"\0".join([made_from(dataset, kind), f"{route}|{tolerance}".encode(), _drawn_by()]),
            digest_size=20).hexdigest()
    return keys[route]


def _encoded(collection: dict) -> bytes:
    """The file as served uncompressed, with Brotli and with gzip, behind their lengths."""
    body = json.dumps(collection, separators=(",", ":")).encode()
    encoded = [body, brotli.compress(body, quality=9), gzip.compress(body, 6)]
    return _LENGTHS.pack(*map(len, encoded)) + b"".join(encoded)


def _whole(kept: bytes) -> bool:
    """Whether a kept file is one this code wrote whole: its lengths add up."""
    return len(kept) >= _LENGTHS.size and \
        _LENGTHS.size + sum(_LENGTHS.unpack_from(kept)) == len(kept)


def _decoded(kept: bytes) -> dict[str, bytes]:
    bodies, start = {}, _LENGTHS.size
    for encoding, length in zip(_ENCODINGS, _LENGTHS.unpack_from(kept)):
        bodies[encoding], start = kept[start:start + length], start + length
    return bodies


class GeoJSONFiles:
    """The GeoJSON the map's polygon traces name, served from what was loaded and validated,
    not re-read from disk; compressed once per state of the data rather than on every
    request (they are the biggest files served; Brotli gets the dissolved areas to a third of
    gzip's size). The areas' URL carries the data's version, so that a browser fetches them
    again once a layer is imported."""

    def __init__(self, data: LiveDataset):
        self.data = data
        self.encoded: dict[str, dict[str, bytes]] = {}  # by geojson_key

    def bodies(self, route: str) -> dict[str, bytes]:
        dataset = self.data.current()
        key = geojson_key(dataset, route)
        if key not in self.encoded:
            kind, tolerance = GEOJSON_ROUTES[route]
            make = countries_geojson if kind == "countries" else areas_geojson
            kept = GEOJSON_FILES.made_once(
                key, lambda: _encoded(make(dataset, tolerance)), GEOJSON_FILES.most_bytes,
                usable=_whole)
            # The files of older data versions are not asked for again.
            current = {geojson_key(dataset, other) for other in GEOJSON_ROUTES}
            self.encoded = {old: bodies for old, bodies in self.encoded.items()
                            if old in current}
            self.encoded[key] = _decoded(kept)
        return self.encoded[key]

    def prepare(self) -> None:
        """Build every file for the data's current state now: plotly.js stops waiting for a
        shared GeoJSON after 5 s, and a large data set's areas take longer than that to
        dissolve, so they must be ready before any page names them."""
        for route in GEOJSON_ROUTES:
            self.bodies(route)

    def response(self, route=None):
        headers = {"Cache-Control": "max-age=3600", "Vary": "Accept-Encoding"}
        accepted = request.headers.get("Accept-Encoding", "")
        bodies = self.bodies(route)
        body = bodies["identity"]
        for encoding in ("br", "gzip"):
            if encoding in accepted:
                body, headers["Content-Encoding"] = bodies[encoding], encoding
                break
        return Response(body, mimetype="application/geo+json", headers=headers)


class PackageFilesCompressed:
    """flask-compress's cache (COMPRESS_CACHE_BACKEND), holding only the compressed script
    files of Dash and its component packages (/_dash-component-suites/): every page load asks
    for them, and they cannot change while the server runs (a package upgrade restarts it).
    Compressing them again took 0.13 s of the server's CPU per page load (AG Grid's two
    files most: 1.3 MB and 0.9 MB); answers that change (callbacks, layouts: their key is "")
    are compressed afresh, as before. At most a few megabytes: one entry per file and
    encoding the page names."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    @staticmethod
    def key(asked) -> str:
        if asked.method == "GET" and "/_dash-component-suites/" in asked.path:
            return asked.full_path
        return ""

    def get(self, key: str) -> bytes | None:
        return self.kept.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.partition(";")[2]:  # "<encoding>;<key>": a package file's
            self.kept[key] = value


def open_live_store(folder: Path):
    """The store of the data folder (made at first run from the shipped records), or of
    DATABASE_URL; None, with a warning, where it cannot be opened (a read-only install):
    the dashboard then serves the shipped data, and no one can change it."""
    from sqlalchemy.exc import SQLAlchemyError

    from presence.store import Store

    try:
        return Store(folder)
    except (OSError, SQLAlchemyError, RuntimeError) as error:
        print(f"warning: no store of changes ({error}); serving the shipped data, which "
              f"no one can change here", file=sys.stderr)
        return None


def create_app(data_folder: Path | str = GEODATA, users: dict[str, str] | None = None,
               editors: set[str] | None = None, local_editor: str | None = None) -> Dash:
    """The Dash app on the data of `data_folder`; raises DataError if the data is invalid.
    With `users` (name: password hash), every route asks for a login, and `editors` may
    change the data; without, `local_editor` may, from this machine (None: no one)."""
    data = LiveDataset(data_folder, store=open_live_store(Path(data_folder)))
    server = Flask(__name__)
    # Set before Dash starts flask-compress, which reads them once. Brotli at level 5 takes
    # plotly.js from 1.44 to 1.29 MB for 0.13 s of CPU per page load.
    server.config.update(COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_BR_LEVEL=5,
                         COMPRESS_CACHE_BACKEND=PackageFilesCompressed,
                         COMPRESS_CACHE_KEY=PackageFilesCompressed.key)
    app = GeoDash(__name__, server=server, assets_folder=str(ASSETS),
               title="France – security and defence cooperation", serve_locally=True, compress=True)
    geojson = GeoJSONFiles(data)

    def geo_sources(dataset) -> GeoSources:
        version = f"?v={dataset.version}" if dataset.version else ""
        url = {value: app.get_relative_path(route) + (version if value[0] == "areas" else "")
               for route, value in GEOJSON_ROUTES.items()}
        return GeoSources(
            url[("countries", None)], url[("areas", AREA_TOLERANCE)],
            screen=tuple((tolerance, GeoSources(url[("countries", tolerance)],
                                                url[("areas", max(tolerance, AREA_TOLERANCE))]))
                         for tolerance in SCREEN_TOLERANCES))

    for route in GEOJSON_ROUTES:
        app.server.add_url_rule(route, endpoint=route, view_func=geojson.response,
                                defaults={"route": route})
    geojson.prepare()
    topojson_url = app.get_asset_url("topojson/")
    layouts: dict[tuple[str, str], object] = {}
    building = threading.Lock()

    def serve_layout():
        # Built once per language and per state of the data (its changes and imported
        # layers); a language link reloads the page in the other language (page_lang).
        dataset, lang = data.for_query(page_query()), page_lang()
        key = (dataset.version, lang)
        found = layouts.get(key)
        if found is None:
            # One build per data version: the pages asked for while it is built wait for
            # it rather than each building the same page again (1.5 s each on 2 cores).
            with building:
                found = layouts.get(key)
                if found is None:
                    geojson.prepare()  # a new state of the imports: its areas before its page
                    if len(layouts) > 8:
                        layouts.clear()
                    found = layouts[key] = build_layout(dataset, topojson_url=topojson_url,
                                                        lang=lang)
        return found

    app.layout = serve_layout
    if users:
        security.install_login(app.server, users)
    # After the login: a stranger learns nothing of the callbacks, not even a refusal.
    guard.install(app.server, lambda: app.callback_map)
    # A team's PostgreSQL store keeps the briefings every server shares; else the folder's.
    briefings = data.store.briefings() if data.store is not None \
        else BriefingStore(Path(data_folder) / BRIEFINGS)
    view_callbacks.register(app, data, geo_sources, briefings)
    selection.register(app, data)
    controls.register(app, data)
    records_table.register(app, data)
    exporter = export_panel.SharedExporter()
    export_panel.register(app, data, exporter)
    bring_layer.register(app, data)
    language.register(app)
    # After the callbacks are registered: the policy allows Dash's inline script by its hash.
    security.install_headers(app.server, app.csp_hashes())
    presentation.register(app, data, briefings)
    briefings_panel.register(app, briefings)
    decks.register(app, data, briefings, exporter)
    editing.register(app, data, editing.Editors(bool(users), editors or set(), local_editor))
    presenter.register(app.server, data, briefings, exporter)
    return app


@functools.cache
def _wsgi_app() -> Dash:
    return create_app(os.environ.get("DASHBOARD_DATA", GEODATA), security.load_users(None))


def __getattr__(name: str):
    """`app` and `server` for a WSGI server (gunicorn app:server), built when it asks for
    them: a module that only imports create_app (the commands, `python -m bench.serve`, the
    tests) does not build a dashboard on the shipped data first, 7 s of work. `python app.py`
    builds its own in serve(). DASHBOARD_DATA points it at another data folder, as --data
    does for the commands; DASHBOARD_USERS_FILE or DASHBOARD_USERS turn the login on."""
    if name == "app":
        return _wsgi_app()
    if name == "server":
        return _wsgi_app().server
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


