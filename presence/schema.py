"""The declared schema of every file in geodata/: one pydantic model per kind of row.

Checks that refer to another file (a theme, an iso3 code, a region, a source) read the
known values from the validation context, so each model validates one row on its own.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo,
                      field_validator)

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


def _known(info: ValidationInfo, key: str, value: str, what: str) -> str:
    known = (info.context or {}).get(key)
    if known is not None and value not in known:
        raise ValueError(f"unknown {what} '{value}' (expected one of: {', '.join(sorted(known))})")
    return value


def _known_iso3(info: ValidationInfo, codes: tuple[str, ...]) -> tuple[str, ...]:
    known = (info.context or {}).get("iso3")
    for code in codes:
        if not ISO3.match(code):
            raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-3 code (three capitals)")
        if known is not None and code not in known:
            raise ValueError(f"unknown iso3 '{code}' (not in geodata/countries.geojson)")
    return codes


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
    theme: Slug
    label_en: Text
    label_fr: Text
    symbol: Text
    colour: Colour
    in_factsheet_legend: YesNo

    @field_validator("theme")
    @classmethod
    def _theme_known(cls, value: str, info: ValidationInfo) -> str:
        return _known(info, "themes", value, "theme")

    @field_validator("symbol")
    @classmethod
    def _plotly_symbol(cls, value: str) -> str:
        if value not in plotly_marker_symbols():
            raise ValueError(f"'{value}' is not a Plotly marker symbol")
        return value


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
    subregions: SemicolonList
    include: SemicolonList
    exclude: SemicolonList
    note: OptionalText = None

    @field_validator("subregions")
    @classmethod
    def _subregions_known(cls, value: tuple[str, ...], info: ValidationInfo):
        known = (info.context or {}).get("subregions")
        for name in value:
            if name != "*" and known is not None and name not in known:
                raise ValueError(f"unknown UN sub-region '{name}'")
        return value

    @field_validator("include", "exclude")
    @classmethod
    def _iso3_known(cls, value: tuple[str, ...], info: ValidationInfo):
        return _known_iso3(info, value)


class Record(Row):
    id: Slug
    layer: Text
    theme: Text
    category: Text
    name_en: Text
    name_fr: OptionalText = None
    host_iso3: OptionalText = None
    city: OptionalText = None
    lon: blank_or(Annotated[float, Field(ge=-180, le=180)]) = None
    lat: blank_or(Annotated[float, Field(ge=-90, le=90)]) = None
    place_basis: blank_or(Literal[PLACE_BASES]) = None
    countries: SemicolonList = ()
    regions: SemicolonList = ()
    actor: Text
    partner: OptionalText = None
    year_start: blank_or(Year) = None
    year_end: blank_or(Year) = None
    # Only a number the source gives; an estimate is never written here.
    personnel: blank_or(Annotated[int, Field(ge=0)]) = None
    description: Text
    source: Text
    source_section: Text

    @field_validator("layer")
    @classmethod
    def _layer_known(cls, value: str) -> str:
        if value not in LAYERS:
            raise ValueError(f"unknown layer '{value}' (expected one of: {', '.join(LAYERS)})")
        return value

    @field_validator("theme")
    @classmethod
    def _theme_known(cls, value: str, info: ValidationInfo) -> str:
        return _known(info, "themes", value, "theme")

    @field_validator("category")
    @classmethod
    def _category_known(cls, value: str, info: ValidationInfo) -> str:
        return _known(info, "categories", value, "category")

    @field_validator("source")
    @classmethod
    def _source_known(cls, value: str, info: ValidationInfo) -> str:
        return _known(info, "sources", value, "source")

    @field_validator("regions")
    @classmethod
    def _regions_known(cls, value: tuple[str, ...], info: ValidationInfo):
        for region in value:
            _known(info, "regions", region, "region")
        return value

    @field_validator("host_iso3")
    @classmethod
    def _host_known(cls, value: str | None, info: ValidationInfo):
        return value if value is None else _known_iso3(info, (value,))[0]

    @field_validator("countries")
    @classmethod
    def _countries_known(cls, value: tuple[str, ...], info: ValidationInfo):
        return _known_iso3(info, value)


@functools.cache
def plotly_marker_symbols() -> frozenset[str]:
    from plotly.validator_cache import ValidatorCache

    values = ValidatorCache.get_validator("scattergeo.marker", "symbol").values
    return frozenset(v for v in values if isinstance(v, str) and not v.isdigit())
