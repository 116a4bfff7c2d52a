"""The declared schema of every file in geodata/: one pydantic model per kind of row.

Checks that refer to another file (a theme, an iso3 code, a region, a source) read the
known values from the validation context, so each model validates one row on its own.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo

from presence.layer_registry import LAYERS

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"
ISO3 = re.compile(r"^[A-Z]{3}$")
PLACE_BASES = ("named", "capital", "seat", "site")
# How an area's countries relate to the source's words: "named" (the countries the text
# names, each listed) or "approximate" (a region standing in for words such as "throughout
# the region", "in Africa" or an aim; it shades no country).
EXTENTS = ("named", "approximate")
# The qualifier a source puts on a number: "some twenty" is ("about", 20), "over 3,500" is
# ("more than", 3500). Empty: the number as the source states it.
QUALIFIERS = ("about", "nearly", "more than", "at least")
REGION_USES = ("filter", "extent", "sea")
# A date as precise as the source gives it: a year, or a year and month.
DATE = r"^\d{4}(-(0[1-9]|1[0-2]))?$"


def _blank_to_none(value):
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _split_list(value):
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return tuple(value)


def _yes_no(value):
    if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
        return value.strip().lower() == "yes"
    raise ValueError("must be 'yes' or 'no'")


def _required(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("missing: this field is required")
    return value


Text = Annotated[str, BeforeValidator(_required)]
def blank_or(inner):
    """An optional field whose empty CSV cell means "not given"."""
    return Annotated[inner | None, BeforeValidator(_blank_to_none)]


OptionalText = blank_or(str)
Year = Annotated[int, Field(ge=1945, le=2100)]
SourceDate = Annotated[str, Field(pattern=DATE)]
Slug = Annotated[str, BeforeValidator(_required), Field(pattern=SLUG)]
Colour = Annotated[str, Field(pattern=HEX_COLOUR)]
SemicolonList = Annotated[tuple[str, ...], BeforeValidator(_split_list)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]


def _check_known(key: str, what: str):
    """A validator that refuses a value (or each value of a list) absent from the set that
    the validation context holds under `key` (no check where the context has none)."""

    def check(value, info: ValidationInfo):
        known = (info.context or {}).get(key)
        for item in value if isinstance(value, tuple) else (value,):
            if known is not None and item is not None and item not in known:
                raise ValueError(f"unknown {what} '{item}' (expected one of: "
                                 f"{', '.join(sorted(known))})")
        return value

    return AfterValidator(check)


def _check_iso3(value, info: ValidationInfo):
    known = (info.context or {}).get("iso3")
    for code in value if isinstance(value, tuple) else (value,):
        if code is None:
            continue
        if not ISO3.match(code):
            raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-3 code (three capitals)")
        if known is not None and code not in known:
            raise ValueError(f"unknown iso3 '{code}' (not in geodata/countries.geojson)")
    return value


def _check_dates(value: tuple[str, ...]) -> tuple[str, ...]:
    for item in value:
        for part in item.split("/"):
            if not re.match(DATE, part):
                raise ValueError(f"'{item}' is not a date (2022, 2023-05) or a period "
                                 f"(2023-03/2023-05)")
    return value


def _check_layer(value: str) -> str:
    if value not in LAYERS:
        raise ValueError(f"unknown layer '{value}' (expected one of: {', '.join(LAYERS)})")
    return value


def _check_symbol(value: str) -> str:
    if value not in plotly_marker_symbols():
        raise ValueError(f"'{value}' is not a Plotly marker symbol")
    return value


ThemeId = Annotated[str, BeforeValidator(_required), _check_known("themes", "theme")]
CategoryId = Annotated[str, BeforeValidator(_required), _check_known("categories", "category")]
SourceId = Annotated[str, BeforeValidator(_required), _check_known("sources", "source")]
LayerId = Annotated[str, BeforeValidator(_required), AfterValidator(_check_layer)]
RegionIds = Annotated[SemicolonList, _check_known("regions", "region")]
SubregionNames = Annotated[SemicolonList, _check_known("subregions", "UN sub-region")]
Iso3 = Annotated[OptionalText, AfterValidator(_check_iso3)]
Iso3List = Annotated[SemicolonList, AfterValidator(_check_iso3)]
EventDates = Annotated[SemicolonList, AfterValidator(_check_dates)]
MarkerSymbol = Annotated[str, BeforeValidator(_required), AfterValidator(_check_symbol)]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Theme(Row):
    id: Slug
    label_en: Text
    label_fr: Text
    colour: Colour
    order: int


class Category(Row):
    id: Slug
    theme: ThemeId
    label_en: Text
    label_fr: Text
    symbol: MarkerSymbol
    colour: Colour
    in_factsheet_legend: YesNo


class Source(Row):
    id: Slug
    title: Text
    title_fr: OptionalText = None
    publisher: Text
    publisher_fr: OptionalText = None
    data_as_of: Annotated[str, Field(pattern=r"^\d{4}(-\d{2})?$")]
    # The language of the document's text (its quotes are in it): en or fr.
    language: Literal["en", "fr"] = "en"
    file: Text
    # Where the document was found (a web address), for a reader who wants the original.
    url: OptionalText = None
    note: OptionalText = None


class Region(Row):
    id: Slug
    name_en: Text
    name_fr: Text
    # "in <region>" in French, with its article ("dans l’océan Indien", "en Afrique").
    in_fr: OptionalText = None
    subregions: SubregionNames  # "*" for every country
    include: Iso3List
    exclude: Iso3List
    # "filter": offered in the region filter and the atlas; "extent": only draws the area of
    # records whose source names a group of countries without listing them; "sea": a sea
    # area the source names, drawn as its shape in sea_areas.geojson, which holds no country.
    use: Literal[REGION_USES]
    note: OptionalText = None


class Record(Row):
    id: Slug
    layer: LayerId
    theme: ThemeId
    category: CategoryId
    name_en: Text
    name_fr: OptionalText = None
    # The name on the map: an acronym as the source writes it (the city when empty).
    short_en: OptionalText = None
    short_fr: OptionalText = None
    host_iso3: Iso3 = None
    city: OptionalText = None
    # French names: the city's French exonym (Pékin, Manille), partners and the section as
    # a French reader finds them; empty: the English one is shown.
    city_fr: OptionalText = None
    lon: blank_or(Annotated[float, Field(ge=-180, le=180)]) = None
    lat: blank_or(Annotated[float, Field(ge=-90, le=90)]) = None
    place_basis: blank_or(Literal[PLACE_BASES]) = None
    countries: Iso3List = ()
    regions: RegionIds = ()
    extent: blank_or(Literal[EXTENTS]) = None
    actor: Text
    actor_fr: OptionalText = None
    partner: OptionalText = None
    partner_fr: OptionalText = None
    # In force from / until (until empty: still in force at the source's date).
    valid_from: blank_or(SourceDate) = None
    valid_until: blank_or(SourceDate) = None
    # Dated events within the record's life (a rescue, a seizure), not its validity.
    event_dates: EventDates = ()
    # The date as of which the source attests the record: the source's own date, unless it
    # dates its statement earlier. Past it the record is not known to be in force, unless
    # `valid_until` says the source states it ongoing past it.
    as_of: Annotated[str, BeforeValidator(_required), Field(pattern=DATE)]
    # Only a number the source gives, with its qualifier; an estimate is never written here.
    personnel: blank_or(Annotated[int, Field(ge=0)]) = None
    personnel_qualifier: blank_or(Literal[QUALIFIERS]) = None
    description: Text
    source: SourceId
    source_section: Text
    source_section_fr: OptionalText = None
    # The sentence(s) of the source that support the record, verbatim; excerpts are
    # separated by " … ".
    source_quote: Text


# What a second source cited by a record supports: "extent", the area drawn (a sea or a
# region is drawn from its words, not the record's own source's); "reading", how the record's
# or one of its figures' words are read (the budget "over 105 programs and 209" names budget
# programmes 105 and 209).
SUPPORTS = ("extent", "reading")


class Citation(Row):
    """A further source a record cites, with its words: a record may cite several sources,
    and every one of them is quoted word for word."""

    id: Slug
    record: Text
    # The figure of quantities.csv whose reading it supports (empty: the record's own words).
    quantity: OptionalText = None
    source: SourceId
    source_section: Text
    source_section_fr: OptionalText = None
    source_quote: Text
    supports: Literal[SUPPORTS]
    # What it settles, said to the reader beside the record ("The fact sheet says …; the area
    # drawn is …").
    note_en: Text
    note_fr: Text


class Quantity(Row):
    """A figure a source gives about a record (a budget, a count of countries…)."""

    id: Slug
    record: Text
    what_en: Text
    what_fr: Text
    qualifier: blank_or(Literal[QUALIFIERS]) = None
    value: Annotated[float, Field(ge=0)]
    unit: OptionalText = None
    source_quote: Text


@functools.cache
def plotly_marker_symbols() -> frozenset[str]:
    from plotly.validator_cache import ValidatorCache

    values = ValidatorCache.get_validator("scattergeo.marker", "symbol").values
    return frozenset(v for v in values if isinstance(v, str) and not v.isdigit())
