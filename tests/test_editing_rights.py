"""Who may change the data: forged edit requests from anyone who may not get a 403 and change
nothing; a malformed one from an editor, a 400; the users file gives the editor role."""

from __future__ import annotations

import pytest

import ids
import security
from app import create_app
from bench.payloads import callback_of, payload, save_body


def forged_save(client, state, fields=None, address="127.0.0.1"):
    """A POST of the edit form's Save, as a browser would send it, from `address`."""
    body = save_body(client.get("/_dash-dependencies").get_json(), state, fields)
    return client.post("/_dash-update-component", json=body,
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def folder(geodata_copy):
    return geodata_copy.folder


def test_no_one_may_edit_a_server_without_an_editor(folder):
    app = create_app(folder)
    client = app.server.test_client()
    response = forged_save(client, {"mode": "edit", "record": "fs05-ndmo-vanuatu-expert",
                                    "version": 1})
    assert response.status_code == 403
    from presence.store import Store

    assert Store(folder).number() == 0


def test_the_local_user_may_edit_from_this_machine_alone(folder):
    app = create_app(folder, local_editor="officer")
    client = app.server.test_client()
    state = {"mode": "edit", "record": "fs05-ndmo-vanuatu-expert", "version": 1}
    assert forged_save(client, state, address="10.1.2.3").status_code == 403
    response = forged_save(client, state)
    assert response.status_code == 200, response.data[:500]
    assert b"Change 1 saved." in response.data
    # A malformed form (a field that is no column) is a 400; nothing is saved.
    assert forged_save(client, state, [("no_such_column", "x")]).status_code == 400
    from presence.store import Store

    assert Store(folder).number() == 1


def test_with_a_login_only_editors_may_edit(folder, tmp_path):
    users_file = tmp_path / "users"
    security.add_user(users_file, "reader", "reading-only-1")
    security.add_user(users_file, "writer", "writing-too-22", editor=True)
    users = security.load_users(users_file)
    assert security.load_editors(users_file) == {"writer"}
    app = create_app(folder, users, editors=security.load_editors(users_file))
    client = app.server.test_client()
    state = {"mode": "edit", "record": "fs05-ndmo-vanuatu-expert", "version": 1}
    import base64

    def login(name, password):
        token = base64.b64encode(f"{name}:{password}".encode()).decode()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Basic {token}"

    # Which data the server draws is behind the login too, like every route.
    assert client.get("/data-state.json").status_code == 401
    login("reader", "reading-only-1")
    assert client.get("/data-state.json").get_json() == {"number": 0}
    assert forged_save(client, state).status_code == 403
    login("writer", "writing-too-22")
    response = forged_save(client, state)
    assert response.status_code == 200 and b"Change 1 saved." in response.data
    from presence.store import Store

    (change,) = Store(folder).history()
    assert change.made_by == "writer"


def _callback(client, output: str, trigger: str) -> dict:
    return callback_of(client.get("/_dash-dependencies").get_json(), output, trigger)


def forged_document(client, contents, fields, address="127.0.0.1"):
    """A POST of "Add to the library", as the document form sends it."""
    callback = _callback(client, f"{ids.EDITOR_MESSAGE}.children", ids.DOCUMENT_SAVE)
    body = payload(callback, {f"{ids.DOCUMENT_SAVE}.n_clicks": 1,
                              f"{ids.DOCUMENT_UPLOAD}.contents": contents,
                              f"{ids.DOCUMENT_UPLOAD}.filename": "note.txt",
                              f"{ids.URL}.search": ""}, f"{ids.DOCUMENT_SAVE}.n_clicks")
    matched = [{"id": {"type": ids.DOCUMENT_FIELD, "field": field}, "property": "value",
                "value": value} for field, value in fields]
    body["state"] = [*body["state"][:2], matched,
                     [dict(entry, property="id", value=entry["id"]) for entry in matched],
                     body["state"][4]]
    return client.post("/_dash-update-component", json=body,
                       environ_base={"REMOTE_ADDR": address})


def test_only_an_editor_adds_a_document_and_a_malformed_one_is_refused(folder):
    from presence.store import Store

    app = create_app(folder, local_editor="officer")
    client = app.server.test_client()
    text = "data:text/plain;base64," + __import__("base64").b64encode(
        b"The post in Port Vila ended in 2025.").decode()
    fields = [("title", "Embassy note"), ("publisher", "Embassy of France"),
              ("date", "2025-07"), ("language", "en"), ("url", "")]
    assert forged_document(client, text, fields, address="10.1.2.3").status_code == 403
    assert forged_document(client, text, fields[:-1] + [("script", "x")]).status_code == 400
    assert forged_document(client, "not a data url", fields).status_code == 400
    assert len(Store(folder).library()) == 5
    response = forged_document(client, text, fields)
    assert response.status_code == 200 and b"Document added to the library" in response.data
    added = Store(folder).library()[-1]
    assert (added["title"], added["text"], added["added_by"]) == (
        "Embassy note", "The post in Port Vila ended in 2025.", "officer")


def test_the_place_finder_answers_editors_only(folder):
    app = create_app(folder, local_editor="officer")
    client = app.server.test_client()
    callback = _callback(client, f"{ids.PLACE_CHOICES}.data", ids.PLACE_FIND)
    body = payload(callback, {f"{ids.PLACE_FIND}.n_clicks": 1,
                              f"{ids.PLACE_QUERY}.value": "Port Vila", f"{ids.URL}.search": ""},
                   f"{ids.PLACE_FIND}.n_clicks")
    outside = client.post("/_dash-update-component", json=body,
                          environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert outside.status_code == 403
    answer = client.post("/_dash-update-component", json=body,
                         environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert answer.status_code == 200 and b"Port-Vila" in answer.data and b"VUT" in answer.data
    # A click on the map gives its point's fields; a click's point that is no point, a 400.
    callback = _callback(client, '"field":"lat"', ids.PLACE_CLICKED)

    def clicked(point):
        body = payload(callback, {f"{ids.PLACE_CLICKED}.data": point, f"{ids.URL}.search": ""},
                       f"{ids.PLACE_CLICKED}.data")
        return client.post("/_dash-update-component", json=body,
                           environ_base={"REMOTE_ADDR": "127.0.0.1"})
    answer = clicked({"lon": 47.54, "lat": -18.91})
    assert answer.status_code == 200 and b"MDG" in answer.data and b"Antananarivo" in answer.data
    assert clicked({"lon": "east", "lat": 0}).status_code == 400
    assert clicked({"lon": 400, "lat": 0}).status_code == 400
