"""The GeoJSON files the map fetches are ready before any page names them: a large data
set's areas take longer to dissolve than plotly.js waits for a shared GeoJSON (5 s). The
lighter ones a world map draws hold the same features, a pixel apart."""

import json
import time
from dataclasses import replace

import brotli
import shapely

import app as app_module
from app import GEOJSON_ROUTES, create_app
from figures.world_map.areas import SPECK, made_from, stand_in_pieces


def refuse_to_build(*_):
    raise AssertionError("built on request: the page would wait for it")


def test_every_file_is_built_when_the_app_starts(monkeypatch, dataset):
    client = create_app().server.test_client()
    monkeypatch.setattr(app_module, "areas_geojson", refuse_to_build)
    monkeypatch.setattr(app_module, "countries_geojson", refuse_to_build)
    zones = dataset.records["layer"].isin(("coverage-zone", "sea-area")).sum()
    pieces = len(stand_in_pieces(dataset).pieces)  # the stand-ins, dissolved
    assert len(GEOJSON_ROUTES) == 5  # full countries and areas; lighter ones at 0.2° and 0.1°
    for route, (kind, _tolerance) in GEOJSON_ROUTES.items():
        answer = client.get(route)
        assert answer.status_code == 200, route
        features = json.loads(answer.data)["features"]
        assert len(features) == len(dataset.countries) + (zones + pieces if kind == "areas" else 0)


def test_an_edit_that_moves_a_stand_in_names_a_new_areas_file(dataset):
    """The stand-ins' pieces are in the areas' file: an edit of a stand-in's countries makes
    a file under a new name (a page fetches it), an edit of anything else keeps the file."""
    records = dataset.records.copy()
    records.at["dcsd-acasa", "name_en"] = "Renamed"
    renamed = replace(dataset, records=records)
    assert made_from(renamed, "areas") == made_from(dataset, "areas")
    records = records.copy()
    africa = records.at["dcsd-acasa", "footprint"]
    records.at["dcsd-acasa", "footprint"] = africa - {"NGA"}
    moved = replace(dataset, records=records)
    assert made_from(moved, "areas") != made_from(dataset, "areas")
    assert made_from(moved, "countries") == made_from(dataset, "countries")
    pieces = stand_in_pieces(moved)
    nigeria = next(piece for piece in pieces.pieces if "NGA" in piece)
    assert len(pieces.pieces) > len(stand_in_pieces(dataset).pieces) and "CMR" not in nigeria


def shapes(client, route):
    features = json.loads(client.get(route).data)["features"]
    return {f["properties"].get("iso3") or f["properties"]["id"]: shapely.geometry.shape(f["geometry"])
            for f in features}


def test_lighter_countries_are_the_same_countries_a_pixel_apart(dataset):
    client = create_app().server.test_client()
    full = shapes(client, "/geodata/countries.geojson")
    light = shapes(client, "/geodata/countries-0.2.geojson")
    assert light.keys() == full.keys()
    full_vertices = sum(shapely.get_num_coordinates(shape) for shape in full.values())
    light_vertices = sum(shapely.get_num_coordinates(shape) for shape in light.values())
    assert light_vertices < 0.3 * full_vertices  # what makes Plotly's redraw faster
    # A finer file (also the one exports fill areas from) keeps every island.
    finer = shapes(client, "/geodata/countries-0.1.geojson")
    assert all(len(getattr(finer[iso3], "geoms", [0])) == len(getattr(shape, "geoms", [0]))
               for iso3, shape in full.items())
    for iso3, shape in light.items():
        # Outer rings clockwise, as d3-geo reads them: the other way round is the rest of
        # the globe, and floods the map.
        for polygon in getattr(shape, "geoms", [shape]):
            assert not polygon.exterior.is_ccw, iso3
        # On average its outline moved by under a quarter of the tolerance (0.2°, about a
        # pixel of a world map): the area gained or lost over the outline's length. (A
        # spike thinner than a pixel may go: Visvalingam-Whyatt weighs area, not reach.)
        assert shape.symmetric_difference(full[iso3]).area / full[iso3].length < 0.05, iso3
        # Every island stays that covers a quarter of a world map's pixel (0.2° square), and
        # every country's largest; the specks under that are left out.
        parts = list(getattr(full[iso3], "geoms", [full[iso3]]))
        largest = max(part.area for part in parts)
        kept = [part for part in parts if part.area >= min(SPECK, largest)]
        assert len(getattr(shape, "geoms", [shape])) == len(kept), iso3
    # Neighbours still meet: no gap or overlap opens along a shared border.
    assert shapely.coverage_is_valid(list(light.values()))


def test_an_imported_layer_has_its_areas_built_with_its_page(monkeypatch, geodata_copy):
    client = create_app(geodata_copy.folder).server.test_client()
    imports = geodata_copy.folder / "imports"
    imports.mkdir()
    (imports / "areas.csv").write_text("name,iso3\nCoastal training,KEN\nSeminar,TZA\n",
                                       encoding="utf-8")
    # The layer is taken in beside the data being served; a page built once it is in:
    deadline = time.monotonic() + 60
    while b"import-areas" not in client.get("/_dash-layout").data:
        assert time.monotonic() < deadline, "the layer put in the folder was never loaded"
        time.sleep(0.2)
    monkeypatch.setattr(app_module, "areas_geojson", refuse_to_build)
    areas = json.loads(client.get("/geodata/areas.geojson").data)["features"]
    assert {"import-areas-1", "import-areas-2"} <= {f["properties"]["id"] for f in areas}


def test_a_second_server_serves_the_files_the_first_drew(monkeypatch, tmp_path):
    """Every worker of a server, a restarted server and the tests' servers serve the files
    the first one drew (kept for the machine: presence/kept_files.py), rather than drawing
    them again: about 3 s of work for the five."""
    monkeypatch.setattr(app_module.GEOJSON_FILES, "folder", tmp_path / "geojson")
    first = create_app().server.test_client()
    drawn = {route: first.get(route).data for route in GEOJSON_ROUTES}
    assert len(list((tmp_path / "geojson").glob("*.bin"))) == len(GEOJSON_ROUTES)
    monkeypatch.setattr(app_module, "areas_geojson", refuse_to_build)
    monkeypatch.setattr(app_module, "countries_geojson", refuse_to_build)
    second = create_app().server.test_client()
    for route, body in drawn.items():
        assert second.get(route).data == body, route
        compressed = second.get(route, headers={"Accept-Encoding": "br"})
        assert compressed.headers["Content-Encoding"] == "br"
        assert brotli.decompress(compressed.data) == body, route
