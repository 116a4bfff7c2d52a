"""The soak test: gunicorn workers under filter changes and exports for minutes, one worker
killed halfway. Measures errors, memory per worker over time, and what the kill cost."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.browser import ROOT
from bench.load import WORKERS, _wait_until_up, start_gunicorn

SAMPLE_EVERY_S = 5


def _workers(master: psutil.Process) -> list[psutil.Process]:
    return [p for p in master.children() if "gunicorn" in " ".join(p.cmdline())
            or "app:server" in " ".join(p.cmdline())]


def _rss_mb(process: psutil.Process) -> tuple[float, float]:
    """The worker's own memory (RSS), and with its Chromium (export) processes counted by
    their proportional share (PSS: Chromium's processes share most of their pages, and
    adding their RSS would count those pages once per process)."""
    own = process.memory_info().rss
    family = process.memory_full_info().pss + sum(
        child.memory_full_info().pss for child in process.children(recursive=True))
    return own / 1e6, family / 1e6


def measure_soak(data: Path, users: int, seconds: int, kill_at: int) -> dict:
    before = _chromium()
    server, host = start_gunicorn(data)
    master = psutil.Process(server.pid)
    samples: list[dict] = []
    killed: dict = {}
    stop = threading.Event()

    def watch(started: float) -> None:
        while not stop.wait(SAMPLE_EVERY_S):
            at = round(time.monotonic() - started)
            try:
                workers = _workers(master)
                samples.append({"t": at, "workers": {
                    w.pid: dict(zip(("own_mb", "with_chromium_mb"), _rss_mb(w)))
                    for w in workers}})
                if not killed and at >= kill_at and workers:
                    # The worker with the most memory: the one running a Chromium for exports,
                    # whose processes must not outlive it.
                    victim = max(workers, key=lambda w: _rss_mb(w)[1])
                    killed.update(pid=victim.pid, t=at)
                    os.kill(victim.pid, signal.SIGKILL)
            except psutil.Error:
                continue  # a worker came or went while we looked

    try:
        _wait_until_up(host, server)
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "locust"
            watcher = threading.Thread(target=watch, args=(time.monotonic(),), daemon=True)
            watcher.start()
            subprocess.run([sys.executable, "-m", "locust", "-f", "bench/locustfile.py",
                            "BriefingOfficer", "ExportingOfficer", "--headless", "-u",
                            str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host,
                            "--csv", str(prefix), "--only-summary", "--stop-timeout", "30"],
                           cwd=ROOT, check=False, capture_output=True, timeout=seconds + 180)
            stop.set()
            watcher.join(10)
            with open(f"{prefix}_stats.csv", newline="") as handle:
                stats = {r["Name"]: r for r in csv.DictReader(handle)}
            with open(f"{prefix}_failures.csv", newline="") as handle:
                failures = [{"name": r["Name"], "error": r["Error"][:160],
                             "count": int(r["Occurrences"])} for r in csv.DictReader(handle)]
    finally:
        server.terminate()
        server.wait(timeout=60)
    # Chromium processes left once the server is gone (the killed worker's included): wait a
    # little for them to notice their parent is gone.
    deadline = time.monotonic() + 20
    while _chromium() - before and time.monotonic() < deadline:
        time.sleep(1)
    left = len(_chromium() - before)

    def summary(name: str) -> dict:
        row = stats.get(name, {})
        return {"requests": int(row.get("Request Count", 0)),
                "errors": int(row.get("Failure Count", 0)),
                "median_ms": float(row.get("50%", 0) or 0), "p95_ms": float(row.get("95%", 0) or 0)}

    return {"users": users, "seconds": seconds, "workers": WORKERS,
            "filters": summary("filter callback"), "exports": summary("export"),
            "failures": failures, "killed": killed, "memory": samples,
            "chromium_left_after_stop": left}


def _chromium() -> set[int]:
    return {p.pid for p in psutil.process_iter(["name"]) if "chrom" in (p.info["name"] or "")}


def memory_growth(samples: list[dict], killed_pid: int | None) -> dict:
    """For the workers that ran from start to end (not the killed one, nor the one started in
    its place, which is still warming up): own memory at mid-run and at the end, in MB, and
    the largest growth in that second half."""
    if len(samples) < 2:
        return {"workers": 0, "largest_growth_mb": 0.0, "largest_growth_pct": 0.0}
    first, middle, end = samples[0], samples[len(samples) // 2], samples[-1]
    grown = [(end["workers"][pid]["own_mb"] - middle["workers"][pid]["own_mb"],
              middle["workers"][pid]["own_mb"])
             for pid in first["workers"]
             if pid in middle["workers"] and pid in end["workers"] and pid != killed_pid]
    if not grown:
        return {"workers": 0, "largest_growth_mb": 0.0, "largest_growth_pct": 0.0}
    mb, base = max(grown)
    return {"workers": len(grown), "from_s": middle["t"], "to_s": end["t"],
            "largest_growth_mb": round(mb, 1), "largest_growth_pct": round(100 * mb / base, 1)}
