"""`python app.py export`: one view to a file, or an atlas of views to a folder."""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from export.atlas import (
    COUNTRIES_PDF,
    country_pages,
    default_pages,
    pages_from_queries,
    read_view_list,
    write_atlas,
)
from export.deck import FORMATS as DECK_FORMATS
from export.deck import DeckBuilder, DeckOptions
from export.exporter import LANGUAGES, Exporter, ExportRequest
from export.page import COUNTRY_PAGE, DEFAULT_DPI, DEFAULT_PAGE, PAGES, parse_page
from export.renderer import FORMATS
from figures.fact_sheet import DEFAULT_MARKING_COLOUR, SheetOptions
from presence.briefings import FOLDER as BRIEFINGS
from presence.briefings import BriefingStore
from presence.files import write_whole
from presence.loader import load_dataset

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        "export", help="export the map of a view (or an atlas of views) as PNG, SVG or PDF",
        description="Export fact-sheet map images with no browser window, offline.")
    parser.add_argument("--view", action="append", metavar="QUERY",
                        help="the dashboard's URL query, e.g. theme=maritime-security&"
                             "region=indian-ocean (default: everything; repeat with --atlas)")
    parser.add_argument("--format", choices=(*FORMATS, "pptx"), default="png",
                        help="png, svg or pdf; a --briefing's deck is pdf or pptx")
    parser.add_argument("--briefing", metavar="ID",
                        help="a briefing's deck (geodata/briefings/ID.json): a title slide, "
                             "one slide per briefing slide, a sources slide")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="language of a --briefing's deck or a --country's page "
                             "(default en, or the --view's lang=)")
    parser.add_argument("--size", metavar="SIZE",
                        help=f"{', '.join(PAGES)}, or WIDTHxHEIGHT in mm, cm or in "
                             f"(e.g. 180x120mm); default {DEFAULT_PAGE}, or "
                             f"{COUNTRY_PAGE} with --country")
    parser.add_argument("--dpi", type=int, default=DEFAULT_DPI,
                        help=f"resolution of a PNG (default {DEFAULT_DPI})")
    parser.add_argument("-o", "--output", type=Path, required=True,
                        help="the file to write, or with --atlas the folder")
    parser.add_argument("--atlas", action="store_true",
                        help="one image per theme and per region (or per --view / line of "
                             "--views-file) into the --output folder, plus atlas.pdf")
    parser.add_argument("--country", metavar="ISO3",
                        help="a country's one-pager (of the --view's records touching it; "
                             "default size a4-portrait), or 'all': one page per country "
                             "with records into the --output folder, plus countries.pdf")
    parser.add_argument("--views-file", type=Path, metavar="FILE",
                        help="with --atlas: URL queries, one per line")
    parser.add_argument("--title", help="title (default: the themes and region of the view)")
    for part in ("title", "legend", "caption", "sources", "date"):
        parser.add_argument(f"--no-{part}", action="store_true", help=f"leave out the {part}")
    parser.add_argument("--no-scale", action="store_true",
                        help="leave out a regional map's scale bar")
    parser.add_argument("--no-locator", action="store_true",
                        help="leave out a regional map's locator inset")
    parser.add_argument("--marking", default="",
                        help="handling or classification marking, printed at top and bottom")
    parser.add_argument("--marking-colour", default=DEFAULT_MARKING_COLOUR,
                        help=f"colour of the marking band, #rrggbb (default "
                             f"{DEFAULT_MARKING_COLOUR})")
    return parser


def request_from(args) -> ExportRequest:
    if not HEX_COLOUR.match(args.marking_colour):
        raise ValueError(f"--marking-colour '{args.marking_colour}' is not a #rrggbb colour")
    options = SheetOptions(
        title=args.title, show_title=not args.no_title, show_legend=not args.no_legend,
        show_caption=not args.no_caption, show_sources=not args.no_sources,
        show_date=not args.no_date, show_scale_bar=not args.no_scale,
        show_locator=not args.no_locator, marking=args.marking, marking_colour=args.marking_colour,
        exported_on=date.today())
    size = args.size or (COUNTRY_PAGE if args.country else DEFAULT_PAGE)
    return ExportRequest(fmt=args.format, page=parse_page(size), dpi=args.dpi,
                         options=options)


def _dataset(args: argparse.Namespace):
    """The data the pages show: the store's where one is in use (as of the first view's
    `asof=` day, if it names one: an atlas's views share one state of the data), else the
    data folder's files."""
    from presence.live import LiveDataset
    from presence.store import Store, has_store

    if not has_store(args.data):
        return load_dataset(args.data)
    return LiveDataset(args.data, Store(args.data)).for_query((args.view or [""])[0])


def run(args: argparse.Namespace) -> int:
    template = request_from(args)
    dataset = _dataset(args)
    exporter = Exporter(dataset)
    if args.briefing:
        return _deck(args, dataset, exporter)
    if args.format == "pptx":
        raise ValueError("--format pptx is for a --briefing's deck")
    if args.country:
        return _countries(args, template, dataset, exporter)
    if not args.atlas:
        views = args.view or [""]
        if len(views) > 1 or args.views_file:
            raise ValueError("several views need --atlas")
        image = exporter.export(replace(template, query=views[0]))
        write_whole(args.output, image)
        print(f"wrote {args.output} ({len(image) / 1000:.0f} KB)", file=sys.stderr)
        return 0

    queries = list(args.view or [])
    if args.views_file:
        queries += read_view_list(args.views_file)
    pages = pages_from_queries(dataset, queries) if queries else default_pages(dataset)
    print(f"exporting {len(pages)} views to {args.output}/", file=sys.stderr)
    report = write_atlas(exporter, pages, args.output, template,
                         progress=lambda line: print(line, file=sys.stderr, flush=True))
    return _reported(report)


def _reported(report) -> int:
    print(f"wrote {len(report.written)} images"
          + (f" and {report.pdf}" if report.pdf else "")
          + f" in {report.seconds:.1f} s", file=sys.stderr)
    for name, why in report.failed:
        print(f"FAILED {name}: {why}", file=sys.stderr)
    return 1 if report.failed else 0


def _countries(args, template: ExportRequest, dataset, exporter: Exporter) -> int:
    """`--country ISO3`: one one-pager to a file; `--country all`: every country's into a
    folder, with one bookmarked PDF."""
    if args.atlas or args.views_file or len(args.view or []) > 1:
        raise ValueError("--country takes at most one --view (its filters), and no --atlas")
    query = (args.view or [""])[0]
    if args.lang and "lang=" not in query:
        query = "&".join(filter(None, (query, f"lang={args.lang}")))
    if args.country != "all":
        image = exporter.export(replace(template, query=query, country=args.country.upper()))
        write_whole(args.output, image)
        print(f"wrote {args.output} ({len(image) / 1000:.0f} KB)", file=sys.stderr)
        return 0
    pages = country_pages(dataset, query)
    print(f"exporting {len(pages)} countries to {args.output}/", file=sys.stderr)
    report = write_atlas(exporter, pages, args.output, template,
                         progress=lambda line: print(line, file=sys.stderr, flush=True),
                         book_name=COUNTRIES_PDF)
    return _reported(report)


def briefings_of(folder: Path) -> BriefingStore:
    """The briefings the dashboard on `folder` shows: a team's PostgreSQL store's (with
    DATABASE_URL), else the folder's files."""
    from presence.store import Store, has_store

    if os.environ.get("DATABASE_URL") and has_store(folder):
        return Store(folder).briefings()
    return BriefingStore(folder / BRIEFINGS)


def _deck(args, dataset, exporter: Exporter) -> int:
    """`--briefing ID`: the briefing's deck, as PDF or PowerPoint."""
    if args.format not in DECK_FORMATS:
        raise ValueError("a --briefing's deck is --format pdf or pptx")
    if args.atlas or args.country or args.view:
        raise ValueError("--briefing takes no --view, --country or --atlas: its slides say "
                         "their views")
    briefing = briefings_of(Path(args.data)).read(args.briefing)
    options = DeckOptions(lang=args.lang or "en", marking=args.marking.strip(),
                          marking_colour=args.marking_colour, exported_on=date.today())
    deck = DeckBuilder(exporter).build(
        briefing, args.format, options,
        progress=lambda done, total: print(f"[{done}/{total}] maps drawn", file=sys.stderr,
                                           flush=True))
    write_whole(args.output, deck)
    print(f"wrote {args.output} ({len(deck) / 1000:.0f} KB, {len(briefing.slides) + 2} slides)",
          file=sys.stderr)
    return 0
