"""Forged values posted straight to the callback endpoint never produce a server error."""

import pytest

import ids
from app import create_app
from bench.payloads import payload, view_callback


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
    (f"{ids.MAP}.restyleData", [{"visible": [True]}, [9999]]),
    (f"{ids.MAP}.restyleData", "junk"),
    (f"{ids.URL}.search", "?theme=" + "%00" * 500),
])
def test_forged_view_inputs_get_an_answer_not_a_traceback(client_and_app, changed, value):
    _, app = client_and_app
    response = post(client_and_app, view_key(app), {**CONTROLS, changed: value}, changed)
    assert response.status_code in (200, 204)
    assert b"Traceback" not in response.data


def test_a_valid_filter_change_answers_with_the_view(client_and_app):
    _, app = client_and_app
    response = post(client_and_app, view_key(app), CONTROLS, f"{ids.THEMES}.value")
    assert response.status_code == 200
    body = response.get_json()["response"]
    assert body[ids.RECORD_COUNT]["children"] == "8 of 67 records shown"
    assert body[ids.URL]["search"] == "?theme=maritime-security&layer=centre"


@pytest.mark.parametrize("click", [None, "junk", {"points": [{"customdata": "../../etc"}]},
                                   {"points": [{"location": "ZZZ"}]}])
def test_forged_clicks_select_nothing(client_and_app, click):
    _, app = client_and_app
    key = next(k for k in app.callback_map if k.startswith(f"{ids.SELECTED}.data"))
    response = post(client_and_app, key, {f"{ids.MAP}.clickData": click}, f"{ids.MAP}.clickData")
    assert response.status_code in (200, 204)
    assert b"etc" not in response.data and b"ZZZ" not in response.data
