"""The "Changes" panel: a record's history (who, when, why, the source, each field before and
after), its edit form, a new record's form, the latest changes of everyone, and a revert's
form. Text from data goes in as text, never as HTML."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

import ids
from i18n import FIELD_LABELS, TEXT, date_text, label, tr
from panels.widgets import dropdown
from presence.dataset import RECORD_COLUMNS, Dataset
from presence.layer_registry import LAYERS
from presence.schema import EXTENTS, PLACE_BASES, QUALIFIERS
from presence.store import Change

# Fields chosen from the data set's own lists; the others are typed.
LONG_TEXT = ("description", "source_quote")
MULTI = ("countries", "regions")


def field_id(field: str) -> dict:
    return {"type": ids.EDIT_FIELD, "field": field}


def _field_label(field: str, lang: str) -> str:
    english, french = FIELD_LABELS.get(field, (field, field))
    return french if lang == "fr" else english


def _choices(dataset: Dataset, field: str, lang: str) -> list[dict] | None:
    frames = {"theme": (dataset.themes, "label"), "category": (dataset.categories, "label"),
              "host_iso3": (dataset.countries, "name"), "countries": (dataset.countries, "name"),
              "regions": (dataset.regions, "name"), "source": (dataset.sources, "title")}
    if field in frames:
        frame, column = frames[field]
        named = [{"label": f"{label(frame, key, column, lang)} ({key})", "value": key}
                 for key in frame.index]
        return sorted(named, key=lambda option: option["label"]) if field != "source" \
            else named
    fixed = {"layer": [k for k, spec in LAYERS.items() if not k.startswith("imported")],
             "extent": EXTENTS, "place_basis": PLACE_BASES, "personnel_qualifier": QUALIFIERS}
    if field in fixed:
        return [{"label": value, "value": value} for value in fixed[field]]
    return None


def _input(dataset: Dataset, field: str, value: str, lang: str):
    choices = _choices(dataset, field, lang)
    if choices is not None:
        chosen = [v for v in value.split(";") if v] if field in MULTI else (value or None)
        return dropdown(lang, id=field_id(field), options=choices, value=chosen,
                            multi=field in MULTI, clearable=True)
    if field in LONG_TEXT:
        return dcc.Textarea(id=field_id(field), value=value, rows=4, className="edit-long")
    return dcc.Input(id=field_id(field), value=value, type="text", debounce=False)


def edit_form(dataset: Dataset, library: list[dict], fields: dict | None, lang: str) -> list:
    """The form of a record's fields (None: a new record), then the source of the change:
    a document of the library, its section and words, and why."""
    new = fields is None
    fields = fields or {column: "" for column in RECORD_COLUMNS}
    rows = []
    for field in RECORD_COLUMNS:
        if field == "id" and not new:
            continue
        rows.append(html.Div(className="edit-row", children=[
            html.Label(_field_label(field, lang)),
            _input(dataset, field, fields.get(field) or "", lang)]))
    documents = [{"label": f"{source['title']} — {source['publisher']} ({source['data_as_of']})",
                  "value": source["id"]} for source in library]
    return [
        html.H3(tr("new record", lang) if new else tr("edit record", lang,
                                                       name=fields.get("name_en") or "")),
        html.P(tr("edit hint", lang), className="hint"),
        place_finder(lang),
        html.Fieldset(className="edit-source", children=[
            html.Legend(tr("change source", lang)),
            html.Label(tr("change document", lang)),
            dropdown(lang, id=ids.EDIT_DOCUMENT, options=documents, clearable=False),
            html.Label(tr("change section", lang)),
            dcc.Input(id=ids.EDIT_SECTION, type="text", value=""),
            html.Label(tr("change quote", lang)),
            dcc.Textarea(id=ids.EDIT_QUOTE, value="", rows=3, className="edit-long"),
            html.Label(tr("change why", lang)),
            dcc.Textarea(id=ids.EDIT_WHY, value="", rows=2, className="edit-long"),
        ]),
        _actions(tr("save change", lang), ids.EDIT_SAVE, lang),
        html.Details(open=True, className="edit-fields", children=[
            html.Summary(tr("record fields", lang)), *rows]),
    ]


def place_finder(lang: str) -> html.Fieldset:
    """Where the record is: a city or coordinates typed, or a click on the map
    (assets/place-pick.js sends it); callbacks/editing.py fills the fields."""
    return html.Fieldset(className="edit-place", children=[
        html.Legend(tr("place", lang)),
        html.P(tr("place hint", lang), className="hint"),
        html.Div(className="place-search", children=[
            html.Label(tr("place", lang), htmlFor=ids.PLACE_QUERY, className="visually-hidden"),
            dcc.Input(id=ids.PLACE_QUERY, type="search", value="", debounce=True,
                      maxLength=200, placeholder="Antananarivo · -18.91, 47.54"),
            html.Button(tr("place find", lang), id=ids.PLACE_FIND, n_clicks=0,
                        className="link-button")]),
        html.Div(id=ids.PLACE_FOUND, role="status"),
        dcc.Store(id=ids.PLACE_CHOICES, data=[]),
        dcc.Store(id=ids.PLACE_CLICKED),
    ])


def places_found(places: list[dict], names: dict[str, str], lang: str) -> list:
    """The places a typed text may mean, each a button that fills the record's fields."""
    if not places:
        return [html.P(tr("place none", lang), className="hint")]
    return [html.Ul(className="place-list", children=[
        html.Li(html.Button(place_label(place, names, lang),
                            id={"type": ids.PLACE_PICK, "index": n}, n_clicks=0,
                            className="link-button"))
        for n, place in enumerate(places)])]


def place_label(place: dict, names: dict[str, str], lang: str) -> str:
    """'Le Port, Réunion (-20.9375, 55.2942)': the city, its host, its latitude, longitude."""
    host = names.get(place["host_iso3"], place["host_iso3"]) if place["host_iso3"] \
        else tr("place at sea", lang)
    return f"{place['city'] or '—'}, {host} ({place['lat']}, {place['lon']})"


def _actions(label_text: str, button_id: str, lang: str) -> html.Div:
    """A form's action and its Cancel."""
    return html.Div(className="edit-actions", children=[
        html.Button(label_text, id=button_id, n_clicks=0, className="export-button"),
        html.Button(tr("cancel", lang), id={"type": ids.EDIT_CANCEL, "index": 0}, n_clicks=0,
                    className="link-button")])


def revert_form(change: Change, lang: str) -> list:
    return [
        html.H3(tr("revert change", lang, number=change.number)),
        _change_item(change, lang, None, False),
        html.Label(tr("change why", lang)),
        dcc.Textarea(id=ids.EDIT_WHY, value="", rows=2, className="edit-long"),
        _actions(tr("revert", lang), ids.REVERT_CONFIRM, lang),
    ]


def history(dataset: Dataset, record_id: str, changes: list[Change], version: int | None,
            can_edit: bool, lang: str) -> list:
    """A record's changes, newest first, and its Edit button for those who may edit."""
    found: list = [html.H3(tr("history", lang, count=len(changes)))]
    if can_edit and version is not None:
        found.append(html.Button(tr("edit", lang), id={"type": ids.EDIT_OPEN, "index": record_id},
                                 n_clicks=0, className="export-button"))
    if not changes:
        found.append(html.P(tr("no change", lang), className="hint"))
    found.append(html.Ol(className="change-list", reversed=True, children=[
        _change_item(change, lang, None, can_edit, dataset.sources) for change in changes]))
    return found


def latest(dataset: Dataset, changes: list[Change], library: list[dict], can_edit: bool,
           lang: str) -> list:
    """The latest changes of everyone, the source library, and the New record and Add a
    document buttons for those who may edit."""
    found: list = [html.H3(tr("latest changes", lang))]
    if can_edit:
        found.append(html.Div(className="edit-actions", children=[
            html.Button(tr("new record", lang), id={"type": ids.EDIT_NEW, "index": 0},
                        n_clicks=0, className="export-button"),
            html.Button(tr("add document", lang), id={"type": ids.DOCUMENT_OPEN, "index": 0},
                        n_clicks=0, className="export-button")]))
    if not changes:
        found.append(html.P(tr("no change", lang), className="hint"))
    found.append(html.Ol(className="change-list", reversed=True, children=[
        _change_item(change, lang, dataset.records, can_edit, dataset.sources)
        for change in changes]))
    found.append(library_list(library, dataset.sources, lang))
    return found


def library_list(library: list[dict], sources: pd.DataFrame, lang: str) -> html.Details:
    """The documents changes may cite: title (in the page's language where the data set has
    it), publisher, date, language, file, SHA-256."""
    items = []
    for source in library:
        known = source["id"] in sources.index
        title = label(sources, source["id"], "title", lang) if known else source["title"]
        publisher = label(sources, source["id"], "publisher", lang) if known \
            else source["publisher"]
        added = tr("library added", lang, who=source.get("added_by") or "—",
                   day=(source.get("added_at") or "")[:10]) if source.get("added_at") else ""
        language = tr(f"in {source['language']}", lang) \
            if f"in {source['language']}" in TEXT else source["language"]
        items.append(html.Li(className="library-item", children=[
            html.Strong(title), f" — {publisher}, {date_text(source['data_as_of'], lang)}"
            f" ({language})",
            html.Br(),
            # Its id, file name and hash as stored: names, not words to translate.
            html.Span(className="hint", children=[
                html.Code(f"{source['id']} · {source.get('file_name') or ''} · SHA-256 "
                          f"{(source.get('sha256') or '')[:16]}…"), f" {added}"])]))
    return html.Details(className="library", children=[
        html.Summary(tr("library", lang, count=len(library))),
        html.Ul(items, className="library-list")])


def document_field_id(field: str) -> dict:
    return {"type": ids.DOCUMENT_FIELD, "field": field}


DOCUMENT_FIELDS = ("title", "publisher", "date", "language", "url")


def document_form(lang: str, most_bytes: int) -> list:
    """A document for the library: its file, title, publisher, date, language and origin."""
    def row(field: str, control) -> html.Div:
        return html.Div(className="edit-row", children=[
            html.Label([tr(f"document {field}", lang), control])])
    typed = {field: dcc.Input(id=document_field_id(field), type="text", value="",
                              maxLength=500) for field in ("title", "publisher", "date", "url")}
    return [
        html.H3(tr("add document", lang)),
        html.P(tr("document hint", lang, size=f"{most_bytes / 1024 / 1024:.0f} "
                  f"{'Mo' if lang == 'fr' else 'MB'}"),
               className="hint"),
        dcc.Upload(id=ids.DOCUMENT_UPLOAD, className="import-drop", multiple=False,
                   max_size=most_bytes, accept=".pdf,.docx,.html,.htm,.txt,.md",
                   children=html.Div(tr("document file", lang))),
        row("title", typed["title"]), row("publisher", typed["publisher"]),
        row("date", typed["date"]),
        row("language", dropdown(lang, id=document_field_id("language"), clearable=False,
                                     value=lang, options=[{"label": "English", "value": "en"},
                                                          {"label": "Français", "value": "fr"}])),
        row("url", typed["url"]),
        _actions(tr("save document", lang), ids.DOCUMENT_SAVE, lang),
    ]


def _change_item(change: Change, lang: str, records: pd.DataFrame | None,
                 can_edit: bool, sources: pd.DataFrame | None = None) -> html.Li:
    """A change: who, when, what, why, each field before and after, and its source's words
    under the document's title (its id where the data set does not know it)."""
    action = tr(f"action {change.action}", lang, number=change.reverts or "")
    head: list = [html.Strong(f"#{change.number} "), f"{change.made_at[:16].replace('T', ' ')} "
                  f"UTC · {change.made_by} · {action}"]
    if records is not None:
        name = label(records, change.record_id, "name", lang) \
            if change.record_id in records.index else change.record_id
        head += [" · ", html.Button(name, id={"type": "select-record", "index": change.record_id},
                                    className="link-button", n_clicks=0)
                 if change.record_id in records.index else name]
    return html.Li(className="change", children=[
        html.P(head, className="change-head"),
        html.P(change.why, className="change-why"),
        html.Table(className="change-fields", children=html.Tbody([
            html.Tr([html.Th(_field_label(field, lang)), html.Td(before or "—", className="before"),
                     html.Td(after or "—", className="after")])
            for field, before, after in change.fields_changed()])),
        html.Blockquote(className="card-quote", children=[
            html.P(change.quote), html.Footer(f"{_title(sources, change.document, lang)}, "
                                              f"{change.section}")])
        if change.action != "release" else None,
        html.Button(tr("revert", lang), id={"type": ids.REVERT_OPEN, "index": change.number},
                    n_clicks=0, className="link-button")
        if can_edit and change.action != "release" else None,
    ])


def _title(sources: pd.DataFrame | None, document: str, lang: str) -> str:
    if sources is None or document not in sources.index:
        return document
    return f"{label(sources, document, 'title', lang)} ({document})"


def problems_list(problems, lang: str) -> html.Div:
    """What a refused change breaks, field by field; nothing was saved."""
    return html.Div(role="alert", className="edit-problems", children=[
        html.P(tr("change refused", lang)),
        html.Ul([html.Li([html.Strong(f"{p.field}: "), p.message]) for p in problems])])
