"""Checks that a record says no more than its source's words, beyond finding them (quotes.py):

- a country named only in words about the future ("which will welcome participants from
  Malaysia") is not a country the record touches as of its source's date;
- a posting the source dates ("was seconded … in 2022") is attested as of that year, not as
  of the source's later date: nothing says the person is still in post;
- a figure is a quantity its words give: not a number of a list of identifiers ("over 105
  programs and 209" names budget programmes 105 and 209), and with the unit its words write
  beside it ("240 kg", "three tons", "70%", "€100 million");
- a sea is drawn from the words of the source that gives its extent.

`python app.py check-data` and the tests run them on every record and figure.
"""

from __future__ import annotations

import re

import pandas as pd

from presence.dataset import Dataset
from presence.errors import Problem
from presence.quotes import excerpts, normalise, number_forms

# Words that put what follows in the future: a participation, a project, a posting to come.
FUTURE = re.compile(r"\b(will|shall|is to|are to|is expected to|are expected to|plans? to)\b",
                    re.IGNORECASE)
# A posting the source dates: "was seconded to … in 2022", "were deployed in 2019".
DATED_POSTING = re.compile(r"\b(?:was|were)\b[^.;]*?\b(?:seconded|posted|deployed|appointed|"
                           r"assigned|sent)\b[^.;]*?\bin (\d{4})\b", re.IGNORECASE)
# Units as the sources write them beside a number, and the unit column's code for each.
UNIT_WORDS = (("EUR", r"€\s*{n}|{n}\s*(?:euros?|EUR)\b"), ("%", r"{n}\s*(?:%|per ?cent)"),
              ("kg", r"{n}\s*(?:kg|kilograms?)\b"), ("t", r"{n}\s*(?:t|tons?|tonnes?)\b"),
              ("km", r"{n}[\s-]*(?:km|kilomet(?:er|re)s?)\b"))
# Other names the sources give countries than countries.geojson's `name_en`.
ALSO_CALLED = {"TLS": ("East Timor", "Timor-Leste"), "KOR": ("South Korea",),
               "USA": ("United States",), "CHN": ("China",), "VNM": ("Vietnam", "Viet Nam"),
               "REU": ("La Réunion", "Réunion"), "COD": ("Democratic Republic of the Congo",)}


def reading_problems(dataset: Dataset, texts: dict[str, str]) -> list[Problem]:
    """Every record, figure and sea that says more than its source's words (see above)."""
    problems: list[Problem] = []
    for record_id, record in dataset.records.iterrows():
        if record["source"] not in texts:  # an imported layer: its file is its source
            continue
        where = f"record '{record_id}'"
        quote = normalise(record["source_quote"])
        for iso3 in future_only(dataset, record, quote):
            problems.append(Problem("records.csv", where, "countries", (
                f"{iso3} is named only in words about the future ('{_future_words(quote)}'): "
                f"not attested as of {record['as_of']}; leave it out of the countries and say "
                f"so in the description")))
        posted = DATED_POSTING.search(quote)
        if posted and record["as_of"][:4] > posted.group(1):
            problems.append(Problem("records.csv", where, "as_of", (
                f"the source dates the posting {posted.group(1)} ('{posted.group(0)[:60]}…'): "
                f"it is attested as of {posted.group(1)}, not {record['as_of']}")))
        problems += _sea_problems(dataset, record_id, record)
    for quantity_id, quantity in dataset.quantities.iterrows():
        source = dataset.records.at[quantity["record"], "source"]
        problems += figure_problems(quantity_id, quantity,
                                    in_sentences(texts[source], quantity["source_quote"]))
    return problems


def in_sentences(text: str, quote: str) -> str:
    """The whole sentences of the source's (normalised) text that hold the quote's excerpts:
    a quote cut short ("over 105 programs") is read with the words it left out ("… and
    209")."""
    found = []
    for part in excerpts(quote):
        start = text.find(part)
        if start < 0:  # not in the source: quote_problems says so
            found.append(part)
            continue
        before = text.rfind(". ", 0, start)
        begin = before + 2 if before >= 0 else 0
        end = text.find(". ", start + len(part))
        found.append(text[begin:end + 1 if end >= 0 else len(text)])
    return " ".join(found)


def future_only(dataset: Dataset, record: pd.Series, quote: str) -> list[str]:
    """The countries the record lists that its quote names only in words about the future."""
    found = []
    sentences = re.split(r"(?<=[.!?])\s+", quote)
    for iso3 in record["countries"]:
        names = (dataset.countries.at[iso3, "name_en"], *ALSO_CALLED.get(iso3, ()))
        naming = [(sentence, match.start()) for sentence in sentences for name in names
                  for match in re.finditer(rf"\b{re.escape(name)}\b", sentence)]
        if naming and all(FUTURE.search(sentence[:start]) for sentence, start in naming):
            found.append(iso3)
    return found


def _future_words(quote: str) -> str:
    match = FUTURE.search(quote)
    return quote[match.start():match.start() + 40].strip() + "…" if match else ""


def figure_problems(quantity_id: str, quantity: pd.Series, text: str) -> list[Problem]:
    """A figure read out of a list of numbers, or without the unit its words write, in
    `text`: the sentences of the source that hold its quote."""
    where = f"record '{quantity_id}'"
    value = quantity["value"]
    problems = []
    forms = number_forms(value)
    listed = [form for form in forms if re.search(
        rf"(?<![\w.,]){re.escape(form)}(?:\s+[A-Za-z]+)?\s+and\s+\d", text)
        or re.search(rf"\d+\s+and\s+{re.escape(form)}(?![\w])", text)]
    if listed:
        problems.append(Problem("quantities.csv", where, "value", (
            f"{value:g} is one of a list of numbers in its words ('…{_around(text, listed[0])}…'): "
            f"numbers listed together name items (budget programmes, resolutions), they do not "
            f"count them")))
    written = {unit for unit, pattern in UNIT_WORDS for form in forms
               if re.search(pattern.format(n=re.escape(form)), text, re.IGNORECASE)}
    unit = quantity["unit"] if isinstance(quantity["unit"], str) else None
    if written and unit not in written:
        problems.append(Problem("quantities.csv", where, "unit", (
            f"its words give the figure in {' or '.join(sorted(written))}, "
            f"not {unit or 'as a bare count'}")))
    return problems


def _around(text: str, form: str) -> str:
    start = text.find(form)
    return text[max(0, start - 20):start + len(form) + 20]


def _sea_problems(dataset: Dataset, record_id: str, record: pd.Series) -> list[Problem]:
    """A sea is drawn from the words of the quote that gives the record's extent: a further
    source's (citations.csv, supports=extent) where it cites one, else its own."""
    problems = []
    cited = dataset.citations_of([record_id])
    extent = cited[cited["supports"] == "extent"]
    quote = extent["source_quote"].iloc[0] if len(extent) else record["source_quote"]
    for sea in (region for region in record["regions"] if region in dataset.sea_area_words):
        words = dataset.sea_area_words[sea].get("words") or ""
        if normalise(words).lower() not in normalise(quote).lower():
            problems.append(Problem("records.csv", f"record '{record_id}'", "regions", (
                f"sea area '{sea}' draws the words '{words}', which the quote giving the "
                f"record's extent does not hold")))
    return problems
