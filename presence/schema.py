"""The declared schema of every file in geodata/: one pydantic model per kind of row.

Checks that refer to another file (a theme, an iso3 code, a region, a source) read the
known values from the validation context, so each model validates one row on its own.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
                      ValidationInfo)

from layers import LAYERS

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"
ISO3 = re.compile(r"^[A-Z]{3}$")
PLACE_BASES = ("named", "capital", "seat", "site")


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
    publisher: Text
    data_as_of: Annotated[str, Field(pattern=r"^\d{4}(-\d{2})?$")]
    file: Text
    note: OptionalText = None


class Region(Row):
    id: Slug
    name_en: Text
    name_fr: Text
    subregions: SubregionNames  # "*" for every country
    include: Iso3List
    exclude: Iso3List
    note: OptionalText = None


class Record(Row):
    id: Slug
    layer: LayerId
    theme: ThemeId
    category: CategoryId
    name_en: Text
    name_fr: OptionalText = None
    host_iso3: Iso3 = None
    city: OptionalText = None
    lon: blank_or(Annotated[float, Field(ge=-180, le=180)]) = None
    lat: blank_or(Annotated[float, Field(ge=-90, le=90)]) = None
    place_basis: blank_or(Literal[PLACE_BASES]) = None
    countries: Iso3List = ()
    regions: RegionIds = ()
    actor: Text
    partner: OptionalText = None
    year_start: blank_or(Year) = None
    year_end: blank_or(Year) = None
    # Only a number the source gives; an estimate is never written here.
    personnel: blank_or(Annotated[int, Field(ge=0)]) = None
    description: Text
    source: SourceId
    source_section: Text


@functools.cache
def plotly_marker_symbols() -> frozenset[str]:
    from plotly.validator_cache import ValidatorCache

    values = ValidatorCache.get_validator("scattergeo.marker", "symbol").values
    return frozenset(v for v in values if isinstance(v, str) and not v.isdigit())
