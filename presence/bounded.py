"""Reading a file whose format can make a small file cost a lot (XLSX: shared strings, rows
numbered in the billions; GeoPackage: SQL views that GDAL evaluates) in a child process,
killed past a time limit and refused memory past a limit, so that one upload cannot pin the
server's cores or take its memory.

The child is a fresh interpreter (`python -m presence.bounded`), not a fork: the server's
threads (Flask's, the export's Chromium loop) are never copied mid-lock, and nothing of the
server's own entry point is run again.
"""

from __future__ import annotations

import importlib
import os
import pickle
import resource
import subprocess
import sys
from pathlib import Path

from presence.errors import DataError, Problem

READ_SECONDS = float(os.environ.get("DASHBOARD_IMPORT_READ_SECONDS") or 20)
READ_MEMORY = 4 * 1024 ** 3  # address space of the reading process, bytes
ROOT = Path(__file__).resolve().parents[1]


def read_bounded(reader: str, data: bytes, name: str, seconds: float | None = None,
                 memory: int | None = None):
    """The result of `reader` ("module:function", called with the bytes and the name) run
    in a child process, or DataError naming `name` if it fails, runs past `seconds` or needs
    more than `memory` bytes."""
    seconds = READ_SECONDS if seconds is None else seconds
    memory = memory or READ_MEMORY
    try:
        done = subprocess.run([sys.executable, "-m", "presence.bounded", reader, str(memory)],
                              input=pickle.dumps((data, name)), capture_output=True,
                              timeout=seconds, cwd=ROOT)
    except subprocess.TimeoutExpired:
        raise DataError([Problem(name, "file", "-", f"reading took longer than {seconds:g} s "
                                 f"and was stopped: the file holds far more than its size "
                                 f"shows (empty rows, long texts, views)")]) from None
    try:
        kind, value = pickle.loads(done.stdout)  # our own child's answer
    except Exception:  # it died without one (killed by the system, out of memory at start)
        kind, value = "failed", f"the reading process ended (exit code {done.returncode})"
    if kind == "table":
        return value
    if kind == "problems":
        raise DataError(value)
    message = (f"reading needs more than {memory / 2**30:g} GB of memory"
               if kind == "memory" else f"cannot be read: {value}")
    raise DataError([Problem(name, "file", "-", message)])


def _child(reader: str, memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    data, name = pickle.loads(sys.stdin.buffer.read())
    module, _, function = reader.partition(":")
    try:
        answer = ("table", getattr(importlib.import_module(module), function)(data, name))
    except DataError as error:
        answer = ("problems", error.problems)
    except MemoryError:
        answer = ("memory", None)
    except Exception as error:  # the reader's own failure, told to the parent as a problem
        answer = ("failed", f"{type(error).__name__}: {error}"[:300])
    sys.stdout.buffer.write(pickle.dumps(answer))


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]))
