"""The one loader of geodata/: reads every file, validates it, and returns a Dataset or raises.

Loading is all-or-nothing: every problem of every file is collected and raised together in
one DataError, and no partial Dataset is ever returned.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from pydantic import BaseModel, ValidationError
from pyproj import Geod
from shapely.geometry import Point, shape
from shapely.ops import nearest_points

from presence.dataset import SOURCES_FOLDER, Dataset
from presence.errors import DataError, Problem
from presence.layer_registry import LAYERS
from presence.schema import Category, Citation, Quantity, Record, Region, Source, Theme

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
FILES = {
    "countries": "countries.geojson",
    "themes": "themes.csv",
    "categories": "categories.csv",
    "sources": "sources.csv",
    "regions": "regions.csv",
    "records": "records.csv",
    "quantities": "quantities.csv",
    "citations": "citations.csv",
    "sea_areas": "sea_areas.geojson",
}
# What a feature of countries.geojson is (build/countries.py, from Natural Earth's TYPE): a
# state, a state in free association (Cook Islands, Niue), a dependency of a state (its
# `sovereign` code names which), or a disputed or indeterminate territory.
STATUSES = ("state", "associated-state", "dependency", "disputed")
# A city may sit on a coast that web simplification moved by a few km; 75 km still catches a
# point placed in the wrong country or with its longitude and latitude swapped.
MAX_KM_FROM_HOST = 75.0
_GEOD = Geod(ellps="WGS84")


def load_dataset(folder: Path | str = GEODATA) -> Dataset:
    """The data set of `folder` with its imported layers (`imports/`); raise DataError listing
    all problems of its own files. Imported layer files that are refused are left out and
    listed in `import_problems`."""
    from presence.imported.folder import FOLDER, with_layers
    from presence.live import load_folder

    base = load_base(folder)
    return with_layers(base, load_folder(Path(folder) / FOLDER, base))


def load_countries(folder: Path | str = GEODATA) -> gpd.GeoDataFrame:
    """The countries of `folder` alone (what places an imported file's rows)."""
    problems: list[Problem] = []
    countries = _load_countries(Path(folder) / FILES["countries"], problems)
    if problems:
        raise DataError(problems)
    return countries


def load_base(folder: Path | str = GEODATA, records_rows: list[dict] | None = None,
              library: list[dict] | None = None) -> Dataset:
    """Load and validate every file of `folder`; raise DataError listing all problems.

    `records_rows` (records.csv's columns, as text) stand in for records.csv: the records as a
    store holds them (presence.store), validated by the same rules. `library`: the store's
    documents (sources.csv's columns, and `text`), which records may cite beside
    sources.csv's."""
    folder = Path(folder)
    problems: list[Problem] = []

    countries = _load_countries(folder / FILES["countries"], problems)
    iso3 = frozenset(countries.index) if countries is not None else None
    subregions = frozenset({*countries["subregion"], "*"}) if countries is not None else None

    themes = _read_rows(folder, "themes", Theme, {}, problems)
    categories = _read_rows(folder, "categories", Category,
                            {"themes": _ids(themes)}, problems)
    sources = _read_rows(folder, "sources", Source, {}, problems)
    _check_source_files(folder, sources, problems)
    if sources is not None and library:
        shipped = _ids(sources) or frozenset()
        sources = sources + _validate_rows(
            [(number, {key: row.get(key) for key in Source.model_fields})
             for number, row in enumerate(library, start=1) if row["id"] not in shipped],
            "source library", Source, {}, problems)
    regions = _read_rows(folder, "regions", Region,
                         {"iso3": iso3, "subregions": subregions}, problems)
    context = {"themes": _ids(themes), "categories": _ids(categories),
               "sources": _ids(sources), "regions": _ids(regions), "iso3": iso3}
    before = len(problems)
    records = _read_rows(folder, "records", Record, context, problems) if records_rows is None \
        else _validate_rows(list(enumerate(records_rows, start=1)), "record store", Record,
                            context, problems)
    records_valid = len(problems) == before
    quantities = _read_rows(folder, "quantities", Quantity, {}, problems, may_be_empty=True)
    # A data folder without further sources cites none.
    citations = _read_rows(folder, "citations", Citation, {"sources": _ids(sources)}, problems,
                           may_be_empty=True) if (folder / FILES["citations"]).exists() else []

    members, seas = {}, gpd.GeoSeries(crs="EPSG:4326")
    sea_words: dict[str, dict] = {}
    if countries is not None and regions is not None:
        members = _region_members(regions, countries, _name(folder, "regions"), problems)
        seas, sea_words = _load_sea_areas(folder, regions, problems)
    if all(part is not None for part in (countries, categories, sources, records)):
        _check_records(records, categories, sources, countries, frozenset(seas.index),
                       _name(folder, "records"), problems)
    # Figures and citations of a record (or figure) refused above would only repeat its problem.
    before = len(problems)
    if records_valid and quantities is not None:
        _check_quantities(quantities, _ids(records), _name(folder, "quantities"), problems)
    figures_valid = len(problems) == before
    if records_valid and figures_valid and quantities is not None and citations is not None:
        _check_citations(citations, records, quantities, sea_words,
                         _name(folder, "citations"), problems)
    if records_valid and countries is not None and regions is not None:
        stand_in_problems(records, regions, members, countries, _name(folder, "records"),
                          _name(folder, "regions"), problems)
    if problems:
        raise DataError(problems)

    return Dataset.build(
        folder=folder,
        countries=countries,
        themes=_frame(themes).sort_values("order"),
        categories=_frame(categories),
        sources=_frame(sources),
        regions=_frame(regions),
        region_members=members,
        sea_areas=seas,
        records=_frame(records),
        quantities=_frame(quantities, Quantity),
        citations=_frame(citations, Citation),
        sea_area_words=sea_words,
    )


def _name(folder: Path, key: str) -> str:
    path = folder / FILES[key]
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _ids(rows: list[tuple[int, Any]] | None) -> frozenset[str] | None:
    return None if rows is None else frozenset(row.id for _, row in rows)


def _frame(rows: list[tuple[int, BaseModel]], model: type[BaseModel] | None = None) -> pd.DataFrame:
    """The rows as a frame indexed by id (with `model`'s columns when there is no row)."""
    frame = pd.DataFrame([row.model_dump() for _, row in rows],
                         columns=list(model.model_fields) if model else None)
    return frame.set_index("id", drop=False).rename_axis(None)


def _read_rows(folder: Path, key: str, model: type[BaseModel], context: dict,
               problems: list[Problem], may_be_empty: bool = False
               ) -> list[tuple[int, BaseModel]] | None:
    """Validate every row of a CSV file; return (line, model) pairs, or None if unreadable."""
    path, name = folder / FILES[key], _name(folder, key)
    if not path.exists():
        problems.append(Problem(name, "file", "-", "file not found"))
        return None
    expected = list(model.model_fields)
    required = [f for f, info in model.model_fields.items() if info.is_required()]
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[:error.start].count(b"\n") + 1
        problems.append(Problem(name, f"line {line}", "-", f"not UTF-8 text (byte "
                                f"0x{error.object[error.start]:02x}): save the file as UTF-8"))
        return None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        problems.append(Problem(name, f"line {line}", "-", "holds a NUL character: not a "
                                "text file, or saved as UTF-16; save it as UTF-8"))
        return None
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in required if c not in header]
        unknown = [(number, c) for number, c in enumerate(header, start=1) if c not in expected]
        for column in missing:
            problems.append(Problem(name, "header", column, "missing column"))
        for number, column in unknown:
            # A column with no name is named by its position, so the problem says where.
            problems.append(Problem(name, "header", column.strip() or f"column {number}",
                                    f"unknown column (expected: {', '.join(expected)})"))
        if missing or unknown:
            return None
        raws = []
        for raw in reader:
            if None in raw or None in raw.values():
                line = reader.line_num
                record = f"record '{raw['id']}' (line {line})" if raw.get("id") else f"line {line}"
                problems.append(Problem(name, record, "-", f"row has {len(header)} columns "
                                        f"in the header but a different number of fields"))
                continue
            raws.append((reader.line_num, raw))
    rows = _validate_rows(raws, name, model, context, problems)
    if not rows and not may_be_empty:
        problems.append(Problem(name, "file", "-", "no valid row"))
    return rows


def _validate_rows(raws: list[tuple[int, dict]], name: str, model: type[BaseModel],
                   context: dict, problems: list[Problem]) -> list[tuple[int, Any]]:
    """Each (line, raw row) validated by `model`: the rows that pass, in order; the others'
    problems added to `problems`, naming `name`, the record and the field."""
    rows: list[tuple[int, Any]] = []
    first_line: dict[str, int] = {}
    for line, raw in raws:
        record = f"record '{raw['id']}' (line {line})" if raw.get("id") else f"line {line}"
        try:
            row: Any = model.model_validate(raw, context=context)
        except ValidationError as error:
            problems.extend(_problems_of(error, name, record))
            continue
        if row.id in first_line:
            problems.append(Problem(name, record, "id",
                                    f"duplicate id, first used on line {first_line[row.id]}"))
            continue
        first_line[row.id] = line
        rows.append((line, row))
    return rows


def _problems_of(error: ValidationError, name: str, record: str) -> list[Problem]:
    found = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "-"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] not in ("value_error", "missing") and item.get("input") not in (None, ""):
            message += f" (got {item['input']!r})"
        found.append(Problem(name, record, field, message))
    return found


# The countries file validated last, by its bytes' digest: checking the rules of a store's
# changes loads the same data set's records again and again, its countries never; and every
# copy of a data folder (a restored backup, the tests' copies) holds the same file.
_countries_read: dict[str, gpd.GeoDataFrame] = {}


def _load_countries(path: Path, problems: list[Problem]) -> gpd.GeoDataFrame | None:
    name = _name(path.parent, "countries")
    if not path.exists():
        problems.append(Problem(name, "file", "-", "file not found"))
        return None
    data = path.read_bytes()
    key = hashlib.blake2b(data, digest_size=20).hexdigest()  # 5 ms; validating takes 0.5 s
    if key in _countries_read:
        return _countries_read[key].copy()
    before = len(problems)
    frame = _read_countries(data, name, problems)
    if frame is not None and len(problems) == before:
        _countries_read.clear()
        _countries_read[key] = frame
        return frame.copy()
    return frame


def _read_countries(data: bytes, name: str, problems: list[Problem]) -> gpd.GeoDataFrame | None:
    try:
        collection = json.loads(data.decode("utf-8"))
        features = collection["features"]
        if not isinstance(features, list):
            raise TypeError("'features' is not a list")
    except (ValueError, KeyError, TypeError) as error:
        problems.append(Problem(name, "file", "-", f"not a GeoJSON FeatureCollection: {error}"))
        return None
    rows: list = []
    before = len(problems)
    seen: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            problems.append(Problem(name, f"feature {number}", "-", "not a GeoJSON Feature"))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            problems.append(Problem(name, f"feature {number}", "properties", "not an object"))
            continue
        code = properties.get("iso3")
        record = f"feature {number} ({code})" if code else f"feature {number}"
        if not isinstance(code, str) or len(code) != 3 or not code.isupper():
            problems.append(Problem(name, record, "iso3", f"not an alpha-3 code: {code!r}"))
        elif code in seen:
            problems.append(Problem(name, record, "iso3", f"duplicate, first in feature {seen[code]}"))
        else:
            seen[code] = number
        for field in ("name_en", "name_fr", "subregion"):
            if not str(properties.get(field) or "").strip():
                problems.append(Problem(name, record, field, "missing"))
        if properties.get("status", "state") not in STATUSES:
            problems.append(Problem(name, record, "status", f"{properties.get('status')!r} is "
                                    f"not one of: {', '.join(STATUSES)}"))
        geometry = _country_geometry(feature.get("geometry"), name, record, problems)
        rows.append({**properties, "geometry": geometry})
    if len(problems) > before:
        return None
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return frame.set_index("iso3", drop=False).rename_axis(None)


def _country_geometry(raw, name: str, record: str, problems: list[Problem]):
    try:
        geometry = shape(raw)
    except Exception as error:  # shapely raises several types for malformed GeoJSON
        problems.append(Problem(name, record, "geometry", f"malformed geometry: {error}"))
        return None
    if geometry.geom_type not in ("Polygon", "MultiPolygon") or geometry.is_empty:
        problems.append(Problem(name, record, "geometry",
                                f"expected a non-empty (Multi)Polygon, got {geometry.geom_type}"))
    elif not geometry.is_valid:
        problems.append(Problem(name, record, "geometry",
                                f"invalid geometry: {shapely.is_valid_reason(geometry)}"))
    elif not _within_lon_lat(geometry):
        problems.append(Problem(name, record, "geometry", "coordinates outside longitude "
                                "-180..180 / latitude -90..90"))
    elif any(part.exterior.is_ccw for part in getattr(geometry, "geoms", [geometry])):
        # Plotly fills the outside of an anticlockwise ring, flooding the whole globe.
        problems.append(Problem(name, record, "geometry", "an exterior ring runs anticlockwise; "
                                "Plotly needs clockwise exteriors"))
    return geometry


def _within_lon_lat(geometry) -> bool:
    minx, miny, maxx, maxy = geometry.bounds
    return -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90


def _region_members(regions, countries, name, problems) -> dict[str, frozenset[str]]:
    members: dict[str, frozenset[str]] = {}
    for line, region in regions:
        if region.use == "sea":  # a sea area holds no country
            members[region.id] = frozenset()
            continue
        if "*" in region.subregions:
            chosen = set(countries.index)
        else:
            chosen = set(countries.index[countries["subregion"].isin(region.subregions)])
        chosen = (chosen | set(region.include)) - set(region.exclude)
        if not chosen:
            problems.append(Problem(name, f"record '{region.id}' (line {line})", "include",
                                    "the region has no member country"))
        members[region.id] = frozenset(chosen)
    return members


def _later(date: str, than: str) -> bool:
    """Whether `date` is later than `than`, each as precise as its source gives it (2013 is
    not later than 2013-12, nor 2013-12 than 2013)."""
    shared = min(len(date), len(than))
    return date[:shared] > than[:shared]


def _load_sea_areas(folder: Path, regions, problems: list[Problem]
                    ) -> tuple[gpd.GeoSeries, dict[str, dict]]:
    """The shape of each sea region (regions.csv `use=sea`), by region id, and the source
    and words each is drawn from (`source`, `words`, `reading`)."""
    wanted = [region.id for _, region in regions if region.use == "sea"]
    path, name = folder / FILES["sea_areas"], _name(folder, "sea_areas")
    if not wanted:
        return gpd.GeoSeries(crs="EPSG:4326"), {}
    shapes, words = {}, {}
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        for number, feature in enumerate(features, start=1):
            properties = feature.get("properties") or {}
            area_id = properties.get("id")
            where = f"feature {number} ({area_id})"
            geometry = _country_geometry(feature.get("geometry"), name, where, problems)
            shapes[area_id] = geometry
            words[area_id] = {key: properties.get(key) for key in ("source", "words", "reading")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        problems.append(Problem(name, "file", "-", f"not a GeoJSON FeatureCollection: {error}"))
        return gpd.GeoSeries(crs="EPSG:4326"), {}
    for region_id in wanted:
        if region_id not in shapes:
            problems.append(Problem(_name(folder, "regions"), f"record '{region_id}'", "use",
                                    f"a sea area with no shape in {FILES['sea_areas']}"))
    return (gpd.GeoSeries({k: v for k, v in shapes.items() if k in wanted}, crs="EPSG:4326"),
            {k: v for k, v in words.items() if k in wanted})


def _check_records(records, categories, sources, countries, seas, name, problems) -> None:
    """Checks across fields and files that a single row's schema cannot make."""
    theme_of = {category.id: category.theme for _, category in categories}
    source_date = {source.id: source.data_as_of for _, source in sources}
    for line, r in records:
        where = f"record '{r.id}' (line {line})"

        def problem(field: str, message: str) -> None:
            problems.append(Problem(name, where, field, message))

        if theme_of[r.category] != r.theme:
            problem("category", f"category '{r.category}' belongs to theme "
                                f"'{theme_of[r.category]}', not '{r.theme}'")
        spec = LAYERS[r.layer]
        has_location = r.lon is not None and r.lat is not None
        if (r.lon is None) != (r.lat is None):
            problem("lat" if r.lat is None else "lon", "give both lon and lat, or neither")
        if spec.needs_location and not has_location:
            problem("lon", f"layer '{r.layer}' draws a point: lon and lat are required")
        at_sea = [region for region in r.regions if region in seas]
        if (r.layer == "sea-area") != bool(at_sea) or (at_sea and (
                r.countries or len(at_sea) < len(r.regions))):
            problem("regions", "a sea area (regions.csv use=sea) is drawn alone, by a record of "
                               "layer 'sea-area' with no country: a sea is not a set of states")
        if spec.needs_footprint and not (r.countries or r.regions):
            problem("countries", f"layer '{r.layer}' draws an area: list its countries "
                                 f"(or regions)")
        if has_location:
            for field in ("host_iso3", "city", "place_basis"):
                if getattr(r, field) is None:
                    problem(field, "required where lon and lat are given")
            if r.host_iso3 is not None:
                distance = _km_from_country(countries.geometry[r.host_iso3], r.lon, r.lat)
                if distance > MAX_KM_FROM_HOST:
                    problem("lon,lat", f"({r.lon}, {r.lat}) is {distance:,.0f} km from "
                                       f"{r.host_iso3} ({countries.at[r.host_iso3, 'name_en']})")
        if spec.needs_footprint and r.extent is None:
            problem("extent", f"layer '{r.layer}' draws an area: say whether its extent is "
                              f"'named' (the source names its countries) or 'approximate'")
        if not spec.needs_footprint and r.extent is not None:
            problem("extent", f"layer '{r.layer}' draws a point: leave extent empty")
        if r.extent == "named" and r.regions:
            problem("regions", "a named extent lists each country its source names in "
                               "'countries'; a region only stands in for words that name none "
                               "(extent 'approximate'), and shades no country")
        if r.extent == "approximate" and not r.regions:
            problem("regions", "an approximate extent needs the region that stands in for "
                               "the source's words")
        if r.valid_from and r.valid_until and r.valid_until < r.valid_from:
            problem("valid_until", f"{r.valid_until} is before valid_from {r.valid_from}")
        # A source attests nothing after its own date, nor a start or an event after the
        # date it attests the record as of.
        if _later(r.as_of, source_date[r.source]):
            problem("as_of", f"{r.as_of} is after the date of source '{r.source}' "
                             f"({source_date[r.source]})")
        for field, dates in (("valid_from", [r.valid_from] if r.valid_from else []),
                             ("event_dates", [p for d in r.event_dates for p in d.split("/")])):
            for date in dates:
                if _later(date, r.as_of):
                    problem(field, f"{date} is after as_of {r.as_of}: the source cannot "
                                   f"attest it")
        if r.personnel_qualifier and r.personnel is None:
            problem("personnel_qualifier", "a qualifier without a number: give personnel, "
                                           "or leave both empty")


def _check_source_files(folder: Path, sources, problems: list[Problem]) -> None:
    """Every source's document is in the data folder, so its quotes can be checked anywhere."""
    for line, source in sources or ():
        if not (folder / SOURCES_FOLDER / source.file).is_file():
            problems.append(Problem(_name(folder, "sources"), f"record '{source.id}' (line {line})",
                                    "file", f"'{source.file}' is not in the data folder's "
                                            f"{SOURCES_FOLDER}/ folder"))


def _check_quantities(quantities, record_ids, name, problems) -> None:
    for line, quantity in quantities:
        if quantity.record not in record_ids:
            problems.append(Problem(name, f"record '{quantity.id}' (line {line})", "record",
                                    f"unknown record '{quantity.record}' (not in records.csv)"))


def _check_citations(citations, records, quantities, sea_words, name, problems) -> None:
    """Each further source a record cites belongs to a record (and a figure of it); a sea is
    drawn from the words of the source its record takes its extent from: the extent's
    citation where it has one, else its own source."""
    record_of = {record.id: record for _, record in records}
    figure_of = {quantity.id: quantity.record for _, quantity in quantities}
    extent_source = {}
    for line, citation in citations:
        where = f"record '{citation.id}' (line {line})"
        record = record_of.get(citation.record)
        if record is None:
            problems.append(Problem(name, where, "record", f"unknown record '{citation.record}' "
                                                           f"(not in records.csv)"))
            continue
        if citation.quantity and figure_of.get(citation.quantity) != citation.record:
            problems.append(Problem(name, where, "quantity", f"'{citation.quantity}' is not a "
                                    f"figure of record '{citation.record}' (quantities.csv)"))
        if citation.supports == "extent":
            if not LAYERS[record.layer].needs_footprint:
                problems.append(Problem(name, where, "supports", f"record '{record.id}' draws a "
                                        f"point: no extent to take from a source"))
            elif record.id in extent_source:
                problems.append(Problem(name, where, "supports", f"record '{record.id}' takes "
                                        f"its extent from one source only"))
            extent_source[record.id] = citation.source
    for _, record in records:
        for sea in (region for region in record.regions if region in sea_words):
            drawn_from = sea_words[sea].get("source")
            wanted = extent_source.get(record.id, record.source)
            if drawn_from != wanted:
                problems.append(Problem(
                    _name_beside(name, "records"), f"record '{record.id}'", "regions",
                    f"sea area '{sea}' is drawn from the words of source '{drawn_from}', but the "
                    f"record takes its extent from source '{wanted}'"
                    + (" (citations.csv)" if record.id in extent_source else "")))


def _name_beside(name: str, key: str) -> str:
    """The name of another file of the same data folder."""
    return str(Path(name).with_name(FILES[key]))


def stand_in_problems(records, regions, members, countries, records_name: str,
                      regions_name: str, problems: list[Problem]) -> None:
    """A stand-in (a region drawn for words that name no country) takes in only what its
    sentence can mean: no disputed territory, no dependency without the state it depends on,
    and nothing that another stand-in of the very same words takes in: records quoting one
    sentence for different areas ("sessions about Asia (Middle East, South America, …)") are
    areas that sentence names apart. Records that share only part of their words (each of
    the Élysée summit's priorities quotes its own line) are separate statements, and may
    nest (the Sahel within Africa's capabilities)."""
    line_of = {region.id: line for line, region in regions}
    status = countries["status"] if "status" in countries else None
    used = {region for _, record in records if record.extent == "approximate"
            for region in record.regions}
    if status is not None:
        states = set(countries.index[status.isin(("state", "associated-state"))])
        sovereign_of = countries["sovereign"]
        for region_id in sorted(used):
            chosen = members.get(region_id, frozenset())
            disputed = sorted(code for code in chosen if status.get(code) == "disputed")
            held = {sovereign_of[code] for code in chosen if code in states}
            foreign = sorted(code for code in chosen if status.get(code) == "dependency"
                             and sovereign_of[code] not in held)
            where = f"record '{region_id}' (line {line_of[region_id]})"
            if disputed:
                problems.append(Problem(regions_name, where, "exclude", "a stand-in takes in no "
                                        f"disputed territory: {', '.join(disputed)}"))
            if foreign:
                problems.append(Problem(regions_name, where, "exclude", "a stand-in takes in no "
                                        "dependency of a state it leaves out (a source that "
                                        "names one is quoted in the record's countries): "
                                        f"{', '.join(foreign)}"))
    by_sentence: dict[tuple, list] = {}
    for line, record in records:
        if record.extent == "approximate" and record.regions:
            area = frozenset().union(*(members.get(r, frozenset()) for r in record.regions))
            by_sentence.setdefault((record.source, record.source_quote), []).append(
                (line, record, area))
    for siblings in by_sentence.values():
        for number, (line, record, area) in enumerate(siblings):
            for _, other, other_area in siblings[:number]:
                shared = area & other_area
                if shared:
                    problems.append(Problem(
                        records_name, f"record '{record.id}' (line {line})", "regions",
                        f"its stand-in and that of '{other.id}', which quotes the same words, "
                        f"both take in {', '.join(sorted(shared))}: the sentence names them "
                        f"apart, so a place belongs to one of them at most"))


def _km_from_country(country, lon: float, lat: float) -> float:
    point = Point(lon, lat)
    if country.covers(point):
        return 0.0
    nearest = nearest_points(country, point)[0]
    return _GEOD.inv(lon, lat, nearest.x, nearest.y)[2] / 1000
