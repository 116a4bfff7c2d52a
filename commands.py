"""The command line: `python app.py COMMAND` (app.py hands it here before importing the
server). A data command imports only what it uses, not Dash and the whole dashboard: about
1.4 s of imports rather than 2.3 s, the difference every officer's and every test's command
waits. `serve` (no command) imports the dashboard itself (app.create_app).

    python app.py [--host 127.0.0.1] [--port 8050]   serve the dashboard
    python app.py check-data | review | records | export | change | history | revert |
                  sources | store | add-user          (app.py's docstring says each)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import security
from export import command as export_command
from presence.errors import DataError
from presence.loader import GEODATA, load_dataset


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
    from app import create_app

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
