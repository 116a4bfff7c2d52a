"""The two GeoJSON files the map fetches are ready before any page names them: a large data
set's areas take longer to dissolve than plotly.js waits for a shared GeoJSON (5 s)."""

import json
import time

import app as app_module
from app import create_app


def refuse_to_build(*_):
    raise AssertionError("built on request: the page would wait for it")


def test_both_files_are_built_when_the_app_starts(monkeypatch, dataset):
    client = create_app().server.test_client()
    monkeypatch.setattr(app_module, "areas_geojson", refuse_to_build)
    monkeypatch.setattr(app_module, "countries_geojson", refuse_to_build)
    areas = client.get("/geodata/areas.geojson")
    countries = client.get("/geodata/countries.geojson")
    assert areas.status_code == countries.status_code == 200
    zones = dataset.records["layer"].isin(("coverage-zone", "sea-area")).sum()
    assert len(json.loads(areas.data)["features"]) == len(dataset.countries) + zones
    assert len(json.loads(countries.data)["features"]) == len(dataset.countries)


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
