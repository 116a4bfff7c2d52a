"""A brought file's table turned into records: the label, category and placing columns
guessed, every row placed (coordinates, countries or its own geometry) and checked, then the
checked rows made a layer of its own theme."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
import shapely

from i18n import PLACED_BY
from presence.dataset import RECORD_COLUMNS, Dataset, with_places
from presence.errors import MAX_PROBLEMS, DataError, Problem, stopped_at
from presence.imported.reading import MAX_ROWS, Table
from presence.imported.settings import LayerSettings, layer_settings

MAX_CATEGORIES = 12
# Colours not taken by the five themes (Okabe-Ito's remaining ones, then Paul Tol's).
COLOURS = ("#CC79A7", "#882255", "#332288", "#44AA99", "#999933", "#AA4499", "#117733",
           "#661100")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "star", "cross", "x", "pentagon",
           "hexagon", "triangle-down", "star-diamond", "hourglass")
LON_NAMES = ("lon", "long", "longitude", "lng", "x")
LAT_NAMES = ("lat", "latitude", "y")
ISO3_NAMES = ("iso3", "iso_a3", "iso 3", "code iso3", "iso", "country_iso3", "iso_code")
COUNTRY_NAMES = ("country", "pays", "country name", "nom du pays", "state", "etat")
LABEL_NAMES = ("name", "nom", "label", "libelle", "title", "titre", "intitule")
CATEGORY_NAMES = ("category", "categorie", "type", "kind", "theme", "domain", "domaine")
NO_CATEGORY = "(no category)"
NEAR_DEGREES = 0.5
# What one record may carry into every user's map, table and hover (presence/imported/reading.py
# caps what a file may hold in all).
MAX_LABEL_CHARS = 200
MAX_CATEGORY_CHARS = 80
MAX_DESCRIPTION_CHARS = 4_000


@dataclass(frozen=True)
class ImportedLayer:
    id: str  # also the id of its theme
    settings: LayerSettings
    placed_by: str  # how rows were placed: columns or geometry
    records: pd.DataFrame  # RECORD_COLUMNS + footprint, places, shape
    categories: pd.DataFrame
    colour: str
    stored: str = ""  # its file's name in the imports folder


def _plain(text: str) -> str:
    """Lower case without accents or punctuation, to match column and country names."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def find_column(columns, names) -> str | None:
    by_plain = {_plain(column): column for column in columns}
    for candidate in names:
        if _plain(candidate) in by_plain:
            return by_plain[_plain(candidate)]
    return None


def guess_label(table: Table) -> str | None:
    found = find_column(table.columns, LABEL_NAMES)
    if found:
        return found
    placing = set(_placing_columns(table.columns).values())
    for column in table.columns:  # else the first column of text that is not a coordinate
        if column not in placing and any(row[column] and not _number(row[column])
                                         for row in table.rows[:50]):
            return column
    return table.columns[0] if table.columns else None


def guess_category(table: Table) -> str | None:
    return find_column(table.columns, CATEGORY_NAMES)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _plain(text)).strip("-")[:40].strip("-") or "layer"


def _number(text: str) -> float | None:
    """A number as people type it, with a decimal point or (French) a decimal comma."""
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _placing_columns(columns) -> dict[str, str]:
    found = {"lon": find_column(columns, LON_NAMES), "lat": find_column(columns, LAT_NAMES),
             "iso3": find_column(columns, ISO3_NAMES),
             "country": find_column(columns, COUNTRY_NAMES)}
    return {key: column for key, column in found.items() if column}




def placing(table: Table, lang: str = "en") -> str:
    """How the rows of a table will be placed on the map, in words; "" if nothing places
    them."""
    found = _placing_columns(table.columns)
    if table.geometries is not None:
        key = "geometry"
    elif "lon" in found and "lat" in found:
        key = "lon-lat"
    else:
        key = next((key for key in ("iso3", "country") if key in found), None)
    if key is None:
        return ""
    return PLACED_BY[key][lang == "fr"].format(**found)


def layer_from_table(table: Table, settings: LayerSettings, dataset: Dataset, layer_id: str,
                     name: str, colour: str) -> ImportedLayer:
    """The layer of a table, built in this process (tests, the bench): the same two steps
    the server takes, the first in a bounded child (presence/imported/examine.py), the second in the
    server on the child's checked answer."""
    rows = layer_rows(table, settings, dataset.countries, layer_id, name)
    return imported_layer(rows, settings, layer_id, colour, dataset.countries.index)


def layer_rows(table: Table, settings: LayerSettings, countries, layer_id: str,
               name: str) -> dict:
    """What each row of a table becomes, as plain data (lists of text and numbers, shapes as
    WKB in hex): the work of placing rows, which a file can make long, done where it is
    bounded. DataError listing every problem (row and field) if any."""
    problems: list[Problem] = []

    def problem(where: str, column: str, message: str) -> None:
        problems.append(Problem(name, where, column, message))
        if len(problems) >= MAX_PROBLEMS:
            raise DataError([*problems, stopped_at(name, where)])

    for key in ("label", "category"):
        column = getattr(settings, key)
        if column is not None and column not in table.columns:
            problem("settings", key, f"no column '{column}' in the file (columns: "
                                     f"{', '.join(table.columns)})"[:1000])
    placed_by = placing(table)
    if not placed_by:
        problem("header", "-", "nothing places the rows on the map: give longitude and "
                "latitude columns (lon, lat), an iso3 column or a country column")
    if problems:
        raise DataError(problems)

    values = [row[settings.category] or NO_CATEGORY for row in table.rows] \
        if settings.category else [settings.name] * len(table.rows)
    kinds = list(dict.fromkeys(values))
    if len(kinds) > MAX_CATEGORIES:
        raise DataError([Problem(name, "file", settings.category, f"{len(kinds)} different "
                                 f"values: at most {MAX_CATEGORIES} categories fit a legend; "
                                 f"choose another column, or none")])
    for kind, where in zip(values, table.where):
        if len(kind) > MAX_CATEGORY_CHARS:
            problem(where, settings.category, f"a category of {len(kind):,} characters: "
                                              f"the legend takes at most {MAX_CATEGORY_CHARS}")
    number_of = {kind: number for number, kind in enumerate(kinds)}

    placer = _Placer(table, countries)
    # Coordinates and countries are in the record's own fields: the description keeps the rest.
    described = [column for column in table.columns if column not in
                 {settings.label, settings.category, *placer.columns.values()}]
    rows: dict[str, list] = {key: [] for key in ROW_FIELDS}
    for number, (row, where) in enumerate(zip(table.rows, table.where), start=1):
        label = row[settings.label]
        if not label:
            problem(where, settings.label, "empty: every record needs a label")
        elif len(label) > MAX_LABEL_CHARS:
            problem(where, settings.label, f"a label of {len(label):,} characters: a "
                                           f"record's name has at most {MAX_LABEL_CHARS}")
        try:
            place = placer.place(number - 1, row)
        except ValueError as error:
            column, _, message = str(error).partition("|")
            problem(where, column, message)
            continue
        if problems:
            continue  # the layer is refused: only its problems are still worth finding
        description = "; ".join(f"{column}: {row[column]}" for column in described
                                if row[column])
        shape = place.get("shape")
        for key, value in (("layer", place["layer"]), ("category", number_of[values[number - 1]]),
                           ("name", label), ("lon", place.get("lon")), ("lat", place.get("lat")),
                           ("countries", list(place.get("countries", ()))),
                           ("description", description[:MAX_DESCRIPTION_CHARS]),
                           ("where", where),
                           ("shape", None if shape is None else shapely.to_wkb(shape, hex=True))):
            rows[key].append(value)
    if problems:
        raise DataError(problems)
    points = [number for number, layer in enumerate(rows["layer"]) if layer == "imported-point"]
    hosts = dict(zip(points, placer.hosts([rows["lon"][n] for n in points],
                                          [rows["lat"][n] for n in points])))
    rows["host_iso3"] = [hosts.get(number) for number in range(len(rows["layer"]))]
    return {"placed_by": placed_by, "kinds": kinds, "rows": rows}


# The fields of each row of layer_rows, as lists of equal length.
ROW_FIELDS = ("layer", "category", "name", "lon", "lat", "countries", "description", "where",
              "shape")


class NotALayer(ValueError):
    """An answer from the reading process that is not what layer_rows gives."""


def imported_layer(built: dict, settings: LayerSettings, layer_id: str, colour: str,
                   country_codes) -> ImportedLayer:
    """The layer, with its records as the rest of the data set has them, from layer_rows'
    plain data, which is checked first: every list, text and number within the caps it was
    built under (NotALayer if not), so that nothing a file holds grows past them here."""
    try:
        placed_by, kinds, rows = built["placed_by"], built["kinds"], built["rows"]
        size = len(rows["layer"])
        _check(isinstance(placed_by, str) and len(placed_by) <= 1000, "placed_by")
        _check(isinstance(kinds, list) and 0 < len(kinds) <= MAX_CATEGORIES and all(
            isinstance(kind, str) and len(kind) <= MAX_CATEGORY_CHARS for kind in kinds),
            "kinds")
        _check(size <= MAX_ROWS and all(len(rows[key]) == size for key in
                                        (*ROW_FIELDS, "host_iso3")), "rows")
    except (KeyError, TypeError):
        raise NotALayer("not the rows of a layer") from None
    known = set(country_codes)
    for key, valid in (
            ("layer", lambda v: v in ("imported-point", "imported-area")),
            ("category", lambda v: type(v) is int and 0 <= v < len(kinds)),
            ("name", lambda v: isinstance(v, str) and 0 < len(v) <= MAX_LABEL_CHARS),
            ("lon", lambda v: v is None or type(v) in (int, float) and -180 <= v <= 180),
            ("lat", lambda v: v is None or type(v) in (int, float) and -90 <= v <= 90),
            ("countries", lambda v: isinstance(v, list) and all(c in known for c in v)),
            ("description", lambda v: isinstance(v, str)
             and len(v) <= MAX_DESCRIPTION_CHARS),
            ("where", lambda v: isinstance(v, str) and len(v) <= 40),
            ("shape", lambda v: v is None or isinstance(v, str)),
            ("host_iso3", lambda v: v is None or v in known)):
        _check(all(map(valid, rows[key])), key)
    shapes = shapely.from_wkb(rows["shape"], on_invalid="ignore")
    _check(all(shape is not None and shape.geom_type == "MultiPolygon" for shape, raw
               in zip(shapes, rows["shape"]) if raw is not None), "shape")

    category_ids = [f"{layer_id}--{number}" for number in range(1, len(kinds) + 1)]
    categories = pd.DataFrame({
        "id": category_ids, "theme": layer_id, "label_en": kinds,
        "label_fr": kinds, "symbol": SYMBOLS[:len(kinds)], "colour": colour,
        "in_factsheet_legend": True}).set_index("id", drop=False).rename_axis(None)
    records = pd.DataFrame({column: [None] * size for column in (*RECORD_COLUMNS, "shape")})
    records = records.assign(
        id=[f"{layer_id}-{number}" for number in range(1, size + 1)], layer=rows["layer"],
        theme=layer_id, category=[category_ids[number] for number in rows["category"]],
        name_en=rows["name"], host_iso3=rows["host_iso3"], lon=rows["lon"], lat=rows["lat"],
        place_basis=["file" if layer == "imported-point" else None for layer in rows["layer"]],
        countries=[tuple(codes) for codes in rows["countries"]], regions=[()] * size,
        actor="", event_dates=[()] * size,
        description=[text or "The file gives no other field." for text in rows["description"]],
        source=layer_id, source_section=rows["where"], shape=list(shapes))
    records = records.astype({"lon": float, "lat": float})
    # Imported records name no region: their footprint is the countries they cover.
    records = with_places(records.set_index("id", drop=False).rename_axis(None), {})
    return ImportedLayer(layer_id, settings, placed_by, records, categories, colour)


def _check(condition: bool, field: str) -> None:
    if not condition:
        raise NotALayer(f"field '{field}' is not what a layer holds")


class _Placer:
    """Where each row goes: a point (its coordinates or geometry) or an area (its countries
    or polygon). Raises ValueError("column|message") for a row it cannot place."""

    def __init__(self, table: Table, countries):
        self.table, self.countries = table, countries
        self.columns = _placing_columns(table.columns)
        self.by_name = {}
        for code, row in countries.iterrows():
            for key in ("name_en", "name_fr"):
                self.by_name[_plain(row[key])] = code

    def place(self, index: int, row: dict) -> dict:
        if self.table.geometries is not None:
            return self._geometry(self.table.geometries[index])
        if "lon" in self.columns and "lat" in self.columns:
            return self._point(row)
        codes = self._countries(row)
        return {"layer": "imported-area", "countries": codes, "shape": None}

    def _point(self, row: dict) -> dict:
        values = {}
        for key, low, high in (("lon", -180, 180), ("lat", -90, 90)):
            column = self.columns[key]
            value = _number(row[column])
            if value is None:
                raise ValueError(f"{column}|{row[column]!r} is not a number" if row[column]
                                 else f"{column}|empty: every row needs a {key}")
            if not low <= value <= high:
                raise ValueError(f"{column}|{value:g} is outside {low}..{high}")
            values[key] = value
        return self._at(values["lon"], values["lat"])

    @staticmethod
    def _at(lon: float, lat: float) -> dict:
        # The host country is found for all points at once (hosts).
        return {"layer": "imported-point", "lon": round(lon, 6), "lat": round(lat, 6),
                "place_basis": "file", "shape": None}

    def hosts(self, lons: list[float], lats: list[float]) -> list[str | None]:
        """The country each point is in, or else the nearest within NEAR_DEGREES: the world
        map's coasts are simplified, and a port or an island town often falls just off them.
        Out at sea, none: such a point counts in no region."""
        found: list[str | None] = [None] * len(lons)
        if not found:
            return found
        points = shapely.points(lons, lats)
        tree = self.countries.sindex
        for point, country in zip(*tree.query(points, predicate="intersects")):
            found[point] = found[point] or self.countries.index[country]
        missing = [number for number, host in enumerate(found) if host is None]
        if missing:
            near = tree.nearest(points[missing], max_distance=NEAR_DEGREES)
            for point, country in zip(*near):
                found[missing[point]] = found[missing[point]] or self.countries.index[country]
        return found

    def _countries(self, row: dict) -> tuple[str, ...]:
        column = self.columns.get("iso3") or self.columns["country"]
        raw = row[column]
        parts = [part.strip() for part in re.split(r"[;,]", raw) if part.strip()]
        if not parts:
            raise ValueError(f"{column}|empty: every row needs a country")
        codes = []
        for part in parts:
            code = part.upper() if "iso3" in self.columns else self.by_name.get(_plain(part))
            if code is None or code not in self.countries.index:
                what = "iso3 code" if "iso3" in self.columns else "country name"
                raise ValueError(f"{column}|unknown {what} '{part}'")
            codes.append(code)
        return tuple(dict.fromkeys(codes))

    def _geometry(self, geometry) -> dict:
        if geometry is None or geometry.is_empty:
            raise ValueError("geometry|no geometry")
        kind = geometry.geom_type
        if kind == "MultiPoint" and len(geometry.geoms) == 1:
            geometry, kind = geometry.geoms[0], "Point"
        if kind == "Point":
            if not (-180 <= geometry.x <= 180 and -90 <= geometry.y <= 90):
                raise ValueError(f"geometry|({geometry.x:g}, {geometry.y:g}) is outside "
                                 f"longitude -180..180 / latitude -90..90")
            return self._at(geometry.x, geometry.y)
        if kind not in ("Polygon", "MultiPolygon"):
            raise ValueError(f"geometry|a {kind}: only points and polygons are drawn")
        minx, miny, maxx, maxy = geometry.bounds
        if not (-180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90):
            raise ValueError("geometry|coordinates outside longitude -180..180 / latitude "
                             "-90..90 (is the file in longitude/latitude?)")
        if not geometry.is_valid:
            raise ValueError(f"geometry|invalid polygon: {shapely.is_valid_reason(geometry)} "
                             f"(QGIS: Vector › Geometry Tools › Fix Geometries)")
        # Plotly fills the outside of an anticlockwise ring: orient them for it.
        shape = shapely.orient_polygons(geometry, exterior_cw=True)
        if shape.geom_type == "Polygon":
            shape = shapely.MultiPolygon([shape])
        hits = self.countries.sindex.query(shape, predicate="intersects")
        return {"layer": "imported-area", "shape": shape,
                "countries": tuple(sorted(self.countries.index[hits]))}


def default_settings(table: Table, file: str, imported: str | None = None) -> LayerSettings:
    """Choices for a file placed in the folder by hand: its name, guessed columns."""
    return layer_settings(file, guess_label(table), guess_category(table), imported=imported)
