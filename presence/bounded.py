"""Reading a file whose format can make a small file cost a lot (XLSX: shared strings, rows
numbered in the billions; GeoPackage: SQL views that GDAL evaluates) in a child process,
killed past a time limit and refused memory past a limit, so that one upload cannot pin the
server's cores or take its memory."""

from __future__ import annotations

import multiprocessing
import os
import resource

from presence.errors import DataError, Problem

READ_SECONDS = float(os.environ.get("DASHBOARD_IMPORT_READ_SECONDS") or 20)
READ_MEMORY = 4 * 1024 ** 3  # address space of the reading process, bytes


def _context():
    # A fork server: a clean process forks the readers, so the server's threads (Flask,
    # the export's Chromium loop) are never forked mid-lock.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["presence.import_files"])
    return context


def _read_in_child(reader, data: bytes, name: str, memory: int, pipe) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        pipe.send(("table", reader(data, name)))
    except DataError as error:
        pipe.send(("problems", error.problems))
    except MemoryError:
        pipe.send(("memory", None))
    except Exception as error:  # the reader's own failure, told to the parent as a problem
        pipe.send(("failed", f"{type(error).__name__}: {error}"[:300]))


def read_bounded(reader, data: bytes, name: str, seconds: float | None = None,
                 memory: int | None = None):
    """`reader(data, name)` run in a child process: its result, or DataError naming `name`
    if it fails, runs past `seconds` or needs more than `memory` bytes."""
    seconds = READ_SECONDS if seconds is None else seconds
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_read_in_child, daemon=True,
                            args=(reader, data, name, memory or READ_MEMORY, sender))
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise DataError([Problem(name, "file", "-", f"reading took longer than "
                                     f"{seconds:g} s and was stopped: the file holds far more "
                                     f"than its size shows (empty rows, long texts, views)")])
        kind, value = receiver.recv()
    except EOFError:  # the child died without a word (killed by the system)
        kind, value = "failed", f"the reading process ended (exit code {child.exitcode})"
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    if kind == "table":
        return value
    if kind == "problems":
        raise DataError(value)
    message = (f"reading needs more than {(memory or READ_MEMORY) / 2**30:g} GB of memory"
               if kind == "memory" else f"cannot be read: {value}")
    raise DataError([Problem(name, "file", "-", message)])
