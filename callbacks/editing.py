"""Changing the data in the browser: a record's history and Edit button, a new record, the
latest changes, reverts (panels/editing.py draws them). Every change goes through the store
(presence.store), which checks it by check-data's rules and keeps it with its source.

Who may change the data is decided here, on the server, for every request: with a login,
the users the users file gives the editor role; without, on a server that serves only its
own machine, its user (under the system user's name). Anyone else's edit request gets a
403 and changes nothing; a malformed one, a 400."""

from __future__ import annotations

from dataclasses import dataclass

from dash import ALL, Dash, Input, Output, State, ctx, html, no_update
from flask import abort, jsonify, request

import ids
import security
from i18n import labels, lang_in, tr
from panels import editing as panel
from panels.bring_layer import file_bytes
from presence import places
from presence.dataset import RECORD_COLUMNS
from presence.errors import DataError, Problem
from presence.imported.folder import max_import_bytes
from presence.live import LiveDataset
from presence.store import parse_change

LATEST = 20
DATA_STATE_PATH = "/data-state.json"
PLACE_FIELDS = ("lon", "lat", "city", "host_iso3", "place_basis")
LOOPBACK = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class Editors:
    login: bool  # the server asks for a login
    editors: set[str]  # with a login: who may change the data
    local: str | None  # without: this machine's user, who may

    def who(self) -> str | None:
        """The name a change of this request is recorded under, or None: may not change."""
        if self.login:
            name = security.signed_in_user()
            return name if name in self.editors else None
        if self.local and request.remote_addr in LOOPBACK:
            return self.local
        return None


def register(app: Dash, data: LiveDataset, editors: Editors) -> None:
    if data.store is None:  # a read-only install: the history and edits need a store
        return
    store = data.store

    def data_state():
        """The number of the data this server draws now: what assets/data-watch.js compares
        with the page's, to say that the data changed (here or on another server)."""
        return jsonify(number=data.current().change_number)

    app.server.add_url_rule(DATA_STATE_PATH, endpoint="data_state", view_func=data_state)

    @app.callback(
        Output(ids.DATA_NUMBER, "children"),
        Input(ids.DATA_VERSION, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def data_number(_version, search):
        """The header says the number of the data the map now shows."""
        dataset = data.for_query(search)
        return tr("data now", lang_in(search), number=dataset.change_number)

    @app.callback(
        Output(ids.IMPORTS_CHANGED, "data", allow_duplicate=True),
        Output(ids.DATA_CHANGED, "hidden"),
        Input(ids.DATA_CHANGED_SHOW, "n_clicks"),
        prevent_initial_call=True,
    )
    def show_new_data(clicks):
        """The notice's button: the map drawn again on the data as it is now."""
        if not clicks:
            return no_update, no_update
        return {"shown": data.current().change_number}, True

    @app.callback(
        Output(ids.EDITOR, "children"),
        Input(ids.SELECTED, "data"),
        Input(ids.EDITOR_STATE, "data"),
        Input(ids.DATA_VERSION, "data"),
        State(ids.URL, "search"),
    )
    def show(selected, state, _version, search):
        lang, dataset = lang_in(search), data.for_query(search)
        can_edit = editors.who() is not None and dataset.as_of is None
        state = state or {}
        if can_edit and ctx.triggered_id in (ids.SELECTED, ids.DATA_VERSION) and \
                state.get("mode") in ("edit", "new", "revert", "document"):
            return no_update  # a click on the map while a form is open: keep what is typed
        if can_edit and state.get("mode") == "edit" and state.get("record"):
            fields = store.fields_of(state["record"])
            if fields is not None:
                return panel.edit_form(dataset, store.library(texts=False), fields, lang)
        if can_edit and state.get("mode") == "new":
            return panel.edit_form(dataset, store.library(texts=False), None, lang)
        if can_edit and state.get("mode") == "document":
            return panel.document_form(lang, max_import_bytes())
        if can_edit and state.get("mode") == "revert":
            change = store.change(state.get("change", -1))
            if change is not None:
                return panel.revert_form(change, lang)
        until = dataset.as_of[1] if dataset.as_of else None
        if isinstance(selected, str) and selected in dataset.records.index:
            return panel.history(dataset, selected, store.history(selected, until=until),
                                 store.version_of(selected), can_edit, lang)
        return panel.latest(dataset, store.history(limit=LATEST, until=until),
                            store.library(texts=False), can_edit, lang)

    @app.callback(
        Output(ids.EDITOR_STATE, "data"),
        Input({"type": ids.EDIT_OPEN, "index": ALL}, "n_clicks"),
        # Buttons drawn with the panel's content: matched by type, so that the callback
        # fires whichever of them the panel shows.
        Input({"type": ids.EDIT_NEW, "index": ALL}, "n_clicks"),
        Input({"type": ids.REVERT_OPEN, "index": ALL}, "n_clicks"),
        Input({"type": ids.EDIT_CANCEL, "index": ALL}, "n_clicks"),
        Input({"type": ids.DOCUMENT_OPEN, "index": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    def open_form(_edits, _new, _reverts, _cancel, _document):
        trigger = ctx.triggered_id
        if not ctx.triggered or not ctx.triggered[0]["value"]:
            return no_update  # a button drawn anew, not clicked
        kind = trigger.get("type") if isinstance(trigger, dict) else None
        if kind == ids.EDIT_CANCEL:
            return {"mode": "view"}
        if editors.who() is None:
            abort(403)
        if kind == ids.EDIT_NEW:
            return {"mode": "new"}
        if kind == ids.DOCUMENT_OPEN:
            return {"mode": "document"}
        if isinstance(trigger, dict) and trigger.get("type") == ids.EDIT_OPEN:
            record = trigger["index"]
            return {"mode": "edit", "record": record, "version": store.version_of(record)}
        if isinstance(trigger, dict) and trigger.get("type") == ids.REVERT_OPEN:
            return {"mode": "revert", "change": int(trigger["index"])}
        return no_update

    @app.callback(
        Output(ids.EDITOR_MESSAGE, "children"),
        Output(ids.EDITOR_STATE, "data", allow_duplicate=True),
        Output(ids.IMPORTS_CHANGED, "data", allow_duplicate=True),
        Output(ids.SELECTED, "data", allow_duplicate=True),
        Input(ids.EDIT_SAVE, "n_clicks"),
        State({"type": ids.EDIT_FIELD, "field": ALL}, "value"),
        State({"type": ids.EDIT_FIELD, "field": ALL}, "id"),
        State(ids.EDIT_DOCUMENT, "value"),
        State(ids.EDIT_SECTION, "value"),
        State(ids.EDIT_QUOTE, "value"),
        State(ids.EDIT_WHY, "value"),
        State(ids.EDITOR_STATE, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def save(clicks, values, field_ids, document, section, quote, why, state, search):
        if not clicks:
            return no_update, no_update, no_update, no_update
        who = editors.who()
        if who is None:
            abort(403)
        if not isinstance(state, dict) or state.get("mode") not in ("edit", "new") or \
                len(values) != len(field_ids) or len(values) > len(RECORD_COLUMNS):
            abort(400)
        lang = lang_in(search)
        typed = {}
        for value, key in zip(values, field_ids):
            field = key.get("field") if isinstance(key, dict) else None
            if field not in RECORD_COLUMNS or not (value is None or isinstance(value, (str, list))):
                abort(400)
            typed[field] = ";".join(value) if isinstance(value, list) else (value or "")
        record = state.get("record") if state["mode"] == "edit" else None
        current = (store.fields_of(record) or {}) if record else {}
        changed = {field: value for field, value in typed.items()
                   if value.strip() != (current.get(field) or "").strip()}
        try:
            change = parse_change({"record": record, "set": changed, "why": why or "",
                                   "version": state.get("version") if record else None,
                                   "source": {"document": document or "", "section": section or "",
                                              "quote": quote or ""}}, "edit form")
            number = store.apply(change, who)
        except DataError as error:
            return panel.problems_list(error.problems, lang), no_update, no_update, no_update
        data.refresh()
        saved = record or changed.get("id")
        return (tr("change saved", lang, number=number), {"mode": "view"}, {"change": number},
                saved)

    @app.callback(
        Output(ids.EDITOR_MESSAGE, "children", allow_duplicate=True),
        Output(ids.EDITOR_STATE, "data", allow_duplicate=True),
        Output(ids.IMPORTS_CHANGED, "data", allow_duplicate=True),
        Input(ids.REVERT_CONFIRM, "n_clicks"),
        State(ids.EDIT_WHY, "value"),
        State(ids.EDITOR_STATE, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def revert(clicks, why, state, search):
        if not clicks:
            return no_update, no_update, no_update
        who = editors.who()
        if who is None:
            abort(403)
        if not isinstance(state, dict) or state.get("mode") != "revert" or \
                not isinstance(state.get("change"), int) or not isinstance(why, (str, type(None))):
            abort(400)
        lang = lang_in(search)
        try:
            number = store.revert(state["change"], why or "", who)
        except DataError as error:
            return panel.problems_list(error.problems, lang), no_update, no_update
        except ValueError:
            return panel.problems_list([Problem("revert", "change", "why", "not text")], lang), \
                no_update, no_update
        data.refresh()
        return tr("change saved", lang, number=number), {"mode": "view"}, {"change": number}

    @app.callback(
        Output(ids.PLACE_FOUND, "children"),
        Output(ids.PLACE_CHOICES, "data"),
        Input(ids.PLACE_FIND, "n_clicks"),
        Input(ids.PLACE_QUERY, "n_submit"),
        State(ids.PLACE_QUERY, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def find_place(_clicks, _submitted, text, search):
        if editors.who() is None:
            abort(403)
        if not isinstance(text, (str, type(None))):
            abort(400)
        lang, dataset = lang_in(search), data.for_query(search)
        found = [place.fields() for place in places.find(text or "", dataset.countries)]
        names = labels(dataset.countries, "name", lang).to_dict()
        return panel.places_found(found, names, lang), found

    @app.callback(
        *[Output(panel.field_id(field), "value") for field in PLACE_FIELDS],
        Output(ids.PLACE_FOUND, "children", allow_duplicate=True),
        Input({"type": ids.PLACE_PICK, "index": ALL}, "n_clicks"),
        Input(ids.PLACE_CLICKED, "data"),
        State(ids.PLACE_CHOICES, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def set_place(_picks, clicked, choices, search):
        """A place offered and chosen, or a point clicked on the map, into the form."""
        if editors.who() is None:
            abort(403)
        lang, dataset = lang_in(search), data.for_query(search)
        trigger = ctx.triggered_id
        if trigger == ids.PLACE_CLICKED:
            try:
                lon, lat = float(clicked["lon"]), float(clicked["lat"])
            except (TypeError, KeyError, ValueError):
                abort(400)
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                abort(400)
            chosen = places.at(lon, lat, dataset.countries).fields()
        else:
            if not ctx.triggered or not ctx.triggered[0]["value"]:
                return (no_update,) * (len(PLACE_FIELDS) + 1)  # a button drawn, not clicked
            index = trigger.get("index") if isinstance(trigger, dict) else None
            if not isinstance(choices, list) or not isinstance(index, int) or \
                    not 0 <= index < min(len(choices), places.MOST):
                abort(400)
            chosen = choices[index]
            if not isinstance(chosen, dict) or \
                    not all(isinstance(chosen.get(f), str) for f in PLACE_FIELDS):
                abort(400)
        said = tr("place set", lang, place=panel.place_label(
            chosen, labels(dataset.countries, "name", lang).to_dict(), lang))
        return (*[chosen[field] for field in PLACE_FIELDS], html.P(said, className="hint"))

    @app.callback(
        Output(ids.EDITOR_MESSAGE, "children", allow_duplicate=True),
        Output(ids.EDITOR_STATE, "data", allow_duplicate=True),
        Input(ids.DOCUMENT_SAVE, "n_clicks"),
        State(ids.DOCUMENT_UPLOAD, "contents"),
        State(ids.DOCUMENT_UPLOAD, "filename"),
        State({"type": ids.DOCUMENT_FIELD, "field": ALL}, "value"),
        State({"type": ids.DOCUMENT_FIELD, "field": ALL}, "id"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def add_document(clicks, contents, filename, values, field_ids, search):
        """A document into the source library, its text read in a bounded child."""
        if not clicks:
            return no_update, no_update
        who = editors.who()
        if who is None:
            abort(403)
        typed = {}
        for value, key in zip(values, field_ids):
            field = key.get("field") if isinstance(key, dict) else None
            if field not in panel.DOCUMENT_FIELDS or not isinstance(value, (str, type(None))):
                abort(400)
            typed[field] = value or ""
        if set(typed) != set(panel.DOCUMENT_FIELDS):
            abort(400)
        lang = lang_in(search)
        if not contents:
            return panel.problems_list([Problem("upload", "document", "file",
                                                tr("document no file", lang))], lang), no_update
        try:
            data_bytes, name = file_bytes(contents, filename)
            document = store.add_document(data_bytes, name, typed["title"], typed["publisher"],
                                          typed["date"].strip(), typed["language"],
                                          typed["url"].strip() or None, who)
        except DataError as error:
            return panel.problems_list(error.problems, lang), no_update
        return tr("document saved", lang, id=document), {"mode": "view"}

    @app.callback(
        Output(ids.DOCUMENT_UPLOAD, "children"),
        Input(ids.DOCUMENT_UPLOAD, "filename"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def show_file(filename, search):
        """The file chosen, named in the drop zone, as text."""
        if not isinstance(filename, str):
            abort(400)
        return html.Div(tr("document chosen", lang_in(search), name=filename[:200]))
