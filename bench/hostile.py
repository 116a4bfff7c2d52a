"""Hostile files under load: 20 users filter while 8 crafted uploads are previewed at once,
then 3 large valid layers are added, through the app's own callbacks under gunicorn. Reports
the other users' p95 against the same users with nobody importing, and the peak memory of
the server's workers and of their reading children."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

import ids
from bench.browser import ROOT
from bench.load import _wait_until_up, start_gunicorn
from bench.payloads import payload
from presence.loader import GEODATA
from tests.crafted import shared_string_workbook
from tests.kept import what_is_kept


def hostile_files() -> dict[str, bytes]:
    """Eight small files that each hold far more work or text than their size shows."""
    big_string = "x" * 4_000_000
    return {
        "shared-string.xlsx": shared_string_workbook(big_string, rows=2_000, columns=40),
        "long-label.xlsx": shared_string_workbook("y" * 1_000_000, rows=200, columns=3),
        "header.csv": b"a," * 5_000_000 + b"a\n1\n",
        "commas.csv": b"name,lat,lon\n" + b"," * 10_000_000 + b"\n",
        "problems.csv": b"name,lat,lon\n" + b"x,95,200\n" * 1_000_000,
        "cells.csv": b",".join(b"c%d" % n for n in range(400)) + b"\n"
                     + (b"1," * 399 + b"1\n") * 12_000,
        "nested.geojson": b'{"type":"FeatureCollection","features":' + b"[" * 100_000
                          + b"]" * 100_000 + b"}",
        "not-a-gpkg.gpkg": b"SQLite format 3\x00" + b"\x00" * 1_000_000,
    }


def valid_workbook(rows: int, seed: int) -> bytes:
    """A large valid layer: rows of 43 numeric columns at towns of the western Indian Ocean."""
    import openpyxl

    rng = random.Random(seed)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["name", "category", "lat", "lon"] + [f"v{n}" for n in range(39)])
    towns = [(55.45, -4.62), (57.5, -20.16), (47.52, -18.91), (39.27, -6.8), (43.1, 11.6)]
    for number in range(rows):
        lon, lat = rng.choice(towns)
        sheet.append([f"Session {number}", f"Kind {number % 5}", round(lat, 2), round(lon, 2)]
                     + [number % 97] * 39)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure_hostile(quick: bool) -> dict:
    """Four phases with the same users filtering: nobody importing; 8 hostile previews at
    once; 3 large valid layers added (1 in a quick run); nobody importing again, with the
    new layers in (the data set the users now filter is larger, so the adding phase is
    compared with it)."""
    users, idle_seconds = (3, 3) if quick else (20, 30)
    rows, workbooks = (500, 1) if quick else (30_000, 3)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "geodata"
        shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("imports", "build"))
        # A quick run stops the readings at 8 s, not 30: the same refusals, sooner.
        server, host = start_gunicorn(folder, {"DASHBOARD_IMPORT_READ_SECONDS": "8"}
                                      if quick else None)
        try:
            _wait_until_up(host, server)
            dependencies = json.loads(urllib.request.urlopen(host + "/_dash-dependencies").read())
            idle = _locust(host, users, idle_seconds)
            memory = _MemoryWatch(psutil.Process(server.pid))
            memory.start()
            attack: dict = {}
            phases = {}
            kept = [what_is_kept(folder)]
            for phase, work in (("hostile", lambda: _previews(host, dependencies, attack)),
                                ("adding", lambda: _adds(host, dependencies, attack, [
                                    valid_workbook(rows, seed) for seed in range(workbooks)]))):
                worker = threading.Thread(target=work)
                started = time.monotonic()
                worker.start()
                readings_before = len(memory.readers)
                phases[phase] = {**_locust(host, users, 0, until=worker),
                                 "seconds": round(time.monotonic() - started, 1)}
                phases[phase]["readings"] = len(memory.readers) - readings_before
                kept.append(what_is_kept(folder))
            memory.stop()
            after = _locust(host, users, idle_seconds)
        finally:
            server.terminate()
            server.wait(timeout=60)
    return {"users": users, "idle": idle, "while_previewing": phases["hostile"],
            "while_adding": phases["adding"], "idle_with_layers": after,
            "previewing_p95_ratio": round(phases["hostile"]["p95_ms"] / max(idle["p95_ms"], 1), 2),
            "adding_p95_ratio": round(phases["adding"]["p95_ms"] / max(after["p95_ms"], 1), 2),
            "target_p95_ratio": 2.0, "rows_per_layer": rows, **attack,
            "nothing_lost": _nothing_lost(*kept),
            "peak_memory_mb": memory.peaks()}


def _nothing_lost(before: dict, previewed: dict, added: dict) -> dict:
    """Whether the hostile previews changed nothing the folder keeps, and whether the adds
    kept every layer, briefing and record there was beside their new layers."""
    return {"previews_changed_nothing": previewed == before,
            "adds_kept_the_rest": before["briefings"] == added["briefings"]
            and before["layers"].items() <= added["layers"].items()
            and added["records"] > before["records"],
            "layer_files_added": len(added["layers"]) - len(before["layers"])}


def _post(host: str, callback: dict, values: dict, changed: str) -> tuple[int, float, str]:
    body = json.dumps(payload(callback, values, changed)).encode()
    request = urllib.request.Request(host + "/_dash-update-component", data=body,
                                     headers={"Content-Type": "application/json"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            status, text = answer.status, answer.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode(errors="replace")
    return status, round(time.monotonic() - started, 1), text


def _upload(name: str, data: bytes) -> dict:
    return {f"{ids.IMPORT_UPLOAD}.contents": "data:application/octet-stream;base64,"
            + base64.b64encode(data).decode(), f"{ids.IMPORT_UPLOAD}.filename": name,
            f"{ids.URL}.search": ""}


def _previews(host: str, dependencies: list[dict], out: dict) -> None:
    """The 8 hostile files dropped on the panel at once."""
    preview = next(d for d in dependencies if f"{ids.IMPORT_PREVIEW}.children" in d["output"])
    time.sleep(3)
    files = hostile_files()
    with ThreadPoolExecutor(len(files)) as pool:
        answers = list(pool.map(lambda item: _post(host, preview, _upload(*item),
                                                   f"{ids.IMPORT_UPLOAD}.contents"),
                                files.items()))
    out["hostile"] = [{"file": name, "bytes": len(data), "status": status, "seconds": seconds,
                       "refused": "import-error" in text}
                      for (name, data), (status, seconds, text) in zip(files.items(), answers)]


def _adds(host: str, dependencies: list[dict], out: dict, valid: list[bytes]) -> None:
    """The valid workbooks added one after the other, as a user clicks "Add to the map"."""
    change = next(d for d in dependencies if f"{ids.IMPORTS_CHANGED}.data" in d["output"])
    time.sleep(3)
    out["added"] = []
    for number, data in enumerate(valid):
        values = {**_upload(f"sessions-{number}.xlsx", data), f"{ids.IMPORT_ADD}.n_clicks": 1,
                  f"{ids.IMPORT_NAME}.value": f"Sessions {number}",
                  f"{ids.IMPORT_LABEL}.value": "name", f"{ids.IMPORT_CATEGORY}.value": "category",
                  f"{ids.IMPORT_SOURCE}.value": "bench"}
        status, seconds, text = _post(host, change, values, f"{ids.IMPORT_ADD}.n_clicks")
        told = _status_told(text)
        out["added"].append({"bytes": len(data), "status": status, "seconds": seconds,
                             "added": status == 200 and told.startswith("Added"),
                             "told": told[:300]})


def _status_told(answer: str) -> str:
    """The import panel's status in a callback's answer: "Added “…”: N records." or
    "Not added: why"; else the answer's start."""
    try:
        return json.loads(answer)["response"][ids.IMPORT_STATUS]["children"]
    except (ValueError, KeyError, TypeError):
        return answer[:300]


def _locust(host: str, users: int, seconds: int, until: threading.Thread | None = None) -> dict:
    """Filter changes by `users` for `seconds`, or for as long as `until` runs (+3 s)."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "locust"
        command = [sys.executable, "-m", "locust", "-f", "bench/locustfile.py",
                   "BriefingOfficer", "--headless", "-u", str(users), "-r", str(users),
                   "--host", host, "--csv", str(prefix), "--only-summary", "--stop-timeout", "10"]
        if until is None:
            subprocess.run(command + ["-t", f"{seconds}s"], cwd=ROOT, capture_output=True,
                           timeout=seconds + 120, check=False)
        else:
            stop = Path(folder) / "stop"
            running = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL,
                                       env={**os.environ, "BENCH_STOP_FILE": str(stop)})
            until.join()
            time.sleep(3)
            stop.touch()  # locust quits and writes its results (bench/locustfile.py)
            try:
                running.wait(timeout=60)
            except subprocess.TimeoutExpired:
                # Left running, it would load the machine through every later section (it
                # did once, at 20 % of a core until killed by hand).
                running.kill()
                running.wait()
                raise
        with open(f"{prefix}_stats.csv", newline="") as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "filter callback")
    return {"requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
            "median_ms": float(row["50%"]), "p95_ms": float(row["95%"])}


class _MemoryWatch:
    """The largest RSS seen of the server's workers (each) and of the reading children (in
    all), sampled every 0.2 s."""

    def __init__(self, master: psutil.Process):
        self.master, self.workers, self.children = master, 0.0, 0.0
        self.readers: set[int] = set()  # every reading child seen: the readings done
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            try:
                workers = self.master.children()
                self.workers = max([self.workers] + [w.memory_info().rss / 1e6 for w in workers])
                readers = [c for w in workers for c in w.children(recursive=True)
                           if "presence.bounded" in " ".join(c.cmdline())]
                self.children = max(self.children, sum(c.memory_info().rss / 1e6
                                                       for c in readers))
                self.readers.update(c.pid for c in readers)
            except psutil.Error:
                continue

    def peaks(self) -> dict:
        return {"largest_worker": round(self.workers), "reading_children_in_all":
                round(self.children)}


if __name__ == "__main__":
    print(json.dumps(measure_hostile("--quick" in sys.argv), indent=2))
