"""Briefing decks, opened as a presenter would: the PowerPoint in python-pptx and in a real
office suite (LibreOffice Impress, headless), the PDF page by page; in English and French,
with the marking on every slide and nothing off the page. Read from the back of a room:
every word of a map slide, the map's names included, is at least 2.2 % of the slide's
height (12 pt on a 7.5-inch slide), measured from the capitals' boxes in the PDF; the
legend, key, caption and sources are the PowerPoint's own text."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pypdf
import pypdfium2
import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Mm
from test_french_edition import french_problems

from export.deck import MAP_DPI, SLIDE, DeckBuilder, DeckOptions
from export.exporter import Exporter, read_query
from figures.fact_sheet import legend_of
from presence.briefings import FOLDER, BriefingStore
from presence.loader import GEODATA

ROOT = Path(__file__).resolve().parents[1]
BRIEFING = "fs05-indo-pacific"
# Capitals' height in Liberation Sans (Arial's metrics), as a share of the type size.
CAP_HEIGHT = 1409 / 2048
SMALLEST = 0.022  # of the slide's height: 12 pt on 7.5 inches


@pytest.fixture(scope="module")
def builder(dataset):
    exporter = Exporter(dataset)
    yield DeckBuilder(exporter)
    exporter.renderer.stop()


@pytest.fixture(scope="module")
def briefing():
    return BriefingStore(GEODATA / FOLDER).read(BRIEFING)


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


@pytest.mark.parametrize("lang,marking", [("en", ""), ("fr", "DIFFUSION RESTREINTE")])
def test_the_pptx_has_editable_titles_sharp_maps_and_speaker_notes(builder, briefing, lang,
                                                                    marking, tmp_path):
    data = builder.build(briefing, "pptx", DeckOptions(lang=lang, marking=marking))
    deck = Presentation(io.BytesIO(data))
    slides = list(deck.slides)
    assert (deck.slide_width, deck.slide_height) == (Mm(SLIDE.width_mm), Mm(SLIDE.height_mm))
    titles = [slide.shapes.title.text for slide in slides]
    assert titles == [briefing.title_in(lang), *(s.title_in(lang) for s in briefing.slides),
                      "Sources"]
    shares = []
    for slide, written in zip(slides[1:-1], briefing.slides):
        pictures = [shape for shape in slide.shapes if shape.shape_type == 13]
        the_map = max(pictures, key=lambda picture: picture.width * picture.height)
        width_px, _ = Image.open(io.BytesIO(the_map.image.blob)).size
        # At least twice the pixels a 96-DPI slide shows over the same width.
        assert width_px >= 2 * the_map.width / Mm(1) / 25.4 * 96 and MAP_DPI >= 192
        # The map fills the room the text leaves: over a quarter of the slide even beside
        # the five themes' legend with the marking's bands, over 40 % on average.
        share = the_map.width * the_map.height / (deck.slide_width * deck.slide_height)
        assert share > 0.27
        shares.append(share)
        notes = slide.notes_slide.notes_text_frame.text.replace("\u00a0", " ")
        assert notes.startswith(written.note_in(lang).replace("\u00a0", " "))
        assert ("Source : La France dans l’Indo-Pacifique" if lang == "fr" else
                "Source: France in the Indo-Pacific") in notes
        # The legend, the caption and the sources are native text, at 12 pt or more.
        texts = _texts(slide)
        shown = read_query(builder.exporter.dataset, f"{written.view}&lang={lang}")
        for title, entries in legend_of(builder.exporter.dataset, shown.view, None, lang):
            assert title in texts
            assert all(entry.label in texts for entry in entries)
            assert len(entries) <= len(pictures) - 1  # each with its swatch
        words = " ".join(texts).replace("\u00a0", " ").replace("\u202f", " ")
        assert ("éléments sur" if lang == "fr" else "records are shown") in words
        assert ("Source : La France" if lang == "fr" else "Source: France in") in words
        key = [text for text in texts if text.startswith(
            "Numéros sur la carte" if lang == "fr" else "Numbers on the map")]
        for line in key:  # every entry of the map's key has its number
            entries = line.split(":", 1)[1].split(" · ")
            assert all(entry.split()[0].isdigit() or entry.startswith(
                ("Sans étiquette", "Unlabelled")) for entry in entries), line
        sizes = [run.font.size.pt for shape in slide.shapes if shape.has_text_frame
                 for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
        assert sizes and min(sizes) >= 12
    assert sum(shares) / len(shares) > 0.4
    for slide in slides:
        assert _texts(slide).count(marking) == (2 if marking else 0)
        if lang == "fr":  # no interface string left in English, in the slides or their notes
            notes = [slide.notes_slide.notes_text_frame.text] if slide.has_notes_slide else []
            assert french_problems(_texts(slide) + notes) == []
    assert "Fondation pour la recherche stratégique" in " ".join(_texts(slides[-1]))

    # A real office suite opens it: LibreOffice Impress turns it into one PDF page a slide.
    path = tmp_path / "deck.pptx"
    path.write_bytes(data)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by `make install` (Debian libreoffice-impress)"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=300)
    pdf = pypdfium2.PdfDocument(tmp_path / "deck.pdf")
    assert len(pdf) == len(slides)
    for number in range(len(pdf)):
        page = pdf[number]
        text = page.get_textpage().get_text_range()
        assert " ".join(titles[number].split())[:30] in " ".join(text.split())
        grey = np.asarray(page.render(scale=0.5).to_pil().convert("L"))
        drawn = (grey < 245).mean()
        assert drawn > (0.15 if 0 < number < len(pdf) - 1 else 0.005)  # maps, not blank
        if 0 < number < len(pdf) - 1:
            assert _smallest_type(page) >= SMALLEST  # the office suite's own text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_pdf_deck_has_a_bookmarked_16_9_page_a_slide_with_nothing_off_it(
        builder, briefing, lang):
    data = builder.build(briefing, "pdf", DeckOptions(lang=lang, marking="RESTRICTED"))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == len(briefing.slides) + 2
    assert [item.title for item in reader.outline] == [
        briefing.title_in(lang), *(s.title_in(lang) for s in briefing.slides), "Sources"]
    document = pypdfium2.PdfDocument(data)
    for number in range(len(document)):
        page = document[number]
        width, height = page.get_size()
        assert abs(width / height - 16 / 9) < 0.01
        text = page.get_textpage()
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
        assert all(0 <= left and right <= width and 0 <= bottom and top <= height
                   for left, bottom, right, top in boxes)
        assert text.get_text_range().count("RESTRICTED") == 2
        if 0 < number < len(document) - 1:
            # Every word, the map's names included (vector text here), reads from afar.
            assert _smallest_type(page) >= SMALLEST
    indian_ocean = document[6].get_textpage().get_text_range()
    assert all(name in indian_ocean for name in ("Antananarivo", "Nairobi", "Moroni"))
    legend = legend_of(builder.exporter.dataset, read_query(
        builder.exporter.dataset, f"region=indian-ocean&attested=2023&lang={lang}").view,
        None, lang)
    assert all(title in " ".join(indian_ocean.split()) for title, _ in legend)


def _smallest_type(page) -> float:
    """The smallest type on a PDF page, as a share of its height, from its capitals' boxes
    (a glyph's box is the one size a PDF states whatever its transforms)."""
    width, height = page.get_size()
    text = page.get_textpage()
    letters = text.get_text_range()
    heights = [text.get_charbox(i)[3] - text.get_charbox(i)[1]
               for i in range(text.count_chars()) if letters[i] in "BDEFHIKLMNPRTUVXZ"]
    assert heights, "no capitals on the page"
    return min(heights) / CAP_HEIGHT / height


def test_export_briefing_command_writes_the_deck(geodata_copy, tmp_path):
    """The command on a data folder of its own: a briefing of the shipped one's first two
    slides (the builder's tests above make the whole deck), in French."""
    shipped = json.loads((GEODATA / FOLDER / f"{BRIEFING}.json").read_text(encoding="utf-8"))
    short = {**shipped, "slides": shipped["slides"][:2]}
    (geodata_copy.folder / FOLDER / "short.json").write_text(json.dumps(short), encoding="utf-8")
    target = tmp_path / "deck.pptx"
    result = subprocess.run(
        [sys.executable, "app.py", "--data", str(geodata_copy.folder), "export", "--briefing",
         "short", "--format", "pptx", "--lang", "fr", "-o", str(target)], cwd=ROOT,
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "[2/2] maps drawn" in result.stderr
    deck = Presentation(target)
    assert [slide.shapes.title.text for slide in deck.slides][1:3] == [
        slide["title_fr"] for slide in short["slides"]]
    assert len(deck.slides) == 4
    wrong = subprocess.run(
        [sys.executable, "app.py", "export", "--briefing", "no-such", "--format", "pptx",
         "-o", str(tmp_path / "x.pptx")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 1 and "no such briefing" in wrong.stderr
    assert not (tmp_path / "x.pptx").exists()
