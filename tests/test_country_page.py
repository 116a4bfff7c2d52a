"""A country's one-pager, opened as a reader would: one A4 page, nothing off it, every record
touching the country named with the source's words, in English and in French; and the
`--country all` book, one bookmarked page per country."""

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

from export.exporter import Exporter, ExportRequest
from export.page import PAGES
from figures.country_page import CUT, TEXT_SHARE, fitted_block
from figures.fact_sheet import SheetOptions, _Type
from figures.record_text import country_card
from presence.views import View, filter_records

ROOT = Path(__file__).resolve().parents[1]
POINTS_PER_PX = 72 / 96


@pytest.fixture(scope="module")
def exporter(dataset):
    made = Exporter(dataset)
    yield made
    made.renderer.stop()


def _text_and_boxes(pdf: bytes):
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    text = page.get_textpage()
    boxes = [text.get_charbox(i) for i in range(text.count_chars())]
    return len(document), page.get_size(), " ".join(text.get_text_range().split()), boxes


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_one_pager_names_every_record_touching_the_country_on_one_page(
        dataset, exporter, lang):
    pdf = exporter.export(ExportRequest(query=f"lang={lang}", fmt="pdf",
                                        page=PAGES["a4-portrait"], country="MDG",
                                        options=SheetOptions(marking="RESTRICTED")))
    pages, (width, height), text, boxes = _text_and_boxes(pdf)
    assert pages == 1
    # Nothing off the page, nor in its margins' outer half.
    margin = _Type.for_page(*PAGES["a4-portrait"].css_size()).margin * POINTS_PER_PX / 2
    assert all(margin <= left and right <= width - margin and margin <= bottom
               and top <= height - margin for left, bottom, right, top in boxes)
    title = ("France in Madagascar: security and defence cooperation" if lang == "en" else
             "Coopération de sécurité et de défense de la France : Madagascar")
    assert title in text and text.count("RESTRICTED") == 2
    touching = filter_records(dataset, View(touching="MDG"))
    names = touching[f"name_{lang}"].fillna(touching["name_en"])
    assert len(touching) == 17
    for name in names:
        assert " ".join(name.split()) in text, name
    # The records located there and named there carry the source's own words.
    for group in country_card(dataset, "MDG", touching, lang)[:2]:
        for _, entries in group.themes:
            for entry in entries:
                assert entry.quote and entry.quote.split(".")[0][:40] in text
    for source in set(touching["source"]):
        assert dataset.sources.at[source, f"title_{lang}" if lang == "fr" else "title"] \
            .split(" - ")[0] in text
    total = len(dataset.records)
    assert (f"17 of {total} records are shown: those touching Madagascar" if lang == "en" else
            f"17 éléments sur {total} sont représentés : ceux qui concernent Madagascar") in text
    assert pypdf.PdfReader(io.BytesIO(pdf)).metadata.title == title


def test_the_card_s_text_keeps_within_its_share_of_the_page(dataset):
    width, height = PAGES["a4-portrait"].css_size()
    sizes = _Type.for_page(width, height)
    most = TEXT_SHARE * height
    # The countries most records touch; the text is set smaller before a quote is cut.
    for iso3 in ("MDG", "DJI", "KEN", "SYC"):
        groups = country_card(dataset, iso3, filter_records(dataset, View()), "en")
        block = fitted_block(groups, width - 2 * sizes.margin, sizes.body, most, "en")
        assert 0 < block.height <= most
        lines = [re.sub(r"<[^>]+>", "", line) for column in block.columns
                 for paragraph in column for line in paragraph.lines]
        text = " ".join(lines)
        # Every record is listed; whole quotes fit but for Madagascar's 17 records, where
        # one quote is cut at a word's end.
        assert all(" ".join(entry.name.split()) in text for group in groups
                   for _, entries in group.themes for entry in entries)
        assert "more records touching this country" not in text
        assert any(CUT in line for line in lines) == (iso3 == "MDG"), iso3
    # Less room: the quotes are cut at a word, marked […], before any record is left out,
    # and a record left out is counted.
    groups = country_card(dataset, "MDG", filter_records(dataset, View()), "en")
    block = fitted_block(groups, width - 2 * sizes.margin, sizes.body, most / 3, "en")
    assert block.height <= most / 3
    text = " ".join(re.sub(r"<[^>]+>", "", line) for column in block.columns
                    for paragraph in column for line in paragraph.lines)
    assert "[…]" in text
    said = re.search(r"(\d+) more records touching this country are not listed here", text)
    listed = [entry.name for group in groups for _, entries in group.themes
              for entry in entries if entry.name in text]
    assert len(listed) + int(said.group(1)) == 17


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


def test_a_country_crowded_with_records_lists_what_fits_and_says_how_many_are_not(dataset):
    """Imported layers may put hundreds of records on one country: the page lists the first
    ones and says how many more the card and `app.py records` give."""
    width, height = PAGES["a4-portrait"].css_size()
    sizes = _Type.for_page(width, height)
    group = country_card(dataset, "MDG", filter_records(dataset, View()), "en")[0]
    crowded = (replace(group, themes=tuple((theme, entries * 60)
                                           for theme, entries in group.themes)),)
    total = sum(len(entries) for _, entries in crowded[0].themes)
    block = fitted_block(crowded, width - 2 * sizes.margin, sizes.body, TEXT_SHARE * height,
                         "en")
    assert 0 < block.height <= TEXT_SHARE * height
    text = " ".join(re.sub(r"<[^>]+>", "", line) for column in block.columns
                    for paragraph in column for line in paragraph.lines)
    said = re.search(r"(\d+) more records touching this country are not listed here", text)
    assert said, text[-300:]
    listed = text.count("Attested as of")
    assert 0 < listed < total and listed + int(said.group(1)) == total
