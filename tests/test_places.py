"""The place finder of a record's form: a city typed by one of its names, coordinates typed
in the forms officers write them, a point clicked; each with the host country check-data
accepts for it."""

import pytest

from presence import places
from presence.loader import load_countries


@pytest.fixture(scope="module")
def countries():
    return load_countries()


@pytest.mark.parametrize("typed, city, host", [
    ("Antananarivo", "Antananarivo", "MDG"),
    ("tananarive", "Antananarivo", "MDG"),  # an older name, without its capital
    ("PORT VILA", "Port-Vila", "VUT"),  # no hyphen, any case
    ("Nouméa", "Nouméa", "NCL"),
    ("noumea", "Nouméa", "NCL"),  # without its accent
    ("Le Port", "Le Port", "REU"),  # Réunion, a French department, is its own host
])
def test_a_city_is_found_by_its_names_with_its_host(countries, typed, city, host):
    first = places.find(typed, countries)[0]
    assert (first.city, first.host_iso3, first.basis) == (city, host, "named")


def test_cities_of_one_name_are_offered_the_most_populous_first(countries):
    found = places.find("Saint-Denis", countries)
    assert [p.host_iso3 for p in found][:2] == ["REU", "FRA"]
    assert len(found) == len({(p.lon, p.lat) for p in found})  # each city once
    assert len(places.find("San Jose", countries)) <= places.MOST


@pytest.mark.parametrize("typed", ["-18.91, 47.54", "-18,91; 47,54", "18.91 S 47.54 E",
                                   "47.54E 18.91S", "18.91°S, 47.54°E", "−18.91 47.54"])
def test_coordinates_are_read_latitude_first_or_by_their_hemispheres(countries, typed):
    [place] = places.find(typed, countries)
    assert (place.lon, place.lat, place.host_iso3) == (47.54, -18.91, "MDG")
    assert place.basis == "site" and place.city == "Antananarivo"


@pytest.mark.parametrize("typed", ["", "   ", "Qzxwville", "95, 47", "12, 200", "x" * 10_000])
def test_what_is_no_place_gives_none(countries, typed):
    assert places.find(typed, countries) == []


def test_a_point_at_sea_has_no_host_and_a_coastal_one_the_nearest_within_75_km(countries):
    at_sea = places.at(60.0, -30.0, countries)
    assert at_sea.host_iso3 is None and at_sea.city == "" and at_sea.fields()["host_iso3"] == ""
    # Off Le Port, outside the coarse outline of Réunion but within check-data's distance.
    assert places.at(55.2, -20.93, countries).host_iso3 == "REU"


def test_the_fields_a_place_fills_are_those_check_data_reads(countries):
    fields = places.find("Antananarivo", countries)[0].fields()
    assert fields == {"lon": "47.5361", "lat": "-18.9137", "city": "Antananarivo",
                      "host_iso3": "MDG", "place_basis": "named"}
