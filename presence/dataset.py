"""The validated data set in memory: countries, taxonomy, regions, sources and records."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

# Below this land area a country is a speck at world scale and gets a marker as well.
SMALL_STATE_KM2 = 25_000
EQUAL_AREA = "EPSG:6933"
# Degrees: a sea area lies in a filter region when it comes this close to one of its countries.
SHORE_DEGREES = 1.0
# The source documents, in the data folder: sources.csv's `file` names one of them.
SOURCES_FOLDER = "sources"

# Columns of records.csv, in file order: what `records --format csv` writes back.
RECORD_COLUMNS = (
    "id", "layer", "theme", "category", "name_en", "name_fr", "short_en", "short_fr", "host_iso3",
    "city", "city_fr", "lon", "lat", "place_basis", "countries", "regions", "extent", "actor",
    "actor_fr", "partner", "partner_fr", "valid_from", "valid_until", "event_dates", "as_of",
    "personnel", "personnel_qualifier", "description", "source", "source_section",
    "source_section_fr", "source_quote",
)


@dataclass(frozen=True)
class Dataset:
    folder: Path
    countries: gpd.GeoDataFrame  # indexed by iso3
    themes: pd.DataFrame  # indexed by id, in legend order
    categories: pd.DataFrame  # indexed by id
    sources: pd.DataFrame  # indexed by id
    regions: pd.DataFrame  # indexed by id
    region_members: dict[str, frozenset[str]]
    # indexed by id, in file order; derived columns: `footprint` (the countries it lists and
    # those of its regions), `places` (the footprint and the host country), `counted` (the
    # places a record is known to touch: an approximate extent's stand-in regions left out),
    # `in_force_from` and `in_force_until` (years; see in_force), `attested_year` (the year
    # of `as_of`; none for an imported file's records), `older_as_of` (the `as_of` of a
    # record known only from a source older than the newest one: "attested 2013")
    records: pd.DataFrame
    # Figures the sources give about records (quantities.csv), indexed by id; its columns
    # even when it has no row.
    quantities: pd.DataFrame
    # The shape of each sea area a source names (regions.csv use=sea), by region id.
    sea_areas: gpd.GeoSeries = field(default_factory=lambda: gpd.GeoSeries(crs="EPSG:4326"))
    # The source, words and reading each sea area is drawn from (sea_areas.geojson), by id.
    sea_area_words: dict[str, dict] = field(default_factory=dict)
    # Further sources records cite (citations.csv), indexed by id: for a sea drawn from
    # another source's words, or the reading of a figure. Empty where none is cited.
    citations: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["id", "record", "quantity", "source", "source_section", "source_section_fr",
                 "source_quote", "supports", "note_en", "note_fr"]))
    # Imported layer files refused (presence/imported/); the others are in the frames above.
    import_problems: tuple = ()
    # Names the state of the imported layers and the store ("" with neither): a page built on
    # another state gets its map and filters anew.
    version: str = ""
    # The data as it stood on a past day (`asof=`): (the day, the store's last change then);
    # None for the data as it is now.
    as_of: tuple[str, int] | None = None
    # The store's change number the data holds (0: as shipped, or no store).
    change_number: int = 0

    @classmethod
    def build(cls, *, countries: gpd.GeoDataFrame, records: pd.DataFrame,
              region_members: dict[str, frozenset[str]], **parts) -> Dataset:
        # Derived once at load, not on every filter change: where a country's dot goes, and
        # whether it is small enough to need one.
        countries = countries.copy()
        points = countries.geometry.representative_point()
        countries["marker_lon"], countries["marker_lat"] = points.x, points.y
        countries["small_state"] = countries.geometry.to_crs(EQUAL_AREA).area < SMALL_STATE_KM2 * 1e6
        records = with_places(records, region_members)
        latest = parts["sources"]["data_as_of"].str[:4].astype(int).max()
        records["older_as_of"] = records["as_of"].where(records["attested_year"] < latest)
        return cls(countries=countries, records=records, region_members=region_members,
                   **parts)

    def citations_of(self, record_ids) -> pd.DataFrame:
        """The further sources the records cite, in citations.csv's order."""
        return self.citations[self.citations["record"].isin(set(record_ids))]

    def sources_cited(self, records: pd.DataFrame) -> set[str]:
        """The ids of the documents the records come from: their own sources and those
        they cite further."""
        return set(records["source"]) | set(self.citations_of(records.index)["source"])

    def attested_years(self) -> list[int]:
        """The years records are attested in, oldest first (the "attested since" choices)."""
        return sorted(int(year) for year in self.records["attested_year"].dropna().unique())

    @functools.cached_property
    def filter_regions(self) -> pd.Index:
        """The regions a user filters by (the others only draw records' areas): every view
        checks its region against them."""
        return self.regions.index[self.regions["use"] == "filter"]

    @functools.cached_property
    def seas_in_region(self) -> dict[str, frozenset[str]]:
        """The sea areas in each filter region: those that wash its countries' shores
        (within SHORE_DEGREES). The Bay of Bengal is in the Indian Ocean and South Asia, not
        in the Pacific; its shores are never a list of the record's countries."""
        shores = {sea: frozenset(self.countries.index[
                      shapely.distance(self.countries.geometry.to_numpy(), shape) < SHORE_DEGREES])
                  for sea, shape in self.sea_areas.items()}
        return {region: frozenset(sea for sea, near in shores.items()
                                  if near & self.region_members[region])
                for region in self.filter_regions}


def with_places(records: pd.DataFrame, region_members: dict[str, frozenset[str]]) -> pd.DataFrame:
    """Records with their derived columns (see Dataset.records)."""
    records = records.copy()
    records["personnel"] = records["personnel"].astype("Int64")
    # Columns read as plain lists: a row-by-row walk of the frame costs seconds at 50,000.
    column = {name: records[name].tolist() for name in (
        "countries", "regions", "host_iso3", "extent", "valid_from", "valid_until",
        "event_dates", "as_of")}
    records["footprint"] = [_footprint(countries, regions, region_members) for countries, regions
                            in zip(column["countries"], column["regions"])]
    records["places"] = [_with_host(footprint, host)
                         for footprint, host in zip(records["footprint"], column["host_iso3"])]
    records["counted"] = [
        _with_host(frozenset(countries), host) if extent == "approximate" else places
        for places, countries, host, extent in zip(records["places"], column["countries"],
                                                   column["host_iso3"], column["extent"])]
    records["in_force_from"], records["in_force_until"] = zip(*(
        in_force(*dates) for dates in zip(column["valid_from"], column["valid_until"],
                                          column["event_dates"], column["as_of"]))) \
        if len(records) else ((), ())
    records["attested_year"] = [int(as_of[:4]) if isinstance(as_of, str) else None
                                for as_of in column["as_of"]]
    for name in ("in_force_from", "in_force_until", "attested_year"):
        records[name] = records[name].astype("Int64")
    return records


def in_force(valid_from, valid_until, event_dates, as_of) -> tuple[int | None, int | None]:
    """The years the source attests a record in force (geodata/README.md, "Time"): from its
    `valid_from` or, where the source dates no start, from its earliest dated event or the
    year it is attested as of; until its `valid_until` (an end the source states, which may
    lie past its date), or else the year it is attested as of: past that, nothing says it
    still is. A record attested as of no date (an imported file's) is in force in no known
    year."""
    as_of_year = int(as_of[:4]) if isinstance(as_of, str) else None
    if isinstance(valid_from, str):
        start = int(valid_from[:4])
    else:
        dated = [int(date[:4]) for date in event_dates or ()]
        dated += [as_of_year] if as_of_year is not None else []
        start = min(dated, default=None)
    end = int(valid_until[:4]) if isinstance(valid_until, str) else as_of_year
    return start, end if start is not None else None


def _with_host(places: frozenset[str], host) -> frozenset[str]:
    return places | {host} if isinstance(host, str) else places


def _footprint(countries, regions, region_members) -> frozenset[str]:
    """The countries a record's area covers: those it lists and those of its regions."""
    listed = set(countries)
    for region in regions:
        listed |= region_members[region]
    return frozenset(listed)
