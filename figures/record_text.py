"""A record in words, as the details panel, the country's card and its one-pager give it:
its fields in the order a reader needs them, its figures as the source gives them, and how
the records of a view touch a country."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from figures.table import attested_text, in_force_text
from i18n import (
    EXTENT,
    FIELD_LABELS,
    PLACE_BASIS,
    QUALIFIERS,
    date_text,
    label,
    number_text,
    separator,
    tr,
)
from presence.dataset import RECORD_COLUMNS, Dataset
from presence.layer_registry import LAYERS

# Fields whose French stands beside them (`city_fr`…): shown in the page's language, once.
TRANSLATED = ("city", "actor", "partner", "source_section")
# The record's fields in the order a reader needs them: what, where, when, figures (the
# source's other figures follow the personnel), the source and its words; then who and the
# record's own names and coordinates. A field the record leaves empty is not shown.
READING_ORDER = ("theme", "category", "description", "city", "host_iso3", "countries",
                 "regions", "extent", "place_basis", "valid_from", "valid_until", "event_dates",
                 "as_of", "personnel", "figures", "source", "source_section", "source_quote",
                 "actor", "partner", "layer", "name_en", "name_fr", "short_en", "short_fr",
                 "lon", "lat", "id")
SHOWN_FIELDS = [field for field in RECORD_COLUMNS
                if not (field.endswith("_fr") and field.removesuffix("_fr") in TRANSLATED)
                and field != "personnel_qualifier"]  # said with the personnel
assert set(READING_ORDER) - {"figures"} == set(SHOWN_FIELDS)


def in_lang(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "fr" else pair[0]


def _country_names(dataset: Dataset, codes, lang: str) -> str:
    return ", ".join(f"{label(dataset.countries, c, 'name', lang)} ({c})" for c in codes)


def field_value(dataset: Dataset, record: pd.Series, field: str, lang: str) -> str:
    value = record[field]
    if isinstance(value, tuple):
        if field == "countries":
            return _country_names(dataset, value, lang) or "—"
        if field == "regions":
            return ", ".join(label(dataset.regions, r, "name", lang) for r in value)
        if field == "event_dates":
            return "; ".join(date_text(date, lang) for date in value) or "—"
        return "; ".join(value) or "—"
    if field == "source_quote" and isinstance(value, str):
        return value.replace("*", "")  # the source's marks of italics
    # Open-ended: in force from a known year (an imported file attests none) and still at
    # the source's date.
    if field == "valid_until" and not isinstance(value, str) and pd.notna(record["in_force_from"]):
        return tr("ongoing", lang, date=date_text(record["as_of"], lang))
    if field == "as_of":
        return attested_text(value, record["older_as_of"], lang) or "—"
    if field in ("valid_from", "valid_until") and isinstance(value, str):
        return date_text(value, lang)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if field == "extent":
        return in_lang(EXTENT[value], lang)
    if field in ("personnel", "personnel_qualifier"):
        qualifier = record["personnel_qualifier"]
        if field == "personnel_qualifier":
            return qualifier_text(qualifier, lang)
        return f"{qualifier_text(qualifier, lang)} {value}" if isinstance(qualifier, str) \
            else str(value)
    if field == "theme":
        return label(dataset.themes, value, "label", lang)
    if field == "category":
        return label(dataset.categories, value, "label", lang)
    if field == "layer":
        return getattr(LAYERS[value], f"label_{lang}")
    if field == "host_iso3":
        return _country_names(dataset, [value], lang)
    if field == "place_basis":
        return in_lang(PLACE_BASIS[value], lang)
    if field == "source":
        sources = dataset.sources
        return (f"{label(sources, value, 'title', lang)}, "
                f"{label(sources, value, 'publisher', lang)} ({tr('data as of', lang)} "
                f"{date_text(sources.at[value, 'data_as_of'], lang)})")
    if field in TRANSLATED:
        return label(dataset.records, record.name, field, lang)
    if field in ("lon", "lat"):
        return number_text(value, lang, 3)
    return str(value)


def qualifier_text(qualifier, lang: str) -> str:
    if not isinstance(qualifier, str):
        return "—"
    return QUALIFIERS[qualifier] if lang == "fr" else qualifier


def figure_text(quantity: pd.Series, lang: str) -> str:
    """A figure as the source gives it: "about 350 — Cooperation volunteers"."""
    value = f"{quantity['value']:,.10g}"
    if quantity["value"] >= 1e6 and quantity["value"] % 1e6 == 0:
        value = f"{quantity['value'] / 1e6:g} " + ("millions" if lang == "fr" else "million")
    if lang == "fr":
        value = value.replace(",", "\u202f").replace(".", ",")
    unit = quantity["unit"] if isinstance(quantity["unit"], str) else ""
    amount = " ".join(part for part in (
        qualifier_text(quantity["qualifier"], lang) if isinstance(quantity["qualifier"], str)
        else "", value, unit) if part)
    return f"{amount} — {quantity[f'what_{lang}']}"


def figures_of(dataset: Dataset, record_id: str) -> pd.DataFrame:
    """The figures the source gives about a record."""
    return dataset.quantities[dataset.quantities["record"] == record_id]


# How a record touches a country, in the order the country's panel lists them.
TOUCHES = ("located here", "named here", "inside stand-ins")


def how_touching(records: pd.DataFrame, iso3: str) -> pd.Series:
    """How each record (all touching the country) touches it: located there (its place or
    office), the country named by its source, or only taken in by a stand-in for a region's
    words or an aim."""
    located = (records["host_iso3"] == iso3) & records["lon"].notna()
    named = ~located & records["counted"].map(lambda counted: iso3 in counted)
    return pd.Series(TOUCHES[2], index=records.index, dtype=object).mask(
        named, TOUCHES[1]).mask(located, TOUCHES[0])


@dataclass(frozen=True)
class Reading:
    """A further source a record is read with (citations.csv): what it settles, its words,
    and the document and section they come from."""

    note: str
    quote: str
    cited: str


def readings_of(dataset: Dataset, record_id: str, lang: str) -> tuple[Reading, ...]:
    """The further sources a record cites, each with what it settles: where an area drawn
    comes from when it is not the record's own source, how a figure is read."""
    sources = dataset.sources
    return tuple(
        Reading(citation["note_fr" if lang == "fr" else "note_en"],
                citation["source_quote"].replace("*", ""),
                f"{label(sources, citation['source'], 'title', lang)}, "
                f"{label(sources, citation['source'], 'publisher', lang)} "
                f"({date_text(sources.at[citation['source'], 'data_as_of'], lang)}), "
                f"{label(dataset.citations, citation_id, 'source_section', lang)}")
        for citation_id, citation in dataset.citations_of([record_id]).iterrows())


@dataclass(frozen=True)
class CardEntry:
    """One record as a country's card and one-pager give it."""

    record_id: str
    name: str
    when: str  # in force, attested as of
    amounts: tuple[str, ...]  # its figures, as the source gives them
    quote: str | None  # the source's own words
    cited: str  # the document and section they come from
    readings: tuple[Reading, ...] = ()  # the further sources it is read with


@dataclass(frozen=True)
class CardGroup:
    """The records touching a country one way (TOUCHES), by theme."""

    relation: str  # one of TOUCHES
    heading: str  # "Located here (4)"
    themes: tuple[tuple[str, tuple[CardEntry, ...]], ...]  # (theme's name, its records)
    unlisted: int = 0  # its records past the card's most, counted, not given


def country_card(dataset: Dataset, iso3: str, records: pd.DataFrame, lang: str = "en",
                 most: int | None = None) -> tuple[CardGroup, ...]:
    """Every record of `records` touching the country, by how it touches it and by theme;
    with `most`, only the first `most` are given in full, and each group counts the rest
    (an imported layer can put tens of thousands of records in one country: a card of them
    all took 88 s to build and 800,000 characters to show)."""
    touching = records[records["places"].map(lambda places: iso3 in places)]
    if not len(touching):
        return ()
    how = how_touching(touching, iso3)
    groups, room = [], len(touching) if most is None else most
    for relation in TOUCHES:
        chosen = touching[how == relation]
        if not len(chosen):
            continue
        themes, listed = [], 0
        for theme_id in dataset.themes.index:
            ids = chosen.index[chosen["theme"] == theme_id][:max(room - listed, 0)]
            if len(ids):
                themes.append((label(dataset.themes, theme_id, "label", lang),
                               tuple(card_entry(dataset, record_id, lang) for record_id in ids)))
                listed += len(ids)
        room -= listed
        groups.append(CardGroup(relation, tr(relation, lang, count=len(chosen)), tuple(themes),
                                unlisted=len(chosen) - listed))
    return tuple(groups)


def card_entry(dataset: Dataset, record_id: str, lang: str) -> CardEntry:
    record = dataset.records.loc[record_id]
    attested = attested_text(record["as_of"], record["older_as_of"], lang)
    when = [in_force_text(record["valid_from"], record["valid_until"], lang),
            f"{in_lang(FIELD_LABELS['as_of'], lang)}{separator(lang)}{attested}" if attested else ""]
    amounts = [figure_text(quantity, lang) for _, quantity in figures_of(dataset, record_id).iterrows()]
    if not pd.isna(record["personnel"]):
        amounts.insert(0, f"{field_value(dataset, record, 'personnel', lang)} — "
                          f"{in_lang(FIELD_LABELS['personnel'], lang)}")
    quote = record["source_quote"]
    cited = (f"{label(dataset.sources, record['source'], 'title', lang)}, "
             f"{label(dataset.records, record_id, 'source_section', lang)}")
    return CardEntry(record_id, label(dataset.records, record_id, "name", lang),
                     " · ".join(part for part in when if part), tuple(amounts),
                     quote.replace("*", "") if isinstance(quote, str) else None, cited,
                     readings_of(dataset, record_id, lang))
