"""Checks that every record and figure stands on its source: each quote is found word for
word in the cited source's text, and each figure is written in its quote.

The source documents ship with the data, in the data folder's `sources/` (sources.csv names
each one's file; geodata/sources/README.md says where each comes from).
"""

from __future__ import annotations

import re

from presence.dataset import SOURCES_FOLDER, Dataset
from presence.errors import Problem

# A quote made of several excerpts of one source separates them with this.
ELLIPSIS = " … "
NUMBER_WORDS = {
    1: ("one", "a", "an", "another"), 2: ("two",), 3: ("three",), 5: ("five",), 6: ("six",), 10: ("ten",),
    12: ("twelve", "dozen"), 13: ("thirteen",), 17: ("seventeen",), 20: ("twenty",),
    30: ("thirty",), 60: ("sixty",),
}


def normalise(text: str) -> str:
    """Text as compared: the source's *italics* marks dropped, runs of spaces and line
    breaks (page breaks included) made one space."""
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


def excerpts(quote: str) -> list[str]:
    return [part for part in (normalise(p) for p in quote.split(ELLIPSIS.strip())) if part]


def source_texts(dataset: Dataset) -> dict[str, str]:
    """Each quoted source's normalised text, by source id (the loader has checked that every
    source's file is in the data folder's `sources/`)."""
    # Imported layers quote nothing: their file is their source.
    cited = set(dataset.records.loc[dataset.records["source_quote"].notna(), "source"])
    cited |= set(dataset.citations["source"])
    return {source_id: normalise((dataset.folder / SOURCES_FOLDER / source["file"])
                                 .read_text(encoding="utf-8"))
            for source_id, source in dataset.sources.iterrows() if source_id in cited}


def quote_problems(dataset: Dataset, texts: dict[str, str]) -> list[Problem]:
    """Every record, figure and further citation whose quote (or one of its excerpts) is not
    in its source, and every figure whose number its quote does not write."""
    problems = []
    for record_id, record in dataset.records.iterrows():
        if record["source"] not in texts:  # an imported layer: its file is its source
            continue
        problems += _missing(texts[record["source"]], record["source_quote"], "records.csv",
                             f"record '{record_id}'", dataset.sources.at[record["source"], "file"])
    for quantity_id, quantity in dataset.quantities.iterrows():
        source = dataset.records.at[quantity["record"], "source"]
        where = f"record '{quantity_id}'"
        problems += _missing(texts[source], quantity["source_quote"], "quantities.csv", where,
                             dataset.sources.at[source, "file"])
        if not figure_written(quantity["value"], quantity["source_quote"]):
            problems.append(Problem("quantities.csv", where, "value",
                                    f"{quantity['value']:g} is not written in its quote"))
    for citation_id, citation in dataset.citations.iterrows():
        problems += _missing(texts[citation["source"]], citation["source_quote"], "citations.csv",
                             f"record '{citation_id}'",
                             dataset.sources.at[citation["source"], "file"])
    return problems


def _missing(text: str, quote, file: str, where: str, source_file: str) -> list[Problem]:
    if not isinstance(quote, str) or not quote.strip():
        return [Problem(file, where, "source_quote", "missing")]
    return [Problem(file, where, "source_quote", f"not found word for word in {source_file}: "
                                                 f"'{part[:80]}'")
            for part in missing_excerpts(text, quote)]


def missing_excerpts(text: str, quote: str) -> list[str]:
    """The excerpts of `quote` not found word for word in `text` (a normalised source)."""
    return [part for part in excerpts(quote) if part not in text]


def number_forms(value: float) -> list[str]:
    """How a quote may write a figure: in digits (3,500 or 3500, €100 million) or in words."""
    if value >= 1_000_000 and value % 1_000_000 == 0:
        forms = [f"{value / 1_000_000:g} million"]
    else:
        forms = [f"{value:g}", f"{value:,.0f}" if value == int(value) else f"{value:g}"]
    return forms + list(NUMBER_WORDS.get(int(value), ()) if value == int(value) else ())


def figure_written(value: float, quote: str) -> bool:
    """Whether `quote` writes `value` (number_forms)."""
    text = normalise(quote).lower()
    return any(re.search(rf"(?<![\w.,]){re.escape(form)}(?![\w]|[.,]\d)", text)
               for form in number_forms(value))
