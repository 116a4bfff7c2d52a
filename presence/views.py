"""A view of the data as the dashboard's URL query states it, and the records it selects.

Query keys: `theme`, `category`, `layer` (comma-separated or repeated), `region` (one id),
`actor` (text found in the French actor, case-insensitive), `year` (`2023` or `2011-2013`:
the records the sources attest in force then), `attested` (`2023`: only the records attested
as of that year or later, which leaves out what only an older source says).
The same parsing and filtering serve `python app.py records --view` and the dashboard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from presence.dataset import Dataset
from presence.layer_registry import LAYERS
from presence.memo import per_dataset

LIST_KEYS = ("theme", "category", "layer")
SINGLE_KEYS = ("region", "actor", "year", "attested")
# `theme=none` (or category, layer): nothing of that kind is ticked, so nothing is shown.
NOTHING = "none"
# Keys that set how the view is shown, not which records it holds: the selection, the
# language, presentation mode, the briefing and slide being presented, and the day whose
# data is shown (`asof=2026-03-01`: the data as it stood then; see asof_in).
DISPLAY_KEYS = ("selected", "country", "lang", "present", "briefing", "slide", "asof")
# The selection: a record (`selected=ID`) or a country (`country=ISO3`, whose panel lists the
# records touching it; `selected=country:ISO3` is read as the same).
SELECTION_KEYS = ("selected", "country")


class ViewError(ValueError):
    """A query names something the data set does not have."""


@dataclass(frozen=True)
class View:
    themes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()
    region: str | None = None
    actor: str | None = None
    years: tuple[int, int] | None = None
    attested: int | None = None
    # Only the records touching this country (ISO3): a country's one-pager. Not a URL key:
    # in the URL `country=` selects the country, whose card lists the records touching it.
    touching: str | None = None

    def to_query(self) -> str:
        pairs = [(key, ",".join(values)) for key, values in
                 (("theme", self.themes), ("category", self.categories),
                  ("layer", self.layers)) if values]
        if self.region:
            pairs.append(("region", self.region))
        if self.actor:
            pairs.append(("actor", self.actor))
        if self.years:
            start, end = self.years
            pairs.append(("year", str(start) if start == end else f"{start}-{end}"))
        if self.attested:
            pairs.append(("attested", str(self.attested)))
        return urlencode(pairs)


def asof_in(query: str | None) -> str | None:
    """The day a URL query asks the data as of (`asof=2026-03-01`), or None: for the data as
    it is now, or for what is not a date (a URL naming what does not exist shows now)."""
    found = parse_qs((query or "").lstrip("?")).get("asof")
    if not found:
        return None
    try:
        day = dt.date.fromisoformat(found[-1].strip())
    except ValueError:
        return None
    return day.isoformat() if len(found[-1].strip()) == 10 else None


def selection_in(query: str | None) -> str | None:
    """The selection a URL query states: a record id or 'country:ISO3'."""
    params = parse_qs((query or "").lstrip("?"))
    if params.get("country"):
        return f"country:{params['country'][-1]}"
    return params["selected"][-1] if params.get("selected") else None


def selection_pairs(selected: str | None) -> list[tuple[str, str]]:
    """The URL query pairs of a selection (see selection_in)."""
    if not selected:
        return []
    if selected.startswith("country:"):
        return [("country", selected.removeprefix("country:"))]
    return [("selected", selected)]


def parse_query(query: str, dataset: Dataset) -> View:
    """Parse a URL query (with or without its leading '?'); raise ViewError if it names
    an unknown key, theme, category, layer or region, or a malformed year."""
    params = parse_qs(query.lstrip("?"), keep_blank_values=False)
    unknown = set(params) - set(LIST_KEYS) - set(SINGLE_KEYS) - set(DISPLAY_KEYS)
    if unknown:
        raise ViewError(f"unknown query key(s) {', '.join(sorted(unknown))} (expected: "
                        f"{', '.join(LIST_KEYS + SINGLE_KEYS + DISPLAY_KEYS)})")

    def values(key: str) -> tuple[str, ...]:
        return tuple(v.strip() for raw in params.get(key, []) for v in raw.split(",")
                     if v.strip())

    def single(key: str) -> str | None:
        found = params.get(key, [])
        if len(found) > 1:
            raise ViewError(f"'{key}' is given {len(found)} times; give it once")
        return found[0].strip() if found else None

    return checked(View(
        themes=values("theme"),
        categories=values("category"),
        layers=values("layer"),
        region=single("region"),
        actor=single("actor") or None,
        years=_parse_years(single("year")),
        attested=_parse_attested(single("attested")),
    ), dataset)


def checked(view: View, dataset: Dataset) -> View:
    """The view as the data set can show it: each theme, category and layer once; ViewError
    if it names one the data set does not have, an unknown region, or years that are not
    years. The controls' view and a URL's pass the same checks."""
    def known(key: str, values: tuple[str, ...], every) -> tuple[str, ...]:
        for value in values:
            if value not in every and value != NOTHING:
                raise ViewError(f"unknown {key} '{value}' (expected one of: "
                                f"{', '.join(sorted(every))})")
        return tuple(dict.fromkeys(values))

    if view.region is not None and view.region not in dataset.filter_regions:
        raise ViewError(f"unknown region '{view.region}' (expected one of: "
                        f"{', '.join(dataset.filter_regions)})")
    if view.years and not (0 <= view.years[0] <= view.years[1]):
        raise ViewError(f"years {view.years[0]}-{view.years[1]}: not a range of years")
    if view.attested is not None and not 1000 <= view.attested <= 9999:
        raise ViewError(f"attested '{view.attested}' is not a year (2023)")
    return View(themes=known("theme", view.themes, dataset.themes.index),
                categories=known("category", view.categories, dataset.categories.index),
                layers=known("layer", view.layers, LAYERS), region=view.region,
                actor=(view.actor or "").strip() or None, years=view.years,
                attested=view.attested or None, touching=view.touching)


def _parse_attested(text: str | None) -> int | None:
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise ViewError(f"attested '{text}' is not a year (2023)")
    return int(text)


def _parse_years(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    start, _, end = text.partition("-")
    try:
        years = int(start), int(end or start)
    except ValueError:
        raise ViewError(f"year '{text}' is not a year (2023) or a range (2011-2013)") from None
    if years[0] > years[1]:
        raise ViewError(f"year range '{text}' ends before it starts")
    return years


def filter_records(dataset: Dataset, view: View) -> pd.DataFrame:
    """The records the view selects, in file order."""
    return dataset.records[filter_mask(dataset, view)]


def filter_mask(dataset: Dataset, view: View) -> pd.Series:
    """True for each record (in dataset.records' order) that the view selects."""
    records = dataset.records
    # Themes, categories and layers, what nearly every view filters on, are tested on plain
    # lists of the records' values (read once per data set): a pandas operation on each
    # costs more than the test itself on a few hundred records. A region's reach is kept
    # per data set already (region_reach).
    keep = np.ones(len(records), dtype=bool)
    values = _filtered_columns(dataset)
    for column, chosen in (("theme", view.themes), ("category", view.categories),
                           ("layer", view.layers)):
        if chosen:
            wanted = set(chosen)
            keep &= np.fromiter((value in wanted for value in values[column]), bool,
                                len(records))
    if view.region:
        keep &= region_reach(dataset, view.region).to_numpy() != ""
    if view.actor:
        keep &= records["actor"].str.contains(view.actor, case=False, regex=False).to_numpy(
            dtype=bool, na_value=False)
    if view.years:
        keep &= _active_during(records, *view.years).to_numpy(dtype=bool)
    if view.touching:
        keep &= np.fromiter((view.touching in places for places in values["places"]), bool,
                            len(records))
    if view.attested:
        # A record attested as of no date (an imported file's) is not known as of any year.
        keep &= (records["attested_year"] >= view.attested).fillna(False).to_numpy(dtype=bool)
    return pd.Series(keep, index=records.index)


@per_dataset
def _filtered_columns(dataset: Dataset) -> dict[str, list]:
    """The records' columns the filter tests, as lists."""
    return {column: dataset.records[column].tolist()
            for column in ("theme", "category", "layer", "places")}


# How a record is in a region's view (region_reach): a place it is known to touch is there,
# a sea it draws washes the region's shores, or only its stand-in for a region's words and
# the region mostly coincide.
NAMED, AT_SEA, STAND_IN = "named", "sea", "stand-in"
# A stand-in and a region mostly coincide when this share of the smaller of the two lies in
# the other: Africa's states and sub-Saharan Africa with East Africa, not with the Middle East
# (which shares only Egypt with Africa).
MOSTLY = 0.5


def region_reach(dataset: Dataset, region: str) -> pd.Series:
    """How each record (in dataset.records' order) is in the region's view: NAMED (its host or
    a country its source names is in the region), AT_SEA (a sea area it draws washes the
    region's shores), STAND_IN (only its stand-in for words that name no country and the
    region mostly coincide), or "" (not in it). The filter, the count ("of them only through
    a stand-in"), the legend and the shading follow it; stand-ins shade no country. Computed
    once per data set and region."""
    remembered = _reaches(dataset)
    if region not in remembered:
        remembered[region] = _region_reach(dataset, region)
    return remembered[region]


@per_dataset
def _reaches(dataset: Dataset) -> dict[str, pd.Series]:
    return {}


def _region_reach(dataset: Dataset, region: str) -> pd.Series:
    records = dataset.records
    members = dataset.region_members[region]
    seas = dataset.seas_in_region.get(region, frozenset())
    stand_ins = {region_id: dataset.region_members[region_id]
                 for region_id in dataset.regions.index[dataset.regions["use"] != "sea"]}

    def reach(counted, regions, extent) -> str:
        if not counted.isdisjoint(members):
            return NAMED
        if seas and not seas.isdisjoint(regions):
            return AT_SEA
        if extent == "approximate":
            area = frozenset().union(*(stand_ins.get(r, frozenset()) for r in regions))
            shared = len(area & members)
            if shared and shared >= MOSTLY * min(len(area), len(members)):
                return STAND_IN
        return ""

    return pd.Series([reach(*row) for row in zip(records["counted"], records["regions"],
                                                 records["extent"])],
                     index=records.index, dtype=object)


def through_stand_in(dataset: Dataset, view: View, records: pd.DataFrame) -> int:
    """How many of the records of a region's view are in it only through a stand-in."""
    if not view.region or not len(records):
        return 0
    return int((region_reach(dataset, view.region).loc[records.index] == STAND_IN).sum())


def _active_during(records: pd.DataFrame, first: int, last: int) -> pd.Series:
    """A record is in force from in_force_from to in_force_until (see
    presence.dataset.in_force). Records in force in no known year never match."""
    start = records["in_force_from"]
    end = records["in_force_until"]
    return (start.notna() & (start <= last) & (end >= first)).fillna(False).astype(bool)
