"""The presenter view: a second window on the presenter's machine following the briefing
shown in presentation mode, with the current slide's note and sources, the next slide's
title and the time since the presentation started.

The two windows talk through the browser's BroadcastChannel (assets/presenter.js): nothing
goes over the network but the briefing's text, fetched once from this server. The main
window says which slide it shows; a key pressed in the presenter window is handed to the
main window as its own key press, so both step together from either one's keys.
"""

from __future__ import annotations

from html import escape

from flask import Flask, Response, jsonify, request

from figures import captions
from i18n import lang_in, tr
from presence.briefings import BriefingError, BriefingStore
from presence.live import LiveDataset
from presence.views import ViewError, filter_records, parse_query

PAGE = "/presenter"
SLIDES = "/presenter/slides.json"


def briefing_slides(data: LiveDataset, store: BriefingStore, briefing_id: str,
                    lang: str) -> dict:
    """The briefing's slides as the presenter reads them: title, note and the sources of the
    slide's records. BriefingError for an unknown or unreadable briefing."""
    dataset = data.current()
    briefing = store.read(briefing_id)
    slides = []
    for slide in briefing.slides:
        try:
            records = filter_records(dataset, parse_query(slide.view, dataset))
            sources = captions.source_line(dataset, records, lang)
        except ViewError as error:
            sources = str(error)
        slides.append({"title": slide.title_in(lang), "note": slide.note_in(lang),
                       "sources": sources})
    return {"title": briefing.title_in(lang), "slides": slides}


def presenter_page(lang: str) -> str:
    """The page; assets/presenter.js fills it in (the policy allows no inline script)."""
    words = {key: escape(tr(key, lang)) for key in (
        "presenter view", "presenter waiting", "presenter note", "presenter sources",
        "presenter next", "presenter elapsed", "presenter keys")}
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{words["presenter view"]}</title>
<link rel="stylesheet" href="assets/style.css">
<script src="assets/presenter.js" defer></script></head>
<body class="presenter-page"><main id="presenter" data-lang="{lang}">
<p class="presenter-top"><span id="presenter-position"></span>
<span>{words["presenter elapsed"]} <b id="presenter-elapsed">00:00</b></span></p>
<h1 id="presenter-title">{words["presenter waiting"]}</h1>
<h2>{words["presenter note"]}</h2><p id="presenter-note"></p>
<h2>{words["presenter sources"]}</h2><p id="presenter-sources"></p>
<h2>{words["presenter next"]}</h2><p id="presenter-next"></p>
<p class="hint">{words["presenter keys"]}</p>
</main></body></html>"""


def register(server: Flask, data: LiveDataset, store: BriefingStore) -> None:
    @server.route(PAGE)
    def presenter():
        lang = lang_in(request.query_string.decode("latin-1"))
        return Response(presenter_page(lang), mimetype="text/html")

    @server.route(SLIDES)
    def slides():
        lang = lang_in(request.query_string.decode("latin-1"))
        try:
            return jsonify(briefing_slides(data, store, request.args.get("briefing", ""), lang))
        except BriefingError as error:
            return jsonify(error=str(error)[:300]), 404
