"""Readings of layer files, kept for every server worker of a machine.

Reading a large file is what a layer costs (about 20 s of work for a workbook of 30,000 rows
and 43 columns, in a bounded child: presence/bounded.py), and the same reading was asked
for again and again: by the preview, by the add (in whichever worker its request reached),
by the add taking the layer in, and by every other worker taking the new layer in. Under
load, one add read its file four times and took minutes (bench/README.md).

Now a reading's answer is kept in a folder of the system's temporary folder, named by what
it was read from (the task, the request, the file's bytes), so it is never stale. A worker
that needs a reading another worker is doing waits for that one instead of reading too.
An answer is used as the child's would be: checked by presence/imported/examine.py,
and read back only within the child's own cap on its size.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import time
from pathlib import Path

from presence.bounded import ANSWER_BYTES, CLOCK_FACTOR, READ_SECONDS, reading_turn, run_bounded
from presence.kept_files import KeptFiles

# What the folder keeps: the most recently used answers, within both bounds (a preview's
# answer is a few KB; a 30,000-row layer's records about 10 MB).
READINGS = KeptFiles("dashboard-readings", ".json", most_files=64, most_bytes=256 * 1024 ** 2)


def reading(task: str, data: bytes, request: dict, name: str, lane: str):
    """What run_bounded(task, data, request, name, lane=lane) answers, read once for the
    machine: from the folder if a worker read it already, else read here and kept."""
    answer_path = READINGS.path(_key(task, request, data))
    if answer_path is None:  # not ours to trust: read as if nothing were kept
        return run_bounded(task, data, request, name, lane=lane)
    kept = _kept(answer_path)
    if kept is not None:
        return kept
    # A turn first, then the reading's own lock, in this order for every thread: a thread
    # waiting for the lock holds a turn, and the lock's holder holds one already and waits
    # only for its child, so no two threads ever wait on each other.
    with reading_turn(lane, name), _alone_on(answer_path.with_suffix(".lock")):
        kept = _kept(answer_path)  # read by the worker we waited for
        if kept is not None:
            return kept
        answer = run_bounded(task, data, request, name, lane=lane)
        _keep(answer_path, answer)
    return answer


def keep_also(task: str, data: bytes, request: dict, answer) -> None:
    """Keep `answer` as the reading of `request` too (a guess's answer is the reading of the
    columns it guessed)."""
    _keep(READINGS.path(_key(task, request, data)), answer)


def _key(task: str, request: dict, data: bytes) -> str:
    return hashlib.sha256(json.dumps([task, request], sort_keys=True).encode() + b"\0"
                          + data).hexdigest()


def forget_all() -> None:
    """Every kept answer removed: the bench's readings of a file taken in for the first
    time, and tests that count readings."""
    READINGS.forget_all()


def _kept(path: Path | None):
    """The answer kept at `path`, or None (none, or not one the child could have given)."""
    try:
        return json.loads(READINGS.read(path, ANSWER_BYTES) or b"null")
    except ValueError:
        return None


def _keep(path: Path | None, answer) -> None:
    text = json.dumps(answer).encode()
    if len(text) <= ANSWER_BYTES:
        READINGS.keep(path, text)


@contextlib.contextmanager
def _alone_on(lock_path: Path):
    """The lock of one reading, while it is read: others wait rather than read the same
    file, at most as long as its reader may take by the clock (then they read it too)."""
    with open(lock_path, "a") as lock:
        deadline = time.monotonic() + READ_SECONDS * CLOCK_FACTOR
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    yield
                    return
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
