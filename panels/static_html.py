"""Dash html components written out as HTML, for parts of the page that never change and
no callback touches: they are served in the page itself, outside Dash's React tree, where
each component would cost a store selector on every update of the page (see app.py,
GeoDash.interpolate_index)."""

from __future__ import annotations

from html import escape

# Dash's names of the attributes that HTML spells otherwise.
ATTRIBUTES = {"className": "class", "htmlFor": "for"}
# Dash's own properties, not attributes.
DASH_ONLY = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state"}


def to_html(node) -> str:
    """`node` (a component, a list of them, text or a number) as HTML, its text escaped."""
    if node is None:
        return ""
    if isinstance(node, (str, int, float)):
        return escape(str(node))
    if isinstance(node, (list, tuple)):
        return "".join(to_html(child) for child in node)
    if node._namespace != "dash_html_components":
        raise TypeError(f"{node._type} is not a plain HTML element")
    props = node.to_plotly_json()["props"]
    tag = node._type.lower()
    attributes = "".join(f' {ATTRIBUTES.get(name, name)}="{escape(str(value), quote=True)}"'
                         for name, value in props.items()
                         if name not in DASH_ONLY and value is not None)
    return f"<{tag}{attributes}>{to_html(props.get('children'))}</{tag}>"
