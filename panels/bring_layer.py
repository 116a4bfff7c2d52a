"""The "Bring your own layer" panel: drop a file, see what it holds and what is wrong with it,
choose the label and category columns, add it to the map; list and remove imported layers.

The file travels from the browser as the upload's data URL and is read from those bytes
only. Adding writes it into the data folder's `imports/`, where every server worker finds it.
"""

from __future__ import annotations

import base64
import binascii
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from pydantic import ValidationError

import ids
from callbacks.guard import RefusedInput
from i18n import lang_in, tr, tr_count
from panels.widgets import dropdown
from presence.bounded import reading_turn
from presence.dataset import Dataset
from presence.errors import DataError, Problem
from presence.imported.examine import Examined, examine
from presence.imported.folder import (
    FOLDER,
    NotYours,
    max_import_bytes,
    owner_of,
    records_room_problem,
    remove_layer,
    restore_layer,
    save_layer,
    too_big,
    trashed,
)
from presence.imported.reading import KINDS
from presence.imported.settings import SETTINGS_SUFFIX, layer_settings, settings_problems
from presence.live import LiveDataset
from presence.text import one_line
from security import signed_in_user

NO_COLUMN = "__none__"
SHOWN_PROBLEMS = 20


def panel(dataset: Dataset, lang: str) -> html.Details:
    megabytes = f"{max_import_bytes() / 2**20:g}"
    return html.Details(className="import-panel", children=[
        html.Summary(tr("import title", lang)),
        html.Div(className="import-grid", children=[
            dcc.Upload(id=ids.IMPORT_UPLOAD, className="import-drop", multiple=False,
                       max_size=max_import_bytes(),
                       accept=".csv,.txt,.tsv,.xlsx,.geojson,.json,.gpkg",
                       children=html.Div([tr("import drop", lang), html.Br(),
                                          html.Small(tr("import kinds", lang, mb=megabytes))])),
            html.Div(id=ids.IMPORT_PREVIEW, className="import-preview", **{"aria-live": "polite"}),
            html.Div(id=f"{ids.IMPORT_PREVIEW}-choices", className="import-choices", hidden=True,
                     children=[
                html.Label(tr("import name", lang), htmlFor=ids.IMPORT_NAME),
                dcc.Input(id=ids.IMPORT_NAME, type="text", value="", maxLength=80),
                html.Label(tr("import label", lang), htmlFor=ids.IMPORT_LABEL),
                dropdown(lang, id=ids.IMPORT_LABEL, options=[], value=None, clearable=False),
                html.Label(tr("import category", lang), htmlFor=ids.IMPORT_CATEGORY),
                dropdown(lang, id=ids.IMPORT_CATEGORY, options=[], value=NO_COLUMN,
                             clearable=False),
                html.Label(tr("import source", lang), htmlFor=ids.IMPORT_SOURCE),
                dcc.Input(id=ids.IMPORT_SOURCE, type="text", value="", maxLength=300,
                          placeholder=tr("import source hint", lang)),
                html.Button(tr("import add", lang), id=ids.IMPORT_ADD, n_clicks=0,
                            disabled=True),
            ]),
            html.P(id=ids.IMPORT_STATUS, role="status", className="import-status"),
            html.Div(id=ids.IMPORT_LAYERS, children=imported_list(dataset, lang)),
        ]),
    ])


def imported_list(dataset: Dataset, lang: str) -> list:
    """The imported layers, each with its record count and a remove button, and the files of
    the folder that were refused, with why."""
    themes = dataset.themes[dataset.themes.index.str.startswith("import-")]
    items = []
    for theme_id, theme in themes.iterrows():
        file = stored_name(dataset, theme_id)
        count = int((dataset.records["theme"] == theme_id).sum())
        name = theme["label_en"]
        owner = owner_of(dataset.folder / FOLDER / f"{file}{SETTINGS_SUFFIX}")
        listed = tr("import listed", lang, name=name, count=count, file=file)
        if owner:
            listed += tr("import added by", lang, owner=owner)
        items.append(html.Li([
            html.Span("●", className="swatch", style={"color": theme["colour"]},
                      **{"aria-hidden": "true"}),
            html.Span(listed),
            html.Button("✕", id={"type": ids.IMPORT_REMOVE, "index": file},
                        n_clicks=0, className="slide-button",
                        title=tr("import remove", lang, name=name),
                        **{"aria-label": tr("import remove", lang, name=name)}),
        ]))
    found = [html.H3(tr("imported layers", lang)), html.Ul(items, className="imported")] \
        if items else []
    if dataset.import_problems:
        found += [html.P(tr("import refused files", lang), className="import-error"),
                  problem_list(list(dataset.import_problems))]
    return found


def stored_name(dataset: Dataset, theme_id: str) -> str:
    return dataset.sources.at[theme_id, "file"].rpartition("/")[2]


def problem_list(problems: list[Problem]) -> html.Ul:
    shown = [html.Li(str(problem)) for problem in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        shown.append(html.Li(f"… +{len(problems) - SHOWN_PROBLEMS}"))
    return html.Ul(shown, className="import-problems")


def file_bytes(contents, filename) -> tuple[bytes, str]:
    """The bytes of an upload's data URL, and a name for messages; DataError if too big."""
    if not isinstance(contents, str) or "," not in contents or not isinstance(filename, str):
        raise RefusedInput("import: not an upload")
    name = one_line(Path(filename).name)[:200] or "file"
    head, _, body = contents.partition(",")
    if not head.endswith(";base64"):
        raise RefusedInput("import: not a base64 data URL")
    if len(body) * 3 // 4 > max_import_bytes() + 3:
        raise DataError([too_big(name, len(body) * 3 // 4)])
    try:
        data = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise RefusedInput("import: not a base64 data URL") from None
    if len(data) > max_import_bytes():
        raise DataError([too_big(name, len(data))])
    return data, name


def choices(examined: Examined, label, category) -> tuple[str, str | None]:
    """The label and category columns chosen, refusing names the file does not have."""
    for value in (label, category):
        if value not in (None, NO_COLUMN) and value not in examined.columns:
            raise RefusedInput("import: not a column of the file")
    return label, None if category in (None, NO_COLUMN) else category


def sample(examined: Examined) -> html.Table:
    """The first rows as the file has them (text only: Dash escapes it)."""
    return html.Table(className="import-sample", children=[
        html.Thead(html.Tr([html.Th(column, scope="col")
                            for column in examined.columns[:len(examined.sample[0])]])),
        html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in examined.sample]),
    ])


def preview_answer(dataset: Dataset, contents, label, category, filename, search,
                   new_file: bool) -> tuple:
    """The panel after a file is dropped (`new_file`) or a column chosen: the file read in a
    bounded child with the columns guessed, or with those chosen; its sample, how its rows
    will be placed, and its problems by row and column."""
    lang = lang_in(search)
    if contents is None:  # cleared after an import
        return [], True, [], None, [], NO_COLUMN, "", True
    try:
        raw, name = file_bytes(contents, filename)
        # Read once with the columns guessed; again only for other columns chosen.
        examined = examine(raw, name, dataset.folder, guess=True)
        if not new_file:
            label, chosen = choices(examined, label, category)
            if (label, chosen) != (examined.settings.label, examined.settings.category):
                examined = examine(raw, name, dataset.folder, label, chosen)
    except DataError as error:
        return ([html.P(tr("import unreadable", lang, name=filename or ""),
                        className="import-error"), problem_list(error.problems)],
                True, [], None, [], NO_COLUMN, "", True)
    summary = tr("import summary", lang, name=name, kind=KINDS[examined.kind],
                 rows=examined.rows, columns=len(examined.columns))
    if examined.notes:
        summary = f"{summary} ({'; '.join(examined.notes)})"
    found = [html.P(summary), sample(examined)]
    if not examined.problems:
        found.append(html.P(tr_count("import ready", lang, examined.categories,
                                     placed=examined.placing[lang == "fr"]),
                            className="import-ok"))
    else:
        found += [html.P(tr_count("import problems", lang, len(examined.problems)),
                         className="import-error"), problem_list(list(examined.problems))]
    options = [{"label": column, "value": column} for column in examined.columns]
    settings = examined.settings
    return (found, False, options, settings.label,
            [{"label": tr("import no category", lang), "value": NO_COLUMN}, *options],
            settings.category or NO_COLUMN,
            settings.name if new_file else no_update, bool(examined.problems))


def add_answer(data: LiveDataset, contents, filename, name, label, category, source,
               search) -> tuple:
    """Add the previewed file as a layer: checked again (the preview's verdict is kept),
    saved with its settings, the data set rebuilt; the new version, the status, the cleared
    upload and a URL that shows the new layer whatever filters are on."""
    lang, user = lang_in(search), signed_in_user()
    if not contents:
        return no_update, no_update, no_update, no_update
    try:
        raw, file = file_bytes(contents, filename)
        if not all(value is None or isinstance(value, str) for value in (label, category)):
            raise RefusedInput("import: not a column of the file")
        # One turn of the adds' lane, for reading the file and taking the layer in: an add
        # waits once, and never behind files being previewed.
        with reading_turn("add", file):
            return _add(data, raw, file, name, label, category, source, search, lang, user)
    except DataError as error:
        return no_update, tr("import failed", lang, why=error.problems[0]), no_update, \
            no_update


def _add(data: LiveDataset, raw: bytes, file: str, name, label, category, source, search,
         lang: str, user: str | None) -> tuple:
    dataset = data.current()
    try:
        # The preview's verdict on these columns (kept), or a new one.
        examined = examine(raw, file, dataset.folder, label,
                           None if category == NO_COLUMN else category, lane="add")
        label, category = choices(examined, label, category)
        if examined.problems:
            raise DataError(list(examined.problems))
        settings = layer_settings(file, label, category, name or "", (source or "").strip()
                                  or f"File {file}" + (f", imported by {user}" if user else ""),
                                  owner=user)
        imported = int(dataset.records["theme"].str.startswith("import-").sum())
        too_many = records_room_problem(file, imported, examined.rows)
        if too_many:
            raise DataError([too_many])
        with data.changing_imports():
            saved = save_layer(data.imports, raw, settings)
    except DataError as error:
        return no_update, tr("import failed", lang, why=error.problems[0]), no_update, \
            no_update
    except ValidationError as error:
        why = settings_problems(error, file)[0]
        return no_update, tr("import failed", lang, why=why), no_update, no_update
    except OSError as error:
        return no_update, tr("import failed", lang, why=error.strerror), no_update, \
            no_update
    # The new layer is shown whatever filters are on: its theme, layer and categories
    # are added to those the URL lists.
    added = data.refresh()
    theme = next((t for t in added.themes.index
                  if t.startswith("import-") and stored_name(added, t) == saved.name), None)
    return (time.time(), tr("import added", lang, name=settings.name, rows=examined.rows),
            None, showing(search, added, theme))


def removal(data: LiveDataset, button: dict, user: str | None, lang: str) -> tuple:
    """Remove a layer (the status then offers to undo it) or put a removed one back:
    the data's new version and the status."""
    undo = button.get("type") == ids.IMPORT_UNDO
    try:
        if undo:
            with data.changing_imports():
                restore_layer(data.imports, trashed(data.imports, button.get("index")), user)
            data.refresh()
            return time.time(), tr("import restored", lang)
        with data.changing_imports():
            kept = remove_layer(data.imports, str(button.get("index")), user)
        data.refresh()
    except NotYours as error:
        return no_update, tr("import not removed", lang, why=error)
    except DataError as error:  # no room left to put it back
        return no_update, tr("import failed", lang, why=error.problems[0])
    except ValueError:  # the buttons only name listed files and this page's removals
        raise RefusedInput("import: not an imported layer file or removal") from None
    except OSError as error:
        return no_update, tr("import failed", lang, why=error.strerror)
    return time.time(), [tr("import removed", lang), " ", html.Button(
        tr("import undo", lang), id={"type": ids.IMPORT_UNDO, "index": kept.name},
        n_clicks=0, className="link-button", title=tr("import undo label", lang))]


def register(app: Dash, data: LiveDataset) -> None:
    @app.callback(
        Output(ids.IMPORT_PREVIEW, "children"),
        Output(f"{ids.IMPORT_PREVIEW}-choices", "hidden"),
        Output(ids.IMPORT_LABEL, "options"),
        Output(ids.IMPORT_LABEL, "value"),
        Output(ids.IMPORT_CATEGORY, "options"),
        Output(ids.IMPORT_CATEGORY, "value"),
        Output(ids.IMPORT_NAME, "value"),
        Output(ids.IMPORT_ADD, "disabled"),
        Input(ids.IMPORT_UPLOAD, "contents"),
        Input(ids.IMPORT_LABEL, "value"),
        Input(ids.IMPORT_CATEGORY, "value"),
        State(ids.IMPORT_UPLOAD, "filename"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def preview(contents, label, category, filename, search):
        return preview_answer(data.current(), contents, label, category, filename, search,
                              new_file=ctx.triggered_id == ids.IMPORT_UPLOAD)

    @app.callback(Output(ids.IMPORT_LAYERS, "children"), Input(ids.DATA_VERSION, "data"),
                  State(ids.URL, "search"), prevent_initial_call=True)
    def list_layers(_version, search):
        # The view callback writes the page's data version once it has drawn new data.
        return imported_list(data.current(), lang_in(search))

    @app.callback(
        Output(ids.IMPORTS_CHANGED, "data"),
        Output(ids.IMPORT_STATUS, "children"),
        Output(ids.IMPORT_UPLOAD, "contents"),
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.IMPORT_ADD, "n_clicks"),
        Input({"type": ids.IMPORT_REMOVE, "index": ALL}, "n_clicks"),
        Input({"type": ids.IMPORT_UNDO, "index": ALL}, "n_clicks"),
        State(ids.IMPORT_UPLOAD, "contents"),
        State(ids.IMPORT_UPLOAD, "filename"),
        State(ids.IMPORT_NAME, "value"),
        State(ids.IMPORT_LABEL, "value"),
        State(ids.IMPORT_CATEGORY, "value"),
        State(ids.IMPORT_SOURCE, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def change_layers(_add, _removes, _undos, contents, filename, name, label, category,
                      source, search):
        trigger = ctx.triggered_id
        if isinstance(trigger, dict):  # a remove or an undo button
            if not ctx.triggered[0]["value"]:
                return no_update, no_update, no_update, no_update
            return (*removal(data, trigger, signed_in_user(), lang_in(search)), no_update,
                    no_update)
        return add_answer(data, contents, filename, name, label, category, source, search)


def showing(search: str, dataset: Dataset, theme: str | None) -> str:
    """The URL query with the imported layer's theme, layers and categories added to any
    filter that lists others (a filter that lists nothing shows everything already)."""
    if theme is None:
        return no_update
    records = dataset.records[dataset.records["theme"] == theme]
    adding = {"theme": [theme], "layer": sorted(set(records["layer"])),
              "category": sorted(set(records["category"]))}
    pairs = []
    for key, value in parse_qsl((search or "").lstrip("?")):
        if key in adding and value:
            value = ",".join(dict.fromkeys([*value.split(","), *adding[key]]))
        pairs.append((key, value))
    query = urlencode(pairs, safe=",")
    changed = f"?{query}" if query else ""
    return changed if changed != (search or "") else no_update
