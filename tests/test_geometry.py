"""The world geometry in geodata/ and the base maps in assets/: complete, valid, Plotly-safe."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import Point

from presence.loader import GEODATA

ASSETS = GEODATA.parent / "assets"

# Every small state and territory the two sources speak of, and France's overseas departments.
NAMED_IN_SOURCES = {
    "SYC": "Seychelles", "COM": "Comoros", "MUS": "Mauritius", "MDV": "Maldives",
    "MDG": "Madagascar", "DJI": "Djibouti", "VUT": "Vanuatu", "COK": "Cook Islands",
    "FJI": "Fiji", "TUV": "Tuvalu", "TLS": "East Timor", "BRN": "Brunei", "SGP": "Singapore",
    "REU": "Réunion", "MYT": "Mayotte", "NCL": "New Caledonia", "PYF": "French Polynesia",
    "WLF": "Wallis and Futuna", "GUF": "French Guiana", "GLP": "Guadeloupe", "MTQ": "Martinique",
}


def rings(geometry):
    for polygon in getattr(geometry, "geoms", [geometry]):
        yield polygon.exterior
        yield from polygon.interiors


@pytest.mark.parametrize("iso3", sorted(NAMED_IN_SOURCES))
def test_small_states_and_territories_are_their_own_valid_features(dataset, iso3):
    country = dataset.countries.loc[iso3]
    assert country["name_en"] == NAMED_IN_SOURCES[iso3]
    assert country["name_fr"] and country["subregion"]
    assert country.geometry.is_valid and not country.geometry.is_empty
    assert country.geometry.area > 0


def test_overseas_departments_are_cut_out_of_france(dataset):
    france = dataset.countries.geometry["FRA"]
    saint_denis, mamoudzou, cayenne = Point(55.45, -20.88), Point(45.23, -12.78), Point(-52.33, 4.92)
    basse_terre, fort_de_france = Point(-61.73, 16.0), Point(-61.07, 14.6)
    for point in (saint_denis, mamoudzou, cayenne, basse_terre, fort_de_france):
        assert france.distance(point) > 5  # degrees: nothing of France near them
    assert dataset.countries.geometry["REU"].distance(saint_denis) < 0.05
    assert dataset.countries.loc["REU", "subregion"] == "Eastern Africa"
    assert france.covers(Point(2.35, 48.86))  # Paris stays in France


def test_one_feature_per_iso3_in_epsg_4326(dataset):
    assert dataset.countries.index.is_unique
    assert dataset.countries.crs.to_epsg() == 4326
    assert len(dataset.countries) > 240
    assert "ATA" not in dataset.countries.index  # Antarctica floods polar projections


def test_every_exterior_ring_is_clockwise_and_every_hole_anticlockwise(dataset):
    # Plotly fills the outside of an anticlockwise exterior: the globe would flood.
    for iso3, geometry in dataset.countries.geometry.items():
        for polygon in getattr(geometry, "geoms", [geometry]):
            assert not polygon.exterior.is_ccw, iso3
            assert all(hole.is_ccw for hole in polygon.interiors), iso3


def test_no_ring_jumps_across_the_antimeridian(dataset):
    for iso3, geometry in dataset.countries.geometry.items():
        for ring in rings(geometry):
            steps = np.abs(np.diff(np.asarray(ring.coords)[:, 0]))
            assert steps.max() < 180, f"{iso3} has a streak across the map"


def test_neighbours_share_borders_without_overlapping(dataset):
    geometries = dataset.countries.geometry.to_numpy()
    # coverage_is_valid checks that no two polygons overlap and shared edges match.
    assert shapely.coverage_is_valid(geometries, gap_width=0.0)


def test_countries_file_is_small_enough_for_the_web():
    assert (GEODATA / "countries.geojson").stat().st_size < 3_000_000


@pytest.mark.parametrize("name", ["world_110m", "world_50m"])
def test_plotly_base_maps_are_served_from_assets(name):
    topology = json.loads((ASSETS / "topojson" / f"{name}.json").read_text())
    assert topology["type"] == "Topology"
    assert {"land", "countries", "coastlines", "ocean"} <= set(topology["objects"])


def test_browser_bundle_is_the_plotly_js_release_python_builds_figures_for():
    import plotly

    bundled = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()[:200]
    served = (ASSETS / "plotly-geo.min.js").read_text(encoding="utf-8")[:200]
    version = re.search(r"v(\d+\.\d+\.\d+)", bundled).group(1)
    assert "(geo - minified)" in served and f"v{version}" in served


def test_great_circles_at_once_are_the_same_numbers_as_one_by_one():
    """A frame's fit measures its outline hundreds of times a request: the edges are drawn
    at once, and must give exactly what one edge at a time gives (names are placed on it)."""
    import random

    import numpy as np

    from figures.region_fit import great_circle, great_circles

    rng = random.Random(5)
    edges = [((rng.uniform(-200, 200), rng.uniform(-85, 85)),
              (rng.uniform(-200, 200), rng.uniform(-85, 85))) for _ in range(300)]
    edges.append(((30.0, 10.0), (30.0, 10.0)))  # a point: no direction
    lon, lat = great_circles(np.array([a for a, _ in edges]), np.array([b for _, b in edges]),
                             16)
    for row, (a, b) in enumerate(edges):
        one_lon, one_lat = great_circle(*a, *b, 16)
        assert np.array_equal(lon[row], one_lon) and np.array_equal(lat[row], one_lat)
