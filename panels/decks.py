"""The briefings panel's deck export: the chosen briefing as a PDF or PowerPoint deck, built
on the server in a thread while the panel shows how many maps are drawn (it asks every
POLL_MS), then sent as a download. The marking and its colour are the export panel's."""

from __future__ import annotations

import threading
import time
from datetime import date

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from flask import request

import ids
from callbacks.guard import RefusedInput
from export.deck import DeckBuilder, DeckOptions
from export.exporter import slug
from export.renderer import RenderError
from i18n import lang_in, number_text, tr, tr_count
from panels import deck_queue
from panels.export import MARKING_COLOURS
from presence.briefings import BriefingError, BriefingStore
from presence.live import LiveDataset
from security import signed_in_user

POLL_MS = 700


def deck_controls(lang: str) -> html.Div:
    return html.Div(className="deck-export", children=[
        html.Span(tr("export deck", lang)),
        html.Button("PDF", id=ids.DECK_PDF, n_clicks=0, className="export-button"),
        html.Button("PowerPoint", id=ids.DECK_PPTX, n_clicks=0, className="export-button"),
        html.Button(tr("deck cancel", lang), id=ids.DECK_CANCEL, n_clicks=0, disabled=True,
                    className="link-button"),
        html.P(id=ids.DECK_STATUS, role="status", className="export-status",
               **{"aria-live": "polite"}),
        dcc.Store(id=ids.DECK_JOB),
        dcc.Interval(id=ids.DECK_POLL, interval=POLL_MS, disabled=True),
        dcc.Download(id=ids.DECK_DOWNLOAD),
    ])


class DeckJobs:
    """Decks asked for on this worker, queued on the machine's deck queue (deck_queue): each
    built in a thread of this worker at its turn, then fetched once by the page that asked,
    through any worker."""

    def __init__(self, data: LiveDataset, store: BriefingStore, shared_exporter) -> None:
        self.data, self.store, self.shared_exporter = data, store, shared_exporter

    def start(self, fmt: str, chosen, search, marking, marking_colour) -> tuple:
        """Queue the chosen briefing's deck: the job's id, whether the page stops polling,
        the status, and whether Cancel is disabled. A refusal only says why: a deck the page
        already waits for is still polled and can still be cancelled."""
        lang = lang_in(search)
        if not chosen:
            return no_update, no_update, tr("choose first", lang), no_update
        try:
            briefing = self.store.read(chosen)
        except BriefingError as error:
            return no_update, no_update, tr("export failed", lang, why=error), no_update
        if marking_colour not in MARKING_COLOURS:
            raise RefusedInput("deck: unknown marking colour")
        options = DeckOptions(lang=lang, marking=(marking or "").strip()[:120],
                              marking_colour=marking_colour, exported_on=date.today())
        name = f"{slug(briefing.title_in(lang))}.{fmt}"
        # Without a login, an address stands for an officer.
        owner = signed_in_user() or f"address {request.remote_addr}"
        try:
            job = deck_queue.add(owner, lang, len(briefing.slides), name)
        except deck_queue.AlreadyQueued:
            return no_update, no_update, tr("deck yours queued", lang), no_update
        except deck_queue.QueueFull:
            return no_update, no_update, tr_count("deck queue full", lang,
                                                  deck_queue.MAX_WAITING), no_update
        threading.Thread(target=self._build, args=(job["id"], briefing, fmt, options),
                         name="deck", daemon=True).start()
        return job["id"], False, _waiting(job["id"], lang), False

    def _build(self, job_id: str, briefing, fmt: str, options: DeckOptions) -> None:
        lang = options.lang
        try:
            with deck_queue.turn(job_id):
                started = time.monotonic()
                if deck_queue.update(job_id, state="building", started=time.time()) is None:
                    raise deck_queue.Cancelled

                def progress(done: int, total: int) -> None:
                    deck_queue.check(job_id, started)
                    deck_queue.update(job_id, done=done)

                deck = DeckBuilder(self.shared_exporter(self.data.current())).build(
                    briefing, fmt, options, progress)
                deck_queue.result_path(job_id).write_bytes(deck)
                deck_queue.update(job_id, state="done", finished=time.time(),
                                  slides=len(briefing.slides) + 2, size=len(deck))
        except deck_queue.Cancelled:
            pass  # the job says so; the page's next poll tells its officer
        except deck_queue.TooLong:
            deck_queue.update(job_id, state="failed", error=tr("export failed", lang, why=tr(
                "deck too long", lang, seconds=f"{deck_queue.DECK_SECONDS:.0f}")))
        except (ValueError, RenderError, OSError) as error:
            deck_queue.update(job_id, state="failed", error=tr("export failed", lang,
                                                               why=error))

    @staticmethod
    def poll(job_id) -> tuple:
        """A job's place or progress; once done, its deck as a download (then forgotten):
        the download, whether the page stops polling, the status, Cancel disabled."""
        job = deck_queue.read(job_id)
        if job is None:
            return no_update, True, no_update, True
        lang = job["lang"]
        if job["state"] == "waiting":
            return no_update, False, _waiting(job_id, lang), False
        if job["state"] == "building":
            return no_update, False, tr("deck building", lang, done=job["done"],
                                        total=job["total"]), False
        deck = None
        if job["state"] == "done":
            try:
                deck = deck_queue.result_path(job_id).read_bytes()
            except OSError:  # another request fetched it a moment ago
                return no_update, True, no_update, True
        deck_queue.forget(job_id)  # fetched once
        if job["state"] == "cancelled":
            return no_update, True, tr("deck cancelled", lang), True
        if deck is None:
            return no_update, True, job["error"] if job["error"] != "stopped" else tr(
                "export failed", lang, why=tr("deck stopped", lang)), True
        return (dcc.send_bytes(deck, job["name"]), True,
                tr("deck done", lang, name=job["name"], slides=job["slides"],
                   size=number_text(len(deck) / 1e6, lang),
                   seconds=number_text(job["finished"] - job["asked"], lang)), True)


def _waiting(job_id: str, lang: str) -> str:
    ahead = deck_queue.ahead_of(job_id)
    return tr_count("deck waiting", lang, ahead) if ahead else tr("deck next", lang)


def register(app: Dash, data: LiveDataset, store: BriefingStore, shared_exporter) -> None:
    jobs = DeckJobs(data, store, shared_exporter)

    @app.callback(
        Output(ids.DECK_JOB, "data"),
        Output(ids.DECK_POLL, "disabled"),
        Output(ids.DECK_STATUS, "children"),
        Output(ids.DECK_CANCEL, "disabled"),
        Input(ids.DECK_PDF, "n_clicks"),
        Input(ids.DECK_PPTX, "n_clicks"),
        State(ids.BRIEFING_CHOICE, "value"),
        State(ids.URL, "search"),
        State(ids.EXPORT_MARKING, "value"),
        State(ids.EXPORT_MARKING_COLOUR, "value"),
        prevent_initial_call=True,
    )
    def start(_pdf, _pptx, chosen, search, marking, marking_colour):
        fmt = "pdf" if ctx.triggered_id == ids.DECK_PDF else "pptx"
        return jobs.start(fmt, chosen, search, marking, marking_colour)

    @app.callback(
        Output(ids.DECK_DOWNLOAD, "data"),
        Output(ids.DECK_POLL, "disabled", allow_duplicate=True),
        Output(ids.DECK_STATUS, "children", allow_duplicate=True),
        Output(ids.DECK_CANCEL, "disabled", allow_duplicate=True),
        Input(ids.DECK_POLL, "n_intervals"),
        State(ids.DECK_JOB, "data"),
        prevent_initial_call=True,
    )
    def poll(_ticks, job_id):
        return jobs.poll(job_id)

    @app.callback(
        Output(ids.DECK_STATUS, "children", allow_duplicate=True),
        Output(ids.DECK_CANCEL, "disabled", allow_duplicate=True),
        Input(ids.DECK_CANCEL, "n_clicks"),
        State(ids.DECK_JOB, "data"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def cancel(_clicks, job_id, search):
        """The page's own deck only: its job's id is a secret only that page holds."""
        if not deck_queue.cancel(job_id):
            return no_update, True
        return tr("deck cancelling", lang_in(search)), True
