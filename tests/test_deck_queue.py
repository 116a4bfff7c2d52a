"""The machine's deck queue as officers meet it: one deck built at a time, the others told
their place, at most one each in the queue, a cancel button, a time limit per deck, and a
page's progress answered by any worker of the server."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask

import panels.decks as decks
from panels import deck_queue
from panels.export import DEFAULT_MARKING_COLOUR
from presence.briefings import BriefingStore


class SlowDecks:
    """A deck builder drawing each map in `seconds`, until a test lets it go on."""

    go_on = threading.Event()

    def __init__(self, exporter):
        pass

    def build(self, briefing, fmt, options, progress):
        for done in range(len(briefing.slides)):
            progress(done, len(briefing.slides))
            self.go_on.wait(30)
        progress(len(briefing.slides), len(briefing.slides))
        return b"%PDF deck of " + briefing.title.encode()


@pytest.fixture
def jobs(tmp_path, monkeypatch, dataset):
    monkeypatch.setattr(deck_queue, "FOLDER", tmp_path / "decks")
    monkeypatch.setattr(decks, "DeckBuilder", SlowDecks)
    SlowDecks.go_on.clear()
    store = BriefingStore(tmp_path / "briefings")
    for title in ("Madagascar", "Comoros"):
        briefing = store.create(title)
        for number in range(3):
            store.add_slide(briefing, f"Slide {number}", "region=indian-ocean")

    class Data:
        def current(self):
            return dataset

    yield decks.DeckJobs(Data(), store, lambda dataset: None)
    SlowDecks.go_on.set()


def start(jobs, briefing, user_address, lang="en"):
    with Flask("deck").test_request_context(environ_base={"REMOTE_ADDR": user_address}):
        return jobs.start("pdf", briefing, f"?lang={lang}", "", DEFAULT_MARKING_COLOUR)


def poll_until(jobs, job_id, wanted, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        answer = jobs.poll(job_id)
        if wanted(answer[2]):
            return answer
        assert time.monotonic() < deadline, answer
        time.sleep(0.05)


def test_decks_wait_their_turn_each_told_its_place_and_one_each(jobs):
    alice, polling, status, cancel_disabled = start(jobs, "madagascar", "10.0.0.1")
    assert (polling, cancel_disabled) == (False, False)
    poll_until(jobs, alice, lambda text: text == "Building the deck: 0 of 3 maps drawn…")
    bob, _, status, _ = start(jobs, "comoros", "10.0.0.2")
    assert status == "In the queue: 1 deck before yours…"
    # Alice asks again while hers is built: told, and nothing more is queued.
    again = start(jobs, "comoros", "10.0.0.1")
    assert again[2] == "Your deck is in the queue already: wait for it, or cancel it."
    # Her page keeps polling for the deck it waits for, and can still cancel it.
    assert (again[0], again[1], again[3]) == (decks.no_update,) * 3
    # Another worker of the server answers bob's page as well (the queue is in files).
    other_worker = decks.DeckJobs(None, None, None)
    assert other_worker.poll(bob)[2] == "In the queue: 1 deck before yours…"
    SlowDecks.go_on.set()
    download, stop, done, _ = poll_until(jobs, alice, lambda text: text.startswith("Exported"))
    assert stop and download["content"] and done.startswith("Exported madagascar.pdf (5 slides")
    assert jobs.poll(alice)[2] is decks.no_update  # fetched once, then forgotten
    download, *_ = poll_until(other_worker, bob, lambda text: text.startswith("Exported"))
    assert download["filename"] == "comoros.pdf"


def test_a_waiting_or_building_deck_can_be_cancelled_and_its_turn_passes(jobs):
    alice = start(jobs, "madagascar", "10.0.0.1")[0]
    poll_until(jobs, alice, lambda text: text.startswith("Building"))
    bob = start(jobs, "comoros", "10.0.0.2")[0]
    assert deck_queue.cancel(bob)  # while it waits
    assert jobs.poll(bob)[1:] == (True, "Deck cancelled.", True)
    assert deck_queue.cancel(alice)  # while it is built: stopped at its next map
    SlowDecks.go_on.set()
    assert poll_until(jobs, alice, lambda text: text != "Building the deck: 0 of 3 maps drawn…"
                      )[2] == "Deck cancelled."
    # The queue is free again, and in French too.
    carol = start(jobs, "comoros", "10.0.0.3", "fr")[0]
    assert poll_until(jobs, carol, lambda text: text.startswith("comoros.pdf exporté"))


def test_a_deck_past_its_time_limit_is_stopped_and_its_officer_told(jobs, monkeypatch):
    monkeypatch.setattr(deck_queue, "DECK_SECONDS", 0.3)
    job = start(jobs, "madagascar", "10.0.0.1")[0]
    poll_until(jobs, job, lambda text: text.startswith("Building"))
    time.sleep(0.5)
    SlowDecks.go_on.set()
    status = poll_until(jobs, job, lambda text: text.startswith("Could not export"))[2]
    assert "stopped after 0 s, the longest a deck may take: split the briefing" in status


def test_past_the_queue_s_length_a_deck_is_refused(jobs, monkeypatch):
    monkeypatch.setattr(deck_queue, "MAX_WAITING", 1)
    alice = start(jobs, "madagascar", "10.0.0.1")[0]
    poll_until(jobs, alice, lambda text: text.startswith("Building"))
    assert start(jobs, "comoros", "10.0.0.2")[2] == "In the queue: 1 deck before yours…"
    refused = start(jobs, "comoros", "10.0.0.3")
    assert (refused[0], refused[1], refused[3]) == (decks.no_update,) * 3
    assert refused[2] == "1 deck is waiting already: try again in a few minutes."
