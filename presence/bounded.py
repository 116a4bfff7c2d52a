"""Work on a file a user brings, done in a child process that is killed past a time limit,
refused memory past a limit, and whose answer is capped in size: one upload cannot pin the
server's cores, take its memory or hand it more than it can hold.

The child is a fresh interpreter (`python -m presence.bounded`), not a fork: the server's
threads (Flask's, the export's Chromium loop) are never copied mid-lock, and nothing of the
server's own entry point is run again. It gets the file's bytes and a small JSON request on
its standard input, and writes its answer as JSON on a pipe of its own (never its standard
output, where a library may print): the parent reads at most ANSWER_BYTES of it and decodes
data, never objects, so even a child subverted by a crafted file hands back only text.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import json
import math
import os
import resource
import select
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from presence.errors import MAX_PROBLEMS, DataError, Problem

# Seconds of work (CPU time) a reading may take. A CSV of the largest size allowed (50,000
# rows of 43 columns) takes about 5 s on these 2-core machines, a workbook of 30,000 rows
# about 20 s; a file that needs more holds more than its size shows. Work, not the clock:
# while users keep both cores busy a child at its lower priority gets a fraction of a core,
# and a valid workbook's reading took over 30 s by the clock (the bench's hostile section,
# 7 December), refused as if it were hostile.
READ_SECONDS = float(os.environ.get("DASHBOARD_IMPORT_READ_SECONDS") or 30)
# By the clock, a reading is stopped after this many times its seconds of work: a child that
# waits on nothing, or starved on a machine busier than a team makes it.
CLOCK_FACTOR = 3
READ_MEMORY = 2 * 1024 ** 3  # address space of the child, bytes
# Children at once on the whole machine (every worker process of the server counts), in two
# lanes: files previewed, and layers being taken in (an add, a colleague's layer noticed, a
# source document read), so that an add never waits behind previews. At most 2 + 2 children
# of READ_MEMORY each: 8 GB. More wait their turn (at most READ_SECONDS). Children run at a
# lower priority than the server (NICENESS), so that users' requests come first on the cores.
LANES = {"preview": 2, "add": 2}
TURNS_FOLDER: Path | None = None  # where the turns' lock files are; None: the temporary folder
# Each lane's priority below the server's (nice): files previewed may be hostile, and come
# after users' requests; a layer being taken in was chosen by a colleague, and must not be
# starved: at nice 5, with 20 users filtering, a valid 30,000-row workbook's reading got
# less than a third of a core and was stopped by the clock (the bench, 7 December).
NICENESS = {"preview": 10, "add": 2}
# The answer's size: the records of the largest layer allowed (its text capped at 30 million
# characters, its shapes by the 20 MB file) fit within it.
ANSWER_BYTES = 128 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[1]
_HEADER = struct.Struct(">I")  # the length of the request's JSON, before the file's bytes


def run_bounded(task: str, data: bytes, request: dict, name: str,
                seconds: float | None = None, memory: int | None = None,
                answer_bytes: int | None = None, lane: str = "preview"):
    """What `task` ("module:function", called with the bytes and the request) returns, run
    in a child process at its turn in `lane`; DataError naming `name` if the task finds
    problems, fails, works past `seconds` (CPU time; CLOCK_FACTOR times as long by the clock),
    needs more than `memory` bytes or answers more than `answer_bytes`, or if no turn comes
    within `seconds`."""
    seconds = READ_SECONDS if seconds is None else seconds
    memory, answer_bytes = memory or READ_MEMORY, answer_bytes or ANSWER_BYTES
    with reading_turn(lane, name, seconds):
        return _run(task, data, request, name, seconds, memory, answer_bytes, lane)


_held = threading.local()  # the lane whose turn this thread holds


def holds_turn(lane: str) -> bool:
    return getattr(_held, "lane", None) == lane


@contextlib.contextmanager
def reading_turn(lane: str, name: str, seconds: float | None = None):
    """One of the machine's turns of `lane` for this thread, for every child it starts
    meanwhile (an add reads its file, then takes its layer in: one wait, not two). A turn
    is a lock on one of the lane's files in the system's temporary folder: the operating
    system frees it if its process dies. DataError naming `name` if none comes in time."""
    if holds_turn(lane):
        yield
        return
    seconds = READ_SECONDS if seconds is None else seconds
    folder = TURNS_FOLDER or Path(tempfile.gettempdir()) / f"dashboard-reading-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    deadline = time.monotonic() + seconds
    while True:
        for number in range(LANES[lane]):
            turn = open(folder / f"{lane}-{number}.lock", "a")
            try:
                fcntl.flock(turn, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                turn.close()
                continue
            _held.lane = lane
            try:
                yield
            finally:
                _held.lane = None
                fcntl.flock(turn, fcntl.LOCK_UN)
                turn.close()
            return
        if time.monotonic() > deadline:
            raise DataError([Problem(name, "file", "-", f"{LANES[lane]} files are being "
                                     f"read already: try again in a minute")])
        time.sleep(0.05)


def _run(task: str, data: bytes, request: dict, name: str, seconds: float, memory: int,
         answer_bytes: int, lane: str):
    read_end, write_end = os.pipe()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "presence.bounded", task, str(memory), str(write_end),
             str(math.ceil(seconds)), str(NICENESS[lane])],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(write_end,), cwd=ROOT)
    finally:
        os.close(write_end)
    try:
        head = json.dumps(request).encode()
        threading.Thread(target=_send, args=(child, _HEADER.pack(len(head)) + head + data),
                         daemon=True).start()
        answer = _answer(read_end, time.monotonic() + seconds * CLOCK_FACTOR, answer_bytes)
    finally:
        os.close(read_end)
        child.kill()  # a child done already is unaffected; any other is stopped now
        child.wait()
    if answer is _LATE:
        raise DataError([Problem(name, "file", "-", f"reading did not end within "
                                 f"{seconds * CLOCK_FACTOR:g} s and was stopped: the server "
                                 f"is too busy now, or the file cannot be read")])
    if answer is _TOO_LONG:
        raise DataError([Problem(name, "file", "-", f"once read, the file holds more than "
                                 f"{answer_bytes / 2**20:,.0f} MB: too much to show")])
    try:
        kind, value = json.loads(answer)
    except (ValueError, TypeError):  # it died without an answer
        # A library in Rust or C that cannot allocate aborts the process (SIGABRT); past
        # its seconds of work the system stops it (SIGXCPU, then SIGKILL).
        kind, value = {-signal.SIGABRT: ("memory", None), -signal.SIGXCPU: ("work", None),
                       -signal.SIGKILL: ("work", None)}.get(child.returncode, (
            "failed", f"the reading process ended (exit code {child.returncode})"))
    if kind == "work":
        raise DataError([Problem(name, "file", "-", f"reading took longer than {seconds:g} s "
                                 f"of work and was stopped: the file holds far more than its "
                                 f"size shows (empty rows, long texts, views)")])
    if kind == "answer":
        return value
    if kind == "problems" and isinstance(value, list):
        raise DataError(_problems(value, name))
    message = (f"reading needs more than {memory / 2**30:g} GB of memory"
               if kind == "memory" else f"cannot be read: {str(value)[:300]}")
    raise DataError([Problem(name, "file", "-", message)])


_LATE, _TOO_LONG = object(), object()


def _send(child: subprocess.Popen, payload: bytes) -> None:
    try:
        child.stdin.write(payload)
        child.stdin.close()
    except (BrokenPipeError, OSError):  # the child ended before reading it all
        pass


def _answer(pipe: int, deadline: float, limit: int):
    """The child's whole answer, _LATE past the deadline or _TOO_LONG past the limit."""
    parts: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([pipe], [], [], left)[0]:
            return _LATE
        part = os.read(pipe, 1 << 20)
        if not part:
            return b"".join(parts)
        size += len(part)
        if size > limit:
            return _TOO_LONG
        parts.append(part)


def _problems(raw: list, name: str) -> list[Problem]:
    """Problems as the child listed them, checked: four short texts each, at most the cap."""
    problems = []
    for item in raw[:MAX_PROBLEMS + 1]:
        fields = [str(part)[:500] for part in item][:4] if isinstance(item, list) else []
        problems.append(Problem(*fields) if len(fields) == 4 else
                        Problem(name, "file", "-", "an unreadable problem report"))
    return problems or [Problem(name, "file", "-", "cannot be read")]


def _child(task: str, memory: int, answer_fd: int, seconds: int, niceness: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 2))
    os.nice(niceness)
    stdin = sys.stdin.buffer
    (length,) = _HEADER.unpack(stdin.read(_HEADER.size))
    request = json.loads(stdin.read(length))
    data = stdin.read()
    module, _, function = task.partition(":")
    try:
        answer = ["answer", getattr(importlib.import_module(module), function)(data, request)]
    except DataError as error:
        answer = ["problems", [[p.file, p.record, p.field, p.message] for p in error.problems]]
    except MemoryError:
        answer = ["memory", None]
    except Exception as error:  # the task's own failure, told to the parent as a problem
        answer = ["failed", f"{type(error).__name__}: {error}"[:300]]
    try:
        text = json.dumps(answer, ensure_ascii=False, allow_nan=False).encode()
    except MemoryError:
        text = b'["memory", null]'
    except (TypeError, ValueError) as error:  # the task answered what is not plain data
        text = json.dumps(["failed", f"{type(error).__name__}: {error}"[:300]]).encode()
    with os.fdopen(answer_fd, "wb") as out:
        out.write(text)


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
