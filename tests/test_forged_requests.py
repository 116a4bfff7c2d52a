"""Forged values posted straight to the callback endpoint never produce a server error."""

import base64
import json

import pytest

import ids
from app import create_app
from bench.payloads import payload, view_callback
from presence.loader import GEODATA


@pytest.fixture(scope="module")
def client_and_app():
    app = create_app()
    return app.server.test_client(), app


def post(client_and_app, callback_key, values: dict, changed: str):
    client, _ = client_and_app
    callback = next(d for d in client.get("/_dash-dependencies").get_json()
                    if d["output"] == callback_key)
    return client.post("/_dash-update-component", json=payload(callback, values, changed))


def view_key(app):
    return view_callback(app.server.test_client().get("/_dash-dependencies").get_json())["output"]


CONTROLS = {f"{ids.THEMES}.value": ["maritime-security"], f"{ids.REGION}.value": "world",
            f"{ids.LAYERS}.value": ["centre"], f"{ids.CATEGORIES}.value": [],
            f"{ids.YEARS}.value": [2003, 2023]}


@pytest.mark.parametrize("changed,value", [
    (f"{ids.THEMES}.value", ["<script>alert(1)</script>"]),
    (f"{ids.THEMES}.value", "maritime-security"),  # a string where a list is expected
    (f"{ids.REGION}.value", {"$ne": 1}),
    (f"{ids.LAYERS}.value", ["x" * 10_000]),
    (f"{ids.YEARS}.value", ["a", "b"]),
    (f"{ids.CATEGORIES}.value", [None, 3]),
    (f"{ids.SELECTED}.data", "no-such-record"),
    (f"{ids.SELECTED}.data", ["a", "list"]),
    (f"{ids.SELECTED}.data", "country:XXX"),
])
def test_forged_view_inputs_are_refused_with_a_400_not_a_traceback(client_and_app, changed,
                                                                     value):
    _, app = client_and_app
    response = post(client_and_app, view_key(app), {**CONTROLS, changed: value}, changed)
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("refused: ")
    assert b"Traceback" not in response.data and b"File \"" not in response.data


@pytest.mark.parametrize("changed,value", [
    (f"{ids.MAP}.restyleData", [{"visible": [True]}, [9999]]),  # no such legend entry
    (f"{ids.MAP}.restyleData", [{"marker.size": 3}, [1]]),  # not a legend click
    (f"{ids.URL}.search", "?theme=" + "%00" * 500),  # a URL typed by hand shows everything
    (f"{ids.URL}.search", "?selected=no-such-record"),  # a stale link: no selection
])
def test_odd_but_possible_inputs_get_an_answer(client_and_app, changed, value):
    _, app = client_and_app
    response = post(client_and_app, view_key(app), {**CONTROLS, changed: value}, changed)
    assert response.status_code in (200, 204)
    assert b"Traceback" not in response.data


def test_oversized_posts_are_refused_with_a_413(client_and_app):
    client, _ = client_and_app
    response = client.post("/_dash-update-component", data=b"x" * (31 * 1024 * 1024),
                           content_type="application/json")
    assert response.status_code == 413


def test_a_valid_filter_change_answers_with_the_view(client_and_app, dataset):
    _, app = client_and_app
    response = post(client_and_app, view_key(app), CONTROLS, f"{ids.THEMES}.value")
    assert response.status_code == 200
    body = response.get_json()["response"]
    assert body[ids.RECORD_COUNT]["children"] == f"8 of {len(dataset.records)} records shown"
    assert body[ids.URL]["search"] == "?theme=maritime-security&layer=centre"


@pytest.mark.parametrize("click", [None, "junk", {"points": [{"customdata": "../../etc"}]},
                                   {"points": [{"location": "ZZZ"}]}])
def test_forged_clicks_select_nothing(client_and_app, click):
    _, app = client_and_app
    key = next(k for k in app.callback_map if k.startswith(f"..{ids.SELECTED}.data"))
    response = post(client_and_app, key, {f"{ids.MAP}.clickData": click}, f"{ids.MAP}.clickData")
    assert response.status_code in (200, 204)
    assert b"etc" not in response.data and b"ZZZ" not in response.data


EXPORT_PANEL = {f"{ids.EXPORT_SCREEN}.data": {"clicks": 1, "geo": None}, f"{ids.URL}.search": "",
                f"{ids.EXPORT_FORMAT}.value": "png", f"{ids.EXPORT_SIZE}.value": "a4-landscape",
                f"{ids.EXPORT_WIDTH}.value": 180, f"{ids.EXPORT_HEIGHT}.value": 120,
                f"{ids.EXPORT_DPI}.value": 300, f"{ids.EXPORT_TITLE}.value": "",
                f"{ids.EXPORT_PARTS}.value": ["title"], f"{ids.EXPORT_MARKING}.value": "",
                f"{ids.EXPORT_MARKING_COLOUR}.value": "#c8102e"}


def export_key(app):
    return next(d["output"] for d in app.server.test_client().get("/_dash-dependencies").get_json()
                if ids.EXPORT_DOWNLOAD in d["output"])


@pytest.mark.parametrize("field,value", [
    (f"{ids.EXPORT_FORMAT}.value", "exe"),
    (f"{ids.EXPORT_SIZE}.value", "../../etc/passwd"),
    (f"{ids.EXPORT_SIZE}.value", {"$ne": 1}),
    (f"{ids.EXPORT_DPI}.value", 100_000),
    (f"{ids.EXPORT_DPI}.value", "300"),
    (f"{ids.EXPORT_DPI}.value", True),
])
def test_forged_export_settings_are_refused_with_a_400(client_and_app, field, value):
    _, app = client_and_app
    response = post(client_and_app, export_key(app), {**EXPORT_PANEL, field: value},
                    f"{ids.EXPORT_SCREEN}.data")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("refused: unknown")


@pytest.mark.parametrize("field,value,says", [
    (f"{ids.URL}.search", "?region=atlantis", "unknown region 'atlantis'"),
    (f"{ids.EXPORT_SIZE}.value", "custom", "give the custom width and height"),
])
def test_export_settings_a_user_can_get_wrong_get_a_message(client_and_app, field, value, says):
    _, app = client_and_app
    values = {**EXPORT_PANEL, field: value, f"{ids.EXPORT_WIDTH}.value": None}
    response = post(client_and_app, export_key(app), values, f"{ids.EXPORT_SCREEN}.data")
    assert response.status_code == 200
    status = response.get_json()["response"][ids.EXPORT_STATUS]["children"]
    assert status.startswith("Could not export:") and says in status
    assert ids.EXPORT_DOWNLOAD not in response.get_json()["response"]  # nothing to download


def test_forged_screen_geometry_is_ignored():
    from figures.fact_sheet import screen_geo

    forged = {"projection.type": "<script>", "projection.scale": 1e300, "center.lon": "0",
              "lonaxis.range": [0, float("nan")], "center.lat": 10, "bogus": 1}
    assert screen_geo(forged) == {"center.lat": 10.0}
    assert screen_geo("junk") == {}


@pytest.mark.parametrize("changed,value", [
    (f"{ids.TABLE}.selectedRows", [{"id": "no-such-record"}]),
    (f"{ids.TABLE}.selectedRows", [{"id": {"$gt": ""}}]),
    (f"{ids.COUNTRY}.value", "XXX"),
])
def test_forged_selections_are_refused(client_and_app, changed, value):
    _, app = client_and_app
    key = next(d["output"] for d in app.server.test_client().get("/_dash-dependencies").get_json()
               if d["output"].startswith(f"..{ids.SELECTED}.data"))
    values = {f"{ids.MAP}.clickData": None, f"{ids.TABLE}.selectedRows": [],
              f"{ids.COUNTRY}.value": None, f"{ids.SELECTED}.data": None, changed: value}
    response = post(client_and_app, key, values, changed)
    assert response.status_code == 400 and b"Traceback" not in response.data


def callback_writing(app, output: str) -> str:
    return next(d["output"] for d in app.server.test_client().get("/_dash-dependencies").get_json()
                if output in d["output"])


def upload(text: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(text).decode()


UPLOADED = {f"{ids.IMPORT_UPLOAD}.contents": upload(b"name,lat,lon\nA,1,2\n"),
            f"{ids.IMPORT_UPLOAD}.filename": "a.csv", f"{ids.URL}.search": "",
            f"{ids.IMPORT_LABEL}.value": "name", f"{ids.IMPORT_CATEGORY}.value": "__none__"}


@pytest.mark.parametrize("field,value", [
    (f"{ids.IMPORT_UPLOAD}.contents", "not a data URL"),
    (f"{ids.IMPORT_UPLOAD}.contents", "data:text/csv;base64,%%%not base64%%%"),
    (f"{ids.IMPORT_UPLOAD}.contents", {"path": "/vsicurl/http://10.0.0.1/x.gpkg"}),
    (f"{ids.IMPORT_UPLOAD}.filename", ["a", "list"]),
    (f"{ids.IMPORT_LABEL}.value", "no such column"),
    (f"{ids.IMPORT_CATEGORY}.value", {"$ne": 1}),
])
def test_forged_uploads_and_column_choices_are_refused_with_a_400(client_and_app, field, value):
    _, app = client_and_app
    response = post(client_and_app, callback_writing(app, f"{ids.IMPORT_PREVIEW}.children"),
                    {**UPLOADED, field: value}, f"{ids.IMPORT_LABEL}.value")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("refused: import")


def test_an_upload_over_the_cap_gets_a_message_naming_the_file(client_and_app, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_IMPORT_MB", "0.5")
    _, app = client_and_app
    big = {**UPLOADED, f"{ids.IMPORT_UPLOAD}.contents": upload(b"name,lat,lon\n" + b"A,1,2\n" * 100_000)}
    response = post(client_and_app, callback_writing(app, f"{ids.IMPORT_PREVIEW}.children"),
                    big, f"{ids.IMPORT_UPLOAD}.contents")
    assert response.status_code == 200
    assert "a.csv: file, field '-': 0.6 MB: larger than the 0.5 MB allowed" in response.text


@pytest.mark.parametrize("button,slot", [
    ({"type": ids.IMPORT_REMOVE, "index": "../records.csv"}, 1),
    ({"type": ids.IMPORT_UNDO, "index": "../.."}, 2),  # not a removal in the trash
    ({"type": ids.IMPORT_UNDO, "index": 3}, 2),
])
def test_removing_or_restoring_what_is_not_an_imported_layer_is_refused(client_and_app, button,
                                                                        slot):
    client, app = client_and_app
    key = callback_writing(app, f"{ids.IMPORTS_CHANGED}.data")
    callback = next(d for d in client.get("/_dash-dependencies").get_json() if d["output"] == key)
    body = payload(callback, {f"{ids.IMPORT_ADD}.n_clicks": 0}, "")
    body["inputs"][slot] = [{"id": button, "property": "n_clicks", "value": 1}]
    body["changedPropIds"] = [json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"]
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"] == \
        "refused: import: not an imported layer file or removal"
    assert (GEODATA / "records.csv").exists() and not (GEODATA / "imports").exists()


def _declared(client):
    return client.get("/_dash-dependencies").get_json()


@pytest.mark.parametrize("body", [
    "{}", "null", "[1, 2]", '"x"', '{"output": 1e999}',
    '{"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, '
    '"inputs": [], "changedPropIds": []}',
])
def test_posts_no_page_sends_get_a_400_and_no_traceback(client_and_app, body, caplog):
    client, _ = client_and_app
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("refused: ")
    assert "Traceback" not in caplog.text and b"Traceback" not in response.data


def test_a_post_naming_other_controls_or_holding_infinity_is_refused(client_and_app):
    client, app = client_and_app
    view = view_callback(_declared(client))
    good = payload(view, CONTROLS, f"{ids.THEMES}.value")
    wrong_control = json.loads(json.dumps(good))
    wrong_control["inputs"][0]["id"] = "someone-else"
    too_few = {**good, "inputs": good["inputs"][:-1]}
    infinite = payload(view, {**CONTROLS, f"{ids.YEARS}.value": [float("inf"), 2023]},
                       f"{ids.YEARS}.value")
    for body, reason in ((wrong_control, "names a control the callback does not read"),
                         (too_few, "does not hold the callback's"),
                         (infinite, "not finite"), ({**good, "inputs": None}, "'inputs'")):
        response = client.post("/_dash-update-component", data=json.dumps(body),
                               content_type="application/json")
        assert response.status_code == 400, reason
        assert reason in response.get_json()["error"]
    assert client.post("/_dash-update-component", json=good).status_code == 200


def test_every_callback_posted_empty_values_answers_a_4xx_or_an_update(client_and_app, caplog):
    client, _ = client_and_app
    for callback in _declared(client):
        def empty(dependency):
            return [] if dependency["id"].startswith("{") else {**dependency, "value": None}
        body = {"output": callback["output"], "outputs": [],
                "inputs": [empty(d) for d in callback["inputs"]],
                "state": [empty(d) for d in callback["state"]], "changedPropIds": []}
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code in (200, 204, 400), callback["output"]
    assert "Traceback" not in caplog.text


def test_a_deeply_nested_post_is_refused_with_a_400_not_a_traceback(client_and_app):
    client, _ = client_and_app
    nested = "[" * 100_000 + "]" * 100_000
    response = client.post("/_dash-update-component", data=nested,
                           content_type="application/json")
    assert response.status_code == 400
    assert b"Traceback" not in response.data and b"RecursionError" not in response.data
