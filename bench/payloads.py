"""Requests to the view callback built the way the browser builds them, from the app's own
/_dash-dependencies, so that load tests need no import of the app."""

from __future__ import annotations

import json
import random

import ids

VIEW_OUTPUT_PREFIX = f"..{ids.URL}.search"


def view_callback(dependencies: list[dict]) -> dict:
    return next(d for d in dependencies if d["output"].startswith(VIEW_OUTPUT_PREFIX))


def _outputs(output: str) -> list[dict] | dict:
    """'..a.x...b.y..' (several outputs) -> a list; 'a.x' (one output) -> one dict."""
    parts = [dict(zip(("id", "property"), part.rsplit(".", 1)))
             for part in output.strip(".").split("...")]
    for part in parts:  # a component named by a pattern's id: sent as the id itself
        if part["id"].startswith("{"):
            part["id"] = json.loads(part["id"])
    return parts if output.startswith("..") else parts[0]


def payload(callback: dict, values: dict, changed: str) -> dict:
    """The body of a POST to /_dash-update-component: `values` maps 'id.property' to value."""
    def entries(items):
        # A pattern-matching input (ALL) comes as the list of the components it matches:
        # here none, as on a page with no such button.
        return [[] if i["id"].startswith("{") else
                {"id": i["id"], "property": i["property"],
                 "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    return {"output": callback["output"], "outputs": _outputs(callback["output"]),
            "inputs": entries(callback["inputs"]), "state": entries(callback.get("state", [])),
            "changedPropIds": [changed]}


def random_filter_change(rng: random.Random, themes: list[str], regions: list[str],
                         layers: list[str]) -> tuple[dict, str]:
    """Control values after one random change of theme, region or layer, and which changed."""
    values = {f"{ids.THEMES}.value": rng.sample(themes, rng.randint(1, len(themes))),
              f"{ids.REGION}.value": rng.choice(regions),
              f"{ids.LAYERS}.value": rng.sample(layers, rng.randint(1, len(layers))),
              f"{ids.CATEGORIES}.value": [], f"{ids.ACTOR}.value": None,
              f"{ids.YEARS}.value": None}
    changed = rng.choice([f"{ids.THEMES}.value", f"{ids.REGION}.value", f"{ids.LAYERS}.value"])
    return values, changed


def callback_of(dependencies: list[dict], output: str, trigger: str) -> dict:
    """The callback whose output names `output` and whose inputs name `trigger`."""
    return next(d for d in dependencies if output in d["output"] and trigger in str(d["inputs"]))


def export_callback(dependencies: list[dict]) -> dict:
    return next(d for d in dependencies if ids.EXPORT_DOWNLOAD in d["output"])


def export_values(rng: random.Random, themes: list[str], regions: list[str]) -> tuple[dict, str]:
    """The export panel's values for an A4 150 DPI PNG of a random theme and region, as
    a click on Export posts them."""
    region = rng.choice(regions)
    search = f"?theme={rng.choice(themes)}" + ("" if region == "world" else f"&region={region}")
    values = {f"{ids.EXPORT_SCREEN}.data": {"clicks": 1, "geo": None}, f"{ids.URL}.search": search,
              f"{ids.EXPORT_FORMAT}.value": "png", f"{ids.EXPORT_SIZE}.value": "a4-landscape",
              f"{ids.EXPORT_WIDTH}.value": 180, f"{ids.EXPORT_HEIGHT}.value": 120,
              f"{ids.EXPORT_DPI}.value": 150, f"{ids.EXPORT_TITLE}.value": "",
              f"{ids.EXPORT_PARTS}.value": ["title", "legend", "caption", "sources", "date", "scale",
                                               "locator"],
              f"{ids.EXPORT_MARKING}.value": "", f"{ids.EXPORT_MARKING_COLOUR}.value": "#c8102e"}
    return values, f"{ids.EXPORT_SCREEN}.data"


NDMO = ("Another technical expert on civil protection is seconded at the National Disaster "
        "Management Organization (NDMO), in Vanuatu.")


def save_body(dependencies: list[dict], state, fields=None) -> dict:
    """The body of the edit form's Save, as a browser sends it; `dependencies` are the
    server's /_dash-dependencies."""
    callback = callback_of(dependencies, f"{ids.EDITOR_MESSAGE}.children", ids.EDIT_SAVE)
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
    return body


def layout_components(layout: dict, component_id: str) -> list[dict]:
    """The props of the served layout's components with that id."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == component_id:
                found.append(props)
            for value in props.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(layout)
    return found


def layout_prop(layout: dict, component_id: str, name: str):
    """A property of a component of the served layout (None if it has none)."""
    found = layout_components(layout, component_id)
    return found[0].get(name) if found else None
