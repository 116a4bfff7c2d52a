"""A whole French edition: every view, panel, details panel, table row and exported page
drawn in French holds none of the interface's English words, no decimal point and no ISO
date. Only what is declared to be in its source's language (the source's own words, the
description written from them, English names shown as such, document titles) stays English.
The page in a real browser (Plotly's toolbar included) is checked in tests/browser."""

from __future__ import annotations

import re

import pytest

from callbacks.presentation import stage_heading
from figures import captions
from figures.fact_sheet import fact_sheet
from figures.table import table_rows
from figures.world_map import build_map
from i18n import FIELD_LABELS, LANGUAGE_NAMES, PAGE_WORDS, TEXT
from layout import build_layout
from panels.details import details
from presence.briefings import BriefingStore
from presence.loader import GEODATA
from presence.views import filter_records, parse_query

# Words of the interface and of the data's English that a French page must never show.
ENGLISH = [
    "the", "and", "of", "records?", "shown", "Key", "attested", "since", "until", "author",
    "paragraphs?", "Briefings?", "briefing", "Export", "Download", "Search", "Layers?",
    "Themes?", "Sources:", "Singapore", "Beijing", "Manila", "Dubai", "Abu Dhabi",
    "Indian Ocean", "Approximate", "approximate", "Coverage", "Small state", "in force",
    "Records", "here", "more", "Zoom in", "Zoom out", "Reset", "Autoscale", "Pan", "Shift",
    "Page Down", "Esc", "Selected",
    "Ministry", "Customs", "Navy", "Fund", "Agency", "Office on",
]
ENGLISH_WORD = re.compile(r"\b(?:" + "|".join(ENGLISH) + r")\b")
DECIMAL_POINT = re.compile(r"\b\d+\.\d+\b")
ISO_MONTH = re.compile(r"\b(19|20)\d\d-(0[1-9]|1[0-2])\b")
# Details rows that hold text in its source's language, or an English name shown as such.
SOURCE_LANGUAGE_FIELDS = ("field-description", "field-source_quote", "field-name_en",
                          "field-short_en", "field-id", "card-quote")


def interface_english() -> list[str]:
    """Every English text of the interface (i18n.py), as the fragments a page shows of it
    (the words between its {placeholders}), but for those its French text holds as well
    ("PDF", "Sources") and lone short words: the strong form of the check, which fails
    the day one string is left untranslated on a French page, panel, export or deck."""
    pairs = list(TEXT.values()) + list(FIELD_LABELS.values()) + [
        (english, PAGE_WORDS["fr"][key]) for key, english in PAGE_WORDS["en"].items()]
    fragments = set()
    for english, french in pairs:
        for piece in re.split(r"\{[^}]*\}", english):
            piece = piece.strip(" .,:;·()[]–—…“”\"'?!/\n")
            words = re.findall(r"[A-Za-z]+", piece)
            if not words or piece in french or (len(words) == 1 and len(piece) < 5) \
                    or piece in LANGUAGE_NAMES.values():  # the switch names each language
                continue                                   # in itself
            fragments.add(piece)
    return sorted(fragments, key=len, reverse=True)


INTERFACE_ENGLISH = re.compile(r"(?<![A-Za-z])(?:" + "|".join(
    re.escape(fragment) for fragment in interface_english()) + r")(?![A-Za-z])")


def french_problems(texts) -> list[str]:
    found = []
    for text in texts:
        text = str(text)
        for pattern in (ENGLISH_WORD, DECIMAL_POINT, ISO_MONTH, INTERFACE_ENGLISH):
            match = pattern.search(text)
            if match:  # the word, in the words around it
                found.append(f"{match.group(0)!r} in "
                             f"{text[max(0, match.start() - 60):match.end() + 60]!r}")
    return found


def component_texts(component) -> list[str]:
    """The words a reader sees or hears in a Dash component tree: text, labels, options,
    placeholders, titles and ARIA labels; not rows written in the source's language."""
    texts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, (str, int, float)):
            texts.append(str(node))
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif hasattr(node, "to_plotly_json"):
            props = node.to_plotly_json().get("props", {})
            if props.get("className") in SOURCE_LANGUAGE_FIELDS:
                return
            for key, value in props.items():
                if key in ("children", "label"):
                    walk(value)
                elif key in ("placeholder", "title", "aria-label") and value:
                    texts.append(str(value))
                elif key == "options" and isinstance(value, list):
                    walk([o.get("label") if isinstance(o, dict) else o for o in value])

    walk(component)
    return texts


def figure_texts(figure) -> list[str]:
    """What a map figure writes: trace names, text, hovers, legend and colour bar titles,
    annotations."""
    texts = []
    for trace in figure.data:
        if trace.showlegend:  # a trace's name is read only in the legend
            texts.append(trace.name or "")
        for key in ("text", "hovertext", "hovertemplate"):
            value = getattr(trace, key, None)
            if isinstance(value, str):
                texts.append(value)
            elif value is not None:
                texts += [str(item) for item in value if item is not None]
        group_title = getattr(trace, "legendgrouptitle", None)
        if group_title is not None and group_title.text:
            texts.append(group_title.text)
        colorbar = getattr(getattr(trace, "marker", None), "colorbar", None) or \
            getattr(trace, "colorbar", None)
        if colorbar is not None and colorbar.title and colorbar.title.text:
            texts.append(colorbar.title.text)
    texts += [annotation.text for annotation in figure.layout.annotations or ()]
    # Hovers use Plotly's %{…} placeholders and <b>, <br> markup: read the words only.
    return [re.sub(r"%\{[^}]*\}|<[^>]+>", " ", text) for text in texts]


def test_the_check_knows_every_english_string_of_the_interface():
    # An untranslated string is found whatever its words ("In force from" once passed).
    for key, (english, french) in TEXT.items():
        piece = re.split(r"\{[^}]*\}", english)[0].strip(" .,:;·()")
        if len(piece) >= 8 and piece not in french:
            assert french_problems([f"Texte : {piece}"]), key
    assert french_problems(["In force from 2013"])
    assert not french_problems(["En vigueur depuis 2013"])


def test_the_word_check_finds_english_decimal_points_and_iso_dates():
    assert french_problems(["11 of 76 records are shown"])
    assert french_problems(["1.3 Mo en 10.8 s"]) and french_problems(["données de 2023-09"])
    assert french_problems(["Attaché douanier à Beijing"])
    assert not french_problems(["11 éléments sur 76 sont représentés dans l’océan Indien",
                                "1,3 Mo en 10,8 s", "septembre 2023", "Pékin"])


def test_the_page_and_its_panels_are_french(dataset):
    page = build_layout(dataset, "/assets/topojson/", "fr")
    assert french_problems(component_texts(page)) == []


@pytest.mark.parametrize("region", [None, "indian-ocean", "south-east-asia", "pacific",
                                    "africa", "east-asia"])
def test_every_map_view_is_french(dataset, region):
    view = parse_query(f"region={region}" if region else "", dataset)
    figure = build_map(dataset, view, None, "fr")
    texts = figure_texts(figure)
    assert french_problems(texts) == []
    assert figure.layout.separators.startswith(",")  # the colour bar's decimal comma
    records = filter_records(dataset, view)
    assert french_problems([captions.caption(dataset, view, records, None, "fr"),
                            captions.source_line(dataset, records, "fr"),
                            captions.default_title(dataset, view, "fr")]) == []


def test_map_names_are_french_exonyms(dataset):
    figure = build_map(dataset, parse_query("region=south-east-asia", dataset), None, "fr")
    names = " ".join(figure_texts(figure))
    for exonym in ("Singapour", "Manille"):
        assert exonym in names
    assert "Pékin" in " ".join(figure_texts(build_map(
        dataset, parse_query("region=east-asia", dataset), None, "fr")))
    records = dataset.records
    assert records.at["fs05-customs-attache-dubai", "city_fr"] == "Dubaï"
    assert records.at["fs05-dcsd-school-are", "city_fr"] == "Abou Dabi"


def test_every_details_panel_and_table_row_is_french(dataset):
    records = dataset.records
    texts = []
    for record_id in records.index:
        texts += component_texts(details(dataset, record_id, records, "fr"))
    for iso3 in sorted(set().union(*records["places"])):
        texts += component_texts(details(dataset, f"country:{iso3}", records, "fr"))
    for row in table_rows(dataset, records, "fr"):
        texts += [value for key, value in row.items() if key not in ("id",)]
    assert french_problems(texts) == []


def test_section_partner_and_author_are_french(dataset):
    panel = " ".join(component_texts(details(dataset, "fs05-ffa-support", dataset.records, "fr")))
    assert "Criminalité environnementale, paragraphe 1" in panel
    assert "Agence des pêches du Forum des îles du Pacifique" in panel
    assert "auteur : Antoine Bondaz" in panel and "septembre 2023" in panel


@pytest.mark.parametrize("query", ["theme=maritime-security&region=indian-ocean",
                                   "region=africa", ""])
def test_every_exported_page_is_french(dataset, query):
    view = parse_query(query, dataset)
    figure = fact_sheet(dataset, view, (1123, 794), None, "fr")
    texts = figure_texts(figure)
    assert french_problems(texts) == []
    words = " ".join(texts).replace("\u00a0", " ")  # the date is kept on one line
    assert "Source" in words and "Exporté le" in words


def test_the_shipped_briefing_is_presented_in_french(dataset):
    store = BriefingStore(GEODATA / "briefings")
    briefing = store.read("fs05-indo-pacific")
    headings = []
    for number, slide in enumerate(briefing.slides):
        search = f"?lang=fr&present=1&briefing=fs05-indo-pacific&slide={number}&{slide.view}"
        heading = stage_heading(dataset, store, search)
        assert heading[0].children == slide.title_fr  # the slide's own heading, in French
        headings += component_texts(heading)
    assert french_problems(headings) == []
    assert "Fiche n° 5" in " ".join(headings)
