"""The language links: each points at the view on screen in its language. Following one
reloads the page, whose layout is then built in that language."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from dash import ALL, Dash, Input, Output

import ids
from i18n import LANGUAGES


def in_language(search: str, lang: str) -> str:
    """The same URL query with `lang` set (English is the default, so it is left out)."""
    pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k != "lang"]
    if lang != "en":
        pairs.append(("lang", lang))
    return f"?{urlencode(pairs)}" if pairs else "?"


def register(app: Dash) -> None:
    @app.callback(Output({"type": ids.LANGUAGE_LINK, "index": ALL}, "href"),
                  Input(ids.URL, "search"))
    def language_links(search):
        return [in_language(search if isinstance(search, str) else "", lang)
                for lang in LANGUAGES]
