"""The machine's queue of decks: one built at a time (each draws its maps in Chromium, and a
second would only slow the first), the others waiting in the order they were asked for,
each officer told their place, able to cancel, with at most one deck in the queue each and a
time limit per deck.

Every worker process of the server shares it: a job is a small JSON file in one folder (its
deck beside it once built), so a page's progress requests may reach any worker. The worker
that was asked builds the deck in a thread once its job is the oldest waiting and it holds
the machine's deck turn (a lock on a file, freed by the system if its process dies).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import tempfile
import time
from pathlib import Path

MAX_WAITING = 6  # decks waiting at once; more are refused until one is done
DECK_SECONDS = 600.0  # a deck still building after this is stopped
KEEP_DONE_S = 300.0  # a finished deck nobody fetched is dropped after this
STALE_S = DECK_SECONDS + KEEP_DONE_S  # a job file older than this is a dead worker's
FOLDER: Path | None = None  # None: the system's temporary folder


class QueueFull(Exception):
    pass


class AlreadyQueued(Exception):
    pass


class Cancelled(Exception):
    pass


class TooLong(Exception):
    pass


def folder() -> Path:
    found = FOLDER or Path(tempfile.gettempdir()) / f"dashboard-decks-{os.getuid()}"
    found.mkdir(mode=0o700, exist_ok=True)
    return found


@contextlib.contextmanager
def _queue_locked():
    """The whole queue, for a change that must see it unchanged (adding a job)."""
    with open(folder() / "queue.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _path(job_id: str) -> Path:
    return folder() / f"{job_id}.json"


def read(job_id) -> dict | None:
    """A job as last written; None for an unknown id (or one that is not an id)."""
    if not isinstance(job_id, str) or not job_id.isalnum() or len(job_id) > 64:
        return None
    try:
        return json.loads(_path(job_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write(job: dict) -> None:
    path = _path(job["id"])
    partial = path.with_suffix(f".{secrets.token_hex(4)}.part")
    partial.write_text(json.dumps(job), encoding="utf-8")
    os.replace(partial, path)  # whole or not at all, for readers in other workers


def jobs() -> list[dict]:
    """Every job, oldest first. A job whose worker process died is failed (no one else
    would build it, and the queue would wait for it); one older than STALE_S is dropped."""
    found = []
    for path in folder().glob("*.json"):
        job = read(path.stem)
        if job is None:
            continue
        if time.time() - job["asked"] > STALE_S:
            forget(job["id"])
            continue
        if waiting_or_building(job) and not _alive(job["pid"]):
            job.update(state="failed", error="stopped")
            write(job)
        found.append(job)
    return sorted(found, key=lambda job: (job["asked"], job["id"]))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process holds that number: alive
        return True
    return True


def waiting_or_building(job: dict) -> bool:
    return job["state"] in ("waiting", "building")


def add(owner: str, lang: str, total: int, name: str) -> dict:
    """A new job, waiting; QueueFull or AlreadyQueued (the owner's deck is in the queue)."""
    with _queue_locked():
        queued = [job for job in jobs() if waiting_or_building(job)]
        if any(job["owner"] == owner for job in queued):
            raise AlreadyQueued
        if sum(job["state"] == "waiting" for job in queued) >= MAX_WAITING:
            raise QueueFull
        job = {"id": secrets.token_hex(16), "owner": owner, "lang": lang, "total": total,
               "done": 0, "name": name, "state": "waiting", "asked": time.time(),
               "started": None, "finished": None, "error": None, "slides": None,
               "pid": os.getpid()}  # the worker that builds it
        write(job)
    return job


def ahead_of(job_id: str) -> int:
    """Decks waiting or building before this one."""
    queued = [job for job in jobs() if waiting_or_building(job)]
    ids = [job["id"] for job in queued]
    return ids.index(job_id) if job_id in ids else 0


def update(job_id: str, **changes) -> dict | None:
    """Change a job unless it is cancelled or gone (then None)."""
    with _queue_locked():
        job = read(job_id)
        if job is None or job["state"] == "cancelled":
            return None
        job.update(changes)
        write(job)
        return job


def cancel(job_id: str) -> bool:
    """Cancel a waiting or building job: True if it was."""
    with _queue_locked():
        job = read(job_id)
        if job is None or not waiting_or_building(job):
            return False
        job["state"] = "cancelled"
        write(job)
        return True


def result_path(job_id: str) -> Path:
    return folder() / f"{job_id}.deck"


def forget(job_id: str) -> None:
    for path in (_path(job_id), result_path(job_id)):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def turn(job_id: str, poll: float = 0.2):
    """The machine's deck turn, once this job is the oldest waiting; Cancelled if it is
    cancelled (or gone) meanwhile."""
    while True:
        job = read(job_id)
        if job is None or job["state"] == "cancelled":
            raise Cancelled
        waiting = [other["id"] for other in jobs() if waiting_or_building(other)]
        if waiting and waiting[0] == job_id:
            lock = open(folder() / "building.lock", "a")
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.close()
            else:
                try:
                    yield
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
                    lock.close()
                return
        time.sleep(poll)


def check(job_id: str, started: float) -> None:
    """Between two maps of a deck: Cancelled if its officer cancelled it, TooLong past
    DECK_SECONDS."""
    job = read(job_id)
    if job is None or job["state"] == "cancelled":
        raise Cancelled
    if time.monotonic() - started > DECK_SECONDS:
        raise TooLong
