"""The briefings panel's deck export: the chosen briefing as a PDF or PowerPoint deck, built
on the server in a thread while the panel shows how many maps are drawn (it asks every
POLL_MS), then sent as a download. The marking and its colour are the export panel's."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import date

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

import ids
from callbacks.guard import RefusedInput
from export.deck import DeckBuilder, DeckOptions
from export.exporter import slug
from export.renderer import RenderError
from i18n import lang_in, number_text, tr
from panels.export import MARKING_COLOURS
from presence.briefings import BriefingError, BriefingStore
from presence.live import LiveDataset

POLL_MS = 700
# One deck at a time per server: each draws its maps in the shared Chromium, and a second
# would only wait behind the first.
MAX_RUNNING = 1
KEEP_DONE_S = 300  # a finished deck nobody fetched is dropped after this


@dataclass
class _Job:
    lang: str
    total: int
    done: int = 0
    result: tuple[str, bytes, int] | None = None  # file name, bytes, slides
    error: str | None = None
    started: float = field(default_factory=time.perf_counter)
    finished: float | None = None


def deck_controls(lang: str) -> html.Div:
    return html.Div(className="deck-export", children=[
        html.Span(tr("export deck", lang)),
        html.Button("PDF", id=ids.DECK_PDF, n_clicks=0, className="export-button"),
        html.Button("PowerPoint", id=ids.DECK_PPTX, n_clicks=0, className="export-button"),
        html.P(id=ids.DECK_STATUS, role="status", className="export-status",
               **{"aria-live": "polite"}),
        dcc.Store(id=ids.DECK_JOB),
        dcc.Interval(id=ids.DECK_POLL, interval=POLL_MS, disabled=True),
        dcc.Download(id=ids.DECK_DOWNLOAD),
    ])


class DeckJobs:
    """Decks being built in threads, one at a time (MAX_RUNNING), each fetched once by the
    page that asked for it, or dropped KEEP_DONE_S after it is done."""

    def __init__(self, data: LiveDataset, store: BriefingStore, shared_exporter) -> None:
        self.data, self.store, self.shared_exporter = data, store, shared_exporter
        self.jobs: dict[str, _Job] = {}
        self.lock = threading.Lock()

    def start(self, fmt: str, chosen, search, marking, marking_colour) -> tuple:
        """Start building the chosen briefing's deck: the job's id, whether the page polls,
        and the status."""
        lang = lang_in(search)
        if not chosen:
            return no_update, True, tr("choose first", lang)
        try:
            briefing = self.store.read(chosen)
        except BriefingError as error:
            return no_update, True, tr("export failed", lang, why=error)
        if marking_colour not in MARKING_COLOURS:
            raise RefusedInput("deck: unknown marking colour")
        with self.lock:
            now = time.perf_counter()
            for key in [k for k, j in self.jobs.items()
                        if j.finished is not None and now - j.finished > KEEP_DONE_S]:
                del self.jobs[key]
            if sum(job.finished is None for job in self.jobs.values()) >= MAX_RUNNING:
                return no_update, True, tr("deck busy", lang)
            job_id = secrets.token_urlsafe(16)
            job = self.jobs[job_id] = _Job(lang, len(briefing.slides))
        options = DeckOptions(lang=lang, marking=(marking or "").strip()[:120],
                              marking_colour=marking_colour, exported_on=date.today())
        name = f"{slug(briefing.title_in(lang))}.{fmt}"
        threading.Thread(target=self._build, args=(job, briefing, fmt, options, name),
                         name="deck", daemon=True).start()
        return job_id, False, tr("deck building", lang, done=0, total=job.total)

    def _build(self, job: _Job, briefing, fmt: str, options: DeckOptions, name: str) -> None:
        def progress(done: int, total: int) -> None:
            job.done = done

        try:
            deck = DeckBuilder(self.shared_exporter(self.data.current())).build(
                briefing, fmt, options, progress)
            job.result = (name, deck, len(briefing.slides) + 2)
        except (ValueError, RenderError) as error:
            job.error = tr("export failed", job.lang, why=error)
        finally:
            job.finished = time.perf_counter()

    def poll(self, job_id) -> tuple:
        """A job's progress; once done, its deck as a download (then forgotten)."""
        with self.lock:
            job = self.jobs.get(job_id) if isinstance(job_id, str) else None
            if job is None:
                return no_update, True, no_update
            if job.finished is None:
                return no_update, False, tr("deck building", job.lang, done=job.done,
                                            total=job.total)
            del self.jobs[job_id]  # fetched once
        if job.error:
            return no_update, True, job.error
        name, deck, slides = job.result
        return (dcc.send_bytes(deck, name), True,
                tr("deck done", job.lang, name=name, slides=slides,
                   size=number_text(len(deck) / 1e6, job.lang),
                   seconds=number_text(job.finished - job.started, job.lang)))


def register(app: Dash, data: LiveDataset, store: BriefingStore, shared_exporter) -> None:
    jobs = DeckJobs(data, store, shared_exporter)

    @app.callback(
        Output(ids.DECK_JOB, "data"),
        Output(ids.DECK_POLL, "disabled"),
        Output(ids.DECK_STATUS, "children"),
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
        Input(ids.DECK_POLL, "n_intervals"),
        State(ids.DECK_JOB, "data"),
        prevent_initial_call=True,
    )
    def poll(_ticks, job_id):
        return jobs.poll(job_id)
