"""Layers: each a GeoDataFrame in EPSG:4326 of its declared geometry type, built from records."""

import pytest
from shapely.geometry import Point

from layers import countries, layer_frame
from presence.layer_registry import LAYERS
from presence.views import filter_records, parse_query


# Imported layers have no record in the shipped data: tests/test_imported_layers.py builds them.
@pytest.mark.parametrize("layer", [key for key in LAYERS if not key.startswith("imported-")])
def test_each_layer_holds_its_records_with_its_declared_geometry(dataset, layer):
    frame = layer_frame(dataset, layer)
    expected_ids = dataset.records.index[dataset.records["layer"] == layer]
    assert list(frame.index) == list(expected_ids) and len(frame) > 0
    assert frame.crs.to_epsg() == 4326
    assert set(frame.geom_type) == {LAYERS[layer].geometry_type}
    assert frame.geometry.is_valid.all()
    # Every record keeps its source and its legend category's symbol and colour.
    assert frame["source"].notna().all() and frame["category_symbol"].notna().all()


def test_points_sit_where_the_records_say(dataset):
    posts = layer_frame(dataset, "embassy-post")
    manila = posts.loc["fs05-ocrvp-cybercrime-manila"]
    assert (manila.geometry.x, manila.geometry.y) == (120.984, 14.6)


def test_coverage_zone_dissolves_the_covered_countries_and_keeps_the_office_as_hub(dataset):
    zone = layer_frame(dataset, "coverage-zone").loc["fs05-ssi-singapore-coverage"]
    capitals = {"BRN": (114.94, 4.89), "IDN": (106.85, -6.21), "MYS": (101.69, 3.14),
                "PHL": (120.98, 14.6), "TLS": (125.57, -8.56)}
    for iso3, (lon, lat) in capitals.items():
        assert zone.geometry.distance(Point(lon, lat)) < 0.1, iso3
    assert not zone.geometry.contains(Point(103.82, 1.35))  # Singapore hosts, it is not covered
    assert (zone["hub_lon"], zone["hub_lat"]) == (103.82, 1.352)


def test_project_footprint_spans_its_countries_and_regions(dataset):
    crimaro = layer_frame(dataset, "project-footprint").loc["fs05-crimaro-ii"]
    sanaa, avarua, port_vila = Point(44.2, 15.35), Point(-159.78, -21.21), Point(168.32, -17.73)
    for place in (sanaa, avarua, port_vila):
        assert crimaro.geometry.distance(place) < 0.1
    # France's own territories are no beneficiary of a project abroad.
    assert crimaro.geometry.distance(Point(166.46, -22.28)) > 0.1  # Nouméa
    assert crimaro.geometry.distance(Point(2.35, 48.86)) > 10  # not Paris


def test_footprints_have_clockwise_exteriors_for_plotly(dataset):
    for geometry in layer_frame(dataset, "project-footprint").geometry:
        assert not any(part.exterior.is_ccw for part in geometry.geoms)


def test_layers_follow_a_filtered_view(dataset):
    view = filter_records(dataset, parse_query("theme=environmental-crime", dataset))
    assert list(layer_frame(dataset, "detachment", view).index) == [
        "fs05-oclaesp-papeete", "fs05-oclaesp-saint-denis"]
    assert layer_frame(dataset, "school", view).empty


def test_countries_layer_counts_the_records_touching_each_country(dataset):
    view = filter_records(dataset, parse_query("theme=domestic-security&region=south-east-asia", dataset))
    frame = countries.build(dataset, view)
    # The SSI office and the zone it heads. CTF 150's waters (the Gulf of Oman, the Arabian
    # Sea and the Gulf of Aden) wash no South-East Asian shore.
    assert "fs05-ctf150-command" not in view.index
    assert frame.loc["SGP", "record_count"] == 2
    assert frame.loc["BRN", "record_count"] == 1  # covered by the Singapore SSI
    assert frame.loc["THA", "record_count"] == 1  # the customs attaché in Bangkok
    assert frame.loc["FRA", "record_count"] == 0
    assert frame["record_count"].sum() == sum(len(p) for p in view["counted"])
    # In the Middle East, CTF 150's sea is drawn but counted in no country: its sources name
    # none for it.
    middle_east = filter_records(dataset, parse_query("theme=domestic-security&region=middle-east",
                                                      dataset))
    assert "fs05-ctf150-command" in middle_east.index
    shaded = countries.build(dataset, middle_east)
    assert shaded.loc[["OMN", "YEM", "IRN", "SOM"], "record_count"].sum() == 0
    # Small islands are flagged and get a marker point inside their own territory.
    assert frame.loc[["TUV", "SYC", "REU", "MYT", "SGP", "COK"], "small_state"].all()
    assert not frame.loc[["MDG", "FRA", "AUS"], "small_state"].any()
    tuvalu = frame.loc["TUV"]
    assert tuvalu.geometry.distance(Point(tuvalu["marker_lon"], tuvalu["marker_lat"])) == 0
