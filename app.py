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

import argparse
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
from export import command as export_command
from figures.world_map import GeoSources, areas, areas_geojson, countries_geojson
from figures.world_map.areas import AREA_TOLERANCE, SCREEN_TOLERANCES, made_from
from i18n import lang_in
from layout import build_layout
from panels import briefings as briefings_panel
from panels import bring_layer, decks
from panels import export as export_panel
from presence.briefings import FOLDER as BRIEFINGS
from presence.briefings import BriefingStore
from presence.errors import DataError
from presence.kept_files import KeptFiles
from presence.live import LiveDataset
from presence.loader import GEODATA, load_dataset
from presence.memo import per_dataset

ASSETS = Path(__file__).resolve().parent / "assets"


class GeoDash(Dash):
    """Dash serving plotly.js's geo-only bundle (assets/plotly-geo.min.js, 1.4 MB) instead of
    the full one (4.8 MB): the map only draws geo traces, and the browser parses a third.
    The page declares the language its URL asks for (screen readers pronounce by it)."""

    def _setup_plotlyjs(self):
        self._plotlyjs_url = None

    def interpolate_index(self, **kwargs):
        page = super().interpolate_index(**kwargs)
        return page.replace("<html>", f'<html lang="{page_lang()}">', 1)


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


def reporting_errors(command):
    """Run a command; a data or view error is printed to stderr with exit status 1."""

    def run(args) -> int:
        from export.renderer import RenderError

        try:
            return command(args)
        # ViewError and PageError are ValueErrors; OSError: an output that cannot be written
        # UsersError too: a ValueError
        except (DataError, ValueError, RenderError, OSError) as error:
            print(error, file=sys.stderr)
            return 1

    return run


@reporting_errors
def check_data(args) -> int:
    dataset = load_dataset(args.data)
    from presence.summary import summary_table

    print(summary_table(dataset))
    for problem in dataset.import_problems:
        print(f"imported layer refused: {problem}", file=sys.stderr)
    from presence.quotes import quote_problems as check_quotes
    from presence.quotes import source_texts
    from presence.readings import reading_problems

    texts = source_texts(dataset)
    quote_problems = check_quotes(dataset, texts)
    for problem in quote_problems:
        print(problem, file=sys.stderr)
    if not quote_problems:
        print("Quotes: every record's, figure's and citation's quote is found word for word in "
              "its source document.")
    readings = reading_problems(dataset, texts)
    for problem in readings:
        print(problem, file=sys.stderr)
    if not readings:
        print("Readings: no country named only for the future, no dated posting shown later, "
              "no figure out of a list or without its unit, every sea drawn from its source's "
              "words.")
    return 1 if dataset.import_problems or quote_problems or readings else 0


@reporting_errors
def review(args) -> int:
    from presence.quotes import source_texts
    from presence.review import review_text
    from presence.views import filter_records, parse_query

    dataset = load_dataset(args.data)
    chosen = filter_records(dataset, parse_query(args.view, dataset))
    chosen = chosen[chosen["source"].isin(dataset.records["source"].unique())]
    sys.stdout.write(review_text(dataset, chosen, source_texts(dataset)))
    return 0


@reporting_errors
def records(args) -> int:
    from export.records import to_csv, to_geojson
    from presence.store import has_store
    from presence.views import filter_records, parse_query

    dataset = load_dataset(args.data) if not args.as_of and not has_store(args.data) \
        else open_store(args.data).dataset(args.as_of)
    chosen = filter_records(dataset, parse_query(args.view, dataset))
    sys.stdout.write(to_csv(chosen) if args.format == "csv" else to_geojson(dataset, chosen))
    return 0


def open_store(folder: Path):
    """The data folder's store (or DATABASE_URL's), made at first use; its GeoPackage layer
    written before the command ends (Store.flush), as the commands call it."""
    from presence.store import Store

    return Store(folder)


def _user(args) -> str:
    """Who a command's change is recorded under: --user, or the system user's name."""
    import getpass

    return args.user or getpass.getuser()


@reporting_errors
def change(args) -> int:
    from presence.store import parse_change

    request = parse_change(Path(args.file).read_bytes(), str(args.file))
    store = open_store(args.data)
    number = store.apply(request, _user(args))
    store.flush()
    print(number)
    return 0


@reporting_errors
def history(args) -> int:
    changes = open_store(args.data).history(args.record, limit=args.limit)
    if args.json:
        print(json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=1))
        return 0
    for c in changes:
        print(f"#{c.number} {c.made_at} {c.made_by} {c.action} {c.record_id}: {c.why}")
        print(f"    source: {c.document}, {c.section}: \"{c.quote}\"")
        for field, before, after in c.fields_changed():
            print(f"    {field}: {before!r} -> {after!r}")
    return 0


@reporting_errors
def revert(args) -> int:
    store = open_store(args.data)
    number = store.revert(args.change, args.why, _user(args))
    store.flush()
    print(number)
    return 0


@reporting_errors
def sources_add(args) -> int:
    store = open_store(args.data)
    document = store.add_document(Path(args.file).read_bytes(), Path(args.file).name,
                                  args.title, args.publisher, args.date, args.language,
                                  args.url, _user(args), args.id)
    print(document)
    return 0


@reporting_errors
def sources_list(args) -> int:
    for source in open_store(args.data).library(texts=False):
        print(f"{source['id']}\t{source['data_as_of']}\t{source['title']} — "
              f"{source['publisher']}")
    return 0


@reporting_errors
def store_command(args) -> int:
    store = open_store(args.data)
    if args.action == "backup":
        counts = store.backup(args.file)
    elif args.action == "restore":
        counts = store.restore(args.file)
    else:
        for conflict in store.conflicts():
            print(json.dumps(conflict, ensure_ascii=False))
        return 0
    store.flush()
    print(", ".join(f"{name} {count}" for name, count in counts.items()))
    return 0


@reporting_errors
def serve(args) -> int:
    users = security.load_users(args.users)
    if args.host not in ("127.0.0.1", "localhost", "::1") and not users:
        print(f"warning: serving on {args.host} with no login: anyone who can reach this "
              "address sees the dashboard (see --users)", file=sys.stderr)
    # On a machine serving only itself with no login, its user may change the data, under
    # the system user's name; with --users, only the users it gives the editor role.
    import getpass

    local = args.host in ("127.0.0.1", "localhost", "::1") and not users
    app = create_app(args.data, users, editors=security.load_editors(args.users),
                     local_editor=getpass.getuser() if local else None)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


@reporting_errors
def add_user(args) -> int:
    import getpass

    if args.users is None:
        raise security.UsersError("give the users file: python app.py --users FILE add-user NAME")
    password = getpass.getpass(f"password for {args.name}: ") if sys.stdin.isatty() \
        else sys.stdin.readline().rstrip("\n")
    security.add_user(args.users, args.name, password, editor=args.editor)
    print(f"{args.name} can now log in (hash written to {args.users})", file=sys.stderr)
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="France's security and defence cooperation "
                                                 "dashboard and its data commands.")
    parser.add_argument("--data", type=Path, default=GEODATA,
                        help="folder of the data set (default: geodata/)")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (never in a briefing)")
    parser.add_argument("--users", type=Path, metavar="FILE",
                        help="ask for a login: users and password hashes (see add-user); "
                             "also DASHBOARD_USERS_FILE or DASHBOARD_USERS")
    parser.set_defaults(command=serve)
    commands = parser.add_subparsers(title="commands")
    commands.add_parser("check-data", help="validate the data and print a summary, or the "
                                           "errors with a non-zero exit").set_defaults(command=check_data)
    writer = commands.add_parser("records", help="write the records of a view to standard output")
    writer.add_argument("--view", default="", metavar="QUERY",
                        help="the dashboard's URL query, e.g. theme=maritime-security&region=indian-ocean")
    writer.add_argument("--format", choices=("csv", "geojson"), default="csv")
    writer.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="the records as they stood at the end of that day (the store)")
    writer.set_defaults(command=records)
    changer = commands.add_parser("change", help="apply one change (a JSON file: record, set, "
                                                 "why, source) to the store; print its number")
    changer.add_argument("file", type=Path)
    changer.add_argument("--user", help="who makes it (default: the system user's name)")
    changer.set_defaults(command=change)
    historian = commands.add_parser("history", help="the store's changes, newest first")
    historian.add_argument("record", nargs="?", help="only this record's")
    historian.add_argument("--json", action="store_true")
    historian.add_argument("--limit", type=int, default=200)
    historian.set_defaults(command=history)
    reverter = commands.add_parser("revert", help="undo a change by a new change")
    reverter.add_argument("change", type=int)
    reverter.add_argument("--why", required=True)
    reverter.add_argument("--user")
    reverter.set_defaults(command=revert)
    library = commands.add_parser("sources", help="the source library").add_subparsers(
        title="actions", required=True)
    adding = library.add_parser("add", help="add a document (PDF, DOCX, HTML or text)")
    adding.add_argument("file", type=Path)
    adding.add_argument("--title", required=True)
    adding.add_argument("--publisher", required=True)
    adding.add_argument("--date", required=True, help="2026, 2026-03 or 2026-03-01")
    adding.add_argument("--language", default="en", choices=("en", "fr"))
    adding.add_argument("--url")
    adding.add_argument("--id", help="the document's id (default: from its publisher and title)")
    adding.add_argument("--user")
    adding.set_defaults(command=sources_add)
    library.add_parser("list", help="the library's documents").set_defaults(command=sources_list)
    keeper = commands.add_parser("store", help="back up or restore the store, list conflicts")
    keeper.add_argument("action", choices=("backup", "restore", "conflicts"))
    keeper.add_argument("file", type=Path, nargs="?")
    keeper.set_defaults(command=store_command)
    reviewer = commands.add_parser("review", help="print each record beside the words of its "
                                                  "source, marking quotes not found in it")
    reviewer.add_argument("--view", default="", metavar="QUERY", help="only the records of a view")
    reviewer.set_defaults(command=review)
    export_command.add_parser(commands).set_defaults(command=reporting_errors(export_command.run))
    adder = commands.add_parser("add-user", help="add a login to the --users file (the "
                                                 "password is read from the terminal or stdin)")
    adder.add_argument("name")
    adder.add_argument("--editor", action="store_true", help="the user may change the data")
    adder.set_defaults(command=add_user)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return args.command(args)


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


if __name__ == "__main__":
    sys.exit(main())
