"""Who may change the data: forged edit requests from anyone who may not get a 403 and change
nothing; a malformed one from an editor, a 400; the users file gives the editor role."""

from __future__ import annotations

import pytest

import ids
import security
from app import create_app
from bench.payloads import payload

NDMO = ("Another technical expert on civil protection is seconded at the National Disaster "
        "Management Organization (NDMO), in Vanuatu.")


def save_callback(client):
    return next(d for d in client.get("/_dash-dependencies").get_json()
                if f"{ids.EDITOR_MESSAGE}.children" in d["output"]
                and "edit-save" in str(d["inputs"]))


def forged_save(client, state, fields=None, address="127.0.0.1"):
    """A POST of the edit form's Save, as a browser would send it, from `address`."""
    callback = save_callback(client)
    fields = fields if fields is not None else [("valid_until", "2023-09")]
    values = {f"{ids.EDIT_SAVE}.n_clicks": 1, f"{ids.EDIT_DOCUMENT}.value": "fs05",
              f"{ids.EDIT_SECTION}.value": "Civil security", f"{ids.EDIT_QUOTE}.value": NDMO,
              f"{ids.EDIT_WHY}.value": "forged", f"{ids.EDITOR_STATE}.data": state,
              f"{ids.URL}.search": ""}
    body = payload(callback, values, f"{ids.EDIT_SAVE}.n_clicks")
    # The form's fields, matched by pattern: their values, then their ids.
    matched = [{"id": {"type": ids.EDIT_FIELD, "field": field}, "property": "value",
                "value": value} for field, value in fields]
    body["state"] = [matched, [dict(entry, property="id", value=entry["id"]) for entry in matched],
                     *body["state"][2:]]
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

    login("reader", "reading-only-1")
    assert forged_save(client, state).status_code == 403
    login("writer", "writing-too-22")
    response = forged_save(client, state)
    assert response.status_code == 200 and b"Change 1 saved." in response.data
    from presence.store import Store

    (change,) = Store(folder).history()
    assert change.made_by == "writer"
