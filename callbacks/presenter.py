"""The presenter view: a second window on the presenter's machine following the briefing
shown in presentation mode, with the current slide's map, note and sources, the next
slide's title and map, and the time since the presentation started.

The two windows talk through the browser's BroadcastChannel (assets/presenter.js): nothing
goes over the network but the briefing's text, fetched once from this server. The main
window says which slide it shows; a key pressed in the presenter window is handed to the
main window as its own key press, so both step together from either one's keys. The maps
are pictures drawn here by the export renderer, once per slide view, language and state of
the data (MAP_CACHE of them kept).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from html import escape

from flask import Flask, Response, jsonify, request

from export.exporter import ExportRequest
from export.page import custom_page
from export.renderer import RenderError
from figures import captions
from figures.fact_sheet import SheetOptions
from i18n import lang_in, tr
from presence.briefings import BriefingError, BriefingStore
from presence.live import LiveDataset
from presence.views import ViewError, filter_records, parse_query

PAGE = "/presenter"
SLIDES = "/presenter/slides.json"
MAP = "/presenter/map.png"
# A slide's map as the presenter sees it: a 16:9 picture, 1200 px across.
MAP_PAGE = custom_page(211.7, 119.1)
MAP_DPI = 144
MAP_BODY_PX = 15  # names of 12 px in a picture seen at about its size
MAP_CACHE = 32  # pictures kept (about 150 KB each)
TEXTS_CACHE = 16  # briefings' slide texts kept


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


class SlideTexts:
    """briefing_slides kept by briefing (as it reads now), language and data state: the
    presenter view asks again every few seconds, and a briefing over large imported layers
    took 4.5 s each time (27 s when six arrived together). Requests for what is being
    worked out wait for it rather than work it out again."""

    def __init__(self, data: LiveDataset, store: BriefingStore) -> None:
        self.data, self.store = data, store
        self._kept: OrderedDict[tuple, dict] = OrderedDict()
        self._lock = threading.Lock()
        self._working: dict[tuple, threading.Lock] = {}

    def slides(self, briefing_id: str, lang: str) -> dict:
        """BriefingError for an unknown or unreadable briefing."""
        key = (briefing_id, self.store.read(briefing_id).model_dump_json(), lang,
               self.data.current().version)
        with self._lock:
            working = self._working.setdefault(key, threading.Lock())
        with working:
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    return self._kept[key]
            try:
                found = briefing_slides(self.data, self.store, briefing_id, lang)
            finally:
                with self._lock:
                    self._working.pop(key, None)
            with self._lock:
                self._kept[key] = found
                while len(self._kept) > TEXTS_CACHE:
                    self._kept.popitem(last=False)
            return found


class SlideMaps:
    """The pictures of slides' maps, drawn by the server's exporter and kept by view,
    language and data state: a presenter stepping back and forth waits once per slide."""

    def __init__(self, data: LiveDataset, store: BriefingStore, shared_exporter) -> None:
        self.data, self.store, self.shared_exporter = data, store, shared_exporter
        self._kept: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def picture(self, briefing_id: str, number: int, lang: str) -> bytes:
        """BriefingError for an unknown briefing; ViewError for an unknown slide or a view
        that cannot be drawn; RenderError if Chromium fails."""
        slides = self.store.read(briefing_id).slides
        if not 0 <= number < len(slides):
            raise ViewError(f"no slide {number + 1} in briefing '{briefing_id}'")
        query = "&".join(filter(None, (slides[number].view, f"lang={lang}")))
        dataset = self.data.for_query(query)
        key = (query, dataset.version)
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        image = self.shared_exporter(dataset).export(ExportRequest(
            query=query, fmt="png", page=MAP_PAGE, dpi=MAP_DPI, options=SheetOptions(
                # The map alone, as large as the picture: its legend is on the room's screen.
                show_title=False, show_legend=False, show_caption=False, show_sources=False,
                show_date=False, body_px=MAP_BODY_PX)))
        with self._lock:
            self._kept[key] = image
            while len(self._kept) > MAP_CACHE:
                self._kept.popitem(last=False)
        return image


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
<div class="presenter-grid">
<section class="presenter-now">
<h1 id="presenter-title">{words["presenter waiting"]}</h1>
<img id="presenter-map" class="presenter-map" alt="" hidden>
<h2>{words["presenter note"]}</h2><p id="presenter-note"></p>
</section>
<section class="presenter-side">
<h2>{words["presenter next"]}</h2><p id="presenter-next"></p>
<img id="presenter-next-map" class="presenter-map" alt="" hidden>
<h2>{words["presenter sources"]}</h2><p id="presenter-sources"></p>
<p class="hint">{words["presenter keys"]}</p>
</section>
</div>
</main></body></html>"""


def register(server: Flask, data: LiveDataset, store: BriefingStore, shared_exporter) -> None:
    maps = SlideMaps(data, store, shared_exporter)
    texts = SlideTexts(data, store)

    @server.route(PAGE)
    def presenter():
        lang = lang_in(request.query_string.decode("latin-1"))
        return Response(presenter_page(lang), mimetype="text/html")

    @server.route(SLIDES)
    def slides():
        lang = lang_in(request.query_string.decode("latin-1"))
        try:
            return jsonify(texts.slides(request.args.get("briefing", ""), lang))
        except BriefingError as error:
            return jsonify(error=str(error)[:300]), 404

    @server.route(MAP)
    def slide_map():
        lang = lang_in(request.query_string.decode("latin-1"))
        number = request.args.get("slide", "")
        if not number.isdigit() or len(number) > 4:
            return jsonify(error="slide: a slide's number from 0"), 400
        try:
            image = maps.picture(request.args.get("briefing", ""), int(number), lang)
        except (BriefingError, ViewError) as error:
            return jsonify(error=str(error)[:300]), 404
        except RenderError as error:
            return jsonify(error=str(error)[:300]), 503
        response = Response(image, mimetype="image/png")
        response.headers["Cache-Control"] = "private, max-age=60"
        return response
