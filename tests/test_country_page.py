"""A country's one-pager, opened as a reader would: an A4 page whose map takes 35 % of it or
more, its records in 8 pt or more (measured from the PDF's capitals), continued on a second
page when they do not fit, nothing off the pages, every record touching the country named
with the source's words, in English and in French; and the `--country all` book, one
bookmarked one-pager per country."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pypdf
import pypdfium2
import pytest

import figures.country_page
import figures.record_text
from export.exporter import Exporter, ExportRequest
from export.page import PAGES
from figures.country_page import (
    BRIEF,
    CUT,
    MAP_SHARE,
    MIN_CARD_PX,
    MOST_PAGES,
    TEXT_SHARE,
    country_document,
    cut_quote,
    fitted_block,
)
from figures.fact_sheet import SheetOptions, _Type
from figures.record_text import country_card, how_touching
from presence.views import View, filter_records

ROOT = Path(__file__).resolve().parents[1]
POINTS_PER_PX = 72 / 96


@pytest.fixture(scope="module")
def exporter(dataset):
    made = Exporter(dataset)
    yield made
    made.renderer.stop()


def _pages(pdf: bytes):
    """Each page's size, text (spaces folded) and characters' boxes."""
    found = []
    for page in pypdfium2.PdfDocument(pdf):
        text = page.get_textpage()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
        found.append((page.get_size(), text.get_text_range(), boxes))
    return found


# Capitals' height in Liberation Sans (Arial's metrics), as a share of the type size.
CAP_HEIGHT = 1409 / 2048


def _smallest_card_type(text: str, boxes, words: tuple[str, ...]) -> float:
    """The type size in points of the card's lines starting with `words` ("Attested as
    of", the date line every record has), from their first capital's box."""
    heights = [boxes[found.start()][3] - boxes[found.start()][1]
               for word in words for found in re.finditer(re.escape(word), text)]
    assert heights, words
    return min(heights) / CAP_HEIGHT


@pytest.mark.parametrize("iso3", ["MDG", "DJI", "VUT"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_one_pager_has_a_large_map_readable_records_and_continues_on_a_second_page(
        dataset, exporter, lang, iso3):
    request = ExportRequest(query=f"lang={lang}", fmt="pdf", page=PAGES["a4-portrait"],
                            country=iso3, options=SheetOptions(marking="RESTRICTED"))
    pdf = exporter.export(request)
    pages = _pages(pdf)
    touching = filter_records(dataset, View(touching=iso3))
    # The map keeps 35 % of the page, whether the records continue on a page or not.
    for continued in (True, False):
        first = exporter._country(request, continued)[0]
        domain = first.layout.geo.domain
        assert (domain.x[1] - domain.x[0]) * (domain.y[1] - domain.y[0]) >= MAP_SHARE
    assert MIN_CARD_PX * 0.75 >= 8
    text = ""
    for number, ((width, height), page_text, boxes) in enumerate(pages):
        # Nothing off the page, nor in its margins' outer half.
        margin = _Type.for_page(*PAGES["a4-portrait"].css_size()).margin * POINTS_PER_PX / 2
        assert all(margin <= left and right <= width - margin and margin <= bottom
                   and top <= height - margin for left, bottom, right, top in boxes)
        assert page_text.count("RESTRICTED") == 2
        # Every record's text in 8 pt or more (the PDF's points: 72 to the inch).
        assert _smallest_card_type(page_text, boxes, ("Attested as of", "Attesté en")) >= 7.95
        if number + 1 < len(pages):
            assert ("Continued on the next page." if lang == "en" else
                    "Suite à la page suivante.") in page_text
        if number:
            assert (f"Page {number + 1} of {len(pages)}" if lang == "en" else
                    f"Page {number + 1} sur {len(pages)}") in page_text
            assert _smallest_card_type(page_text, boxes, ("Page ",)) >= 7.95  # was 7.1 pt
        text += " " + " ".join(page_text.split())
    assert len(pages) == (1 if iso3 == "VUT" else 2)
    title = exporter.title(request)
    assert title in text and pypdf.PdfReader(io.BytesIO(pdf)).metadata.title == title
    names = touching[f"name_{lang}"].fillna(touching["name_en"])
    for name in names:
        assert " ".join(name.split()) in text, name
    # The records located there and named there carry the source's own words, whole.
    for group in country_card(dataset, iso3, touching, lang):
        if group.relation in BRIEF:  # stand-ins for a region: listed briefly
            continue
        for _, entries in group.themes:
            for entry in entries:
                assert entry.quote and " ".join(entry.quote.split())[-40:] in text
    assert CUT not in text
    for source in set(touching["source"]):
        assert dataset.sources.at[source, f"title_{lang}" if lang == "fr" else "title"] \
            .split(" - ")[0] in text
    if iso3 == "MDG":
        total = len(dataset.records)
        assert (f"17 of {total} records are shown: those touching Madagascar" if lang == "en"
                else f"17 éléments sur {total} sont représentés : ceux qui concernent "
                "Madagascar") in text


def test_a_single_page_keeps_its_text_within_its_share_and_cuts_quotes_at_a_word(dataset):
    """A PNG or SVG has no second page: its quotes are shortened at a word's end, then the
    records that still do not fit are counted."""
    width, height = PAGES["a4-portrait"].css_size()
    sizes = _Type.for_page(width, height)
    size = max(sizes.body, MIN_CARD_PX)
    for iso3, most in (("MDG", TEXT_SHARE * height), ("DJI", TEXT_SHARE * height),
                       ("MDG", TEXT_SHARE * height / 3)):
        groups = country_card(dataset, iso3, filter_records(dataset, View()), "en")
        block = fitted_block(groups, width - 2 * sizes.margin, size, most, "en")
        assert 0 < block.height <= most
        assert min(p.size for column in block.columns for p in column) >= MIN_CARD_PX
        text = " ".join(re.sub(r"<[^>]+>", "", line) for column in block.columns
                        for paragraph in column for line in paragraph.lines)
        quotes = [entry.quote for group in groups for _, entries in group.themes
                  for entry in entries if entry.quote]
        cut = re.findall(r"“([^”]*) \[…\]”", text)
        # Madagascar's quotes take more room than a page has: some are cut.
        assert cut or iso3 != "MDG" or most < TEXT_SHARE * height
        for kept in cut:
            # A prefix of a quote that ends where a word of the quote ends.
            whole = next(q for q in (" ".join(q.split()) for q in quotes) if q.startswith(kept))
            assert whole[len(kept):][:1] in (" ", ",", ";", ":", "–", "-")
        said = re.search(r"(\d+) more records touching this country are not listed here",
                         text)
        listed = [entry.name for group in groups for _, entries in group.themes
                  for entry in entries if entry.name in text]
        assert len(listed) + (int(said.group(1)) if said else 0) == \
            sum(len(entries) for group in groups for _, entries in group.themes)
        assert said or most == TEXT_SHARE * height  # a third of the room leaves records out


@pytest.mark.parametrize("quote,keep,expected", [
    ("one two three four", 7, "one two […]"),  # the cut falls at a word's end
    ("one two three four", 9, "one two […]"),  # inside a word: it goes whole
    ("one, two three", 6, "one […]"),  # no comma before the mark
    ("short enough", 40, "short enough"),
    ("unbrokenlettersallthewaythrough", 8, "unbroken […]"),  # one word: cut where it must
])
def test_a_quote_is_cut_at_a_word_s_end(quote, keep, expected):
    assert cut_quote(quote, keep) == expected


def test_a_one_pager_s_pages_are_bounded_and_count_what_they_leave_out(dataset, monkeypatch):
    """Imported layers may put hundreds of records on one country: the PDF continues on at
    most MOST_PAGES pages, the last saying how many records the card still has."""
    width, height = PAGES["a4-portrait"].css_size()
    group = country_card(dataset, "MDG", filter_records(dataset, View()), "en")[0]
    crowded = (replace(group, themes=tuple((theme, entries * 100)
                                           for theme, entries in group.themes)),)
    total = sum(len(entries) for _, entries in crowded[0].themes)
    monkeypatch.setattr(figures.country_page, "country_card", lambda *args, most: crowded)
    pages = country_document(dataset, View(), "MDG", (width, height), "en")
    assert len(pages) == MOST_PAGES
    last = " ".join(annotation.text for annotation in pages[-1].layout.annotations)
    said = re.search(r"(\d+) more records touching this country are not listed here", last)
    listed = sum(" ".join(a.text for a in page.layout.annotations).count("Attested as of")
                 for page in pages)
    assert said and 0 < listed < total and listed + int(said.group(1)) == total


def test_a_country_with_thousands_of_records_gets_a_bounded_card_and_one_pager(
        geodata_copy, monkeypatch):
    """An imported layer of 3,000 records in Madagascar: the card gives CARD_MOST of them in
    full and counts the rest; the one-pager sets no more than MOST_RECORDS and counts every
    other; neither builds the text of records it does not give."""
    import random

    from bench.imports import points_csv
    from panels.details import CARD_MOST, country_details
    from presence.imported.folder import FOLDER, save_layer
    from presence.imported.reading import read_table
    from presence.imported.rows import default_settings
    from presence.loader import load_dataset
    from tests.kept import what_is_kept

    data = points_csv(3_000, random.Random(3), [(47.5, -18.9)])
    save_layer(geodata_copy.folder / FOLDER, data,
               default_settings(read_table(data, "sessions.csv"), "sessions.csv"))
    dataset = load_dataset(geodata_copy.folder)
    kept = what_is_kept(geodata_copy.folder)
    records = filter_records(dataset, View())
    total = int(records["places"].map(lambda places: "MDG" in places).sum())
    assert total > 3_000
    built = []
    real = figures.record_text.card_entry
    monkeypatch.setattr(figures.record_text, "card_entry",
                        lambda *args: built.append(1) or real(*args))
    card = str(country_details(dataset, "MDG", records, "en"))
    assert f"Madagascar: {total} records in view" in card
    assert card.count("'type': 'select-record'") - 1 == CARD_MOST == len(built)  # + Clear
    unlisted = [int(n) for n in re.findall(r"(\d+) more records? of this kind are not listed",
                                           card)]
    assert sum(unlisted) == total - CARD_MOST
    built.clear()
    width, height = PAGES["a4-portrait"].css_size()
    pages = country_document(dataset, View(), "MDG", (width, height), "en")
    assert len(built) == figures.country_page.MOST_RECORDS and len(pages) == MOST_PAGES
    text = " ".join(a.text for page in pages for a in page.layout.annotations)
    said = re.findall(r"(\d+) more records touching this country are not listed here", text)
    # Located here come first: the shipped records, then the layer's (its theme is last).
    touching = records[records["places"].map(lambda places: "MDG" in places)]
    located = how_touching(touching, "MDG") == "located here"
    shipped = int((located & ~touching["theme"].str.startswith("import-")).sum())
    sessions = len(set(re.findall(r"Session (\d+)", text)))
    assert len(said) == 1 and shipped + sessions + int(said[0]) == total
    assert sessions > 200  # the pages are full, not cut short
    assert what_is_kept(geodata_copy.folder) == kept  # nothing lost


def test_country_all_writes_a_page_per_country_and_one_bookmarked_book(dataset, tmp_path):
    query = "category=fisheries-policing&lang=fr"
    result = subprocess.run(
        [sys.executable, "app.py", "export", "--country", "all", "--view", query,
         "--format", "png", "--dpi", "72", "-o", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    touched = set().union(*filter_records(dataset, View(categories=("fisheries-policing",)))
                          ["places"])
    pngs = sorted(tmp_path.glob("country-*.png"))
    assert {path.stem.removeprefix("country-").upper() for path in pngs} == touched
    book = pypdf.PdfReader(tmp_path / "countries.pdf")
    assert len(book.pages) == len(touched)
    titles = [item.title for item in book.outline]
    assert titles[0].startswith("Coopération de sécurité et de défense de la France : ")
    assert titles == sorted(titles)  # in the order of the countries' names
