"""Concurrency: the app under gunicorn with several workers on 127.0.0.1, and locust's
simulated users changing filters for a bounded time."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.browser import ROOT, free_port

WORKERS = 3  # 2 cores: one more than the cores, as gunicorn's docs suggest a little above
# Threads per worker: a request waiting on a child process (an imported file being read)
# or on Chromium (an export) holds a thread, not the whole worker, as the README advises.
THREADS = 4


def start_gunicorn(data: Path, settings: dict | None = None) -> tuple[subprocess.Popen, str]:
    """gunicorn serving the app on `data` on a free port of 127.0.0.1 (with `settings` in
    its environment), and its URL."""
    port = free_port()
    env = {**os.environ, "DASHBOARD_DATA": str(data), **(settings or {})}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(WORKERS),
                               "--threads", str(THREADS), "-b", f"127.0.0.1:{port}",
                               "--timeout", "120", "app:server"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    return server, f"http://127.0.0.1:{port}"


def measure_load(data: Path, users: int, seconds: int) -> dict:
    server, host = start_gunicorn(data)
    try:
        _wait_until_up(host, server)
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "locust"
            subprocess.run([sys.executable, "-m", "locust", "-f", "bench/locustfile.py",
                            "BriefingOfficer", "--headless", "-u", str(users), "-r", str(users), "-t", f"{seconds}s",
                            "--host", host, "--csv", str(prefix), "--only-summary",
                            "--stop-timeout", "10"],
                           cwd=ROOT, check=False, capture_output=True, timeout=seconds + 120)
            with open(f"{prefix}_stats.csv", newline="") as handle:
                row = next(r for r in csv.DictReader(handle) if r["Name"] == "filter callback")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"users": users, "seconds": seconds, "workers": WORKERS, "threads": THREADS,
            "requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
            "requests_per_s": float(row["Requests/s"]),
            "median_ms": float(row["50%"]), "p95_ms": float(row["95%"])}


def _wait_until_up(host: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 300
    while True:
        try:
            urllib.request.urlopen(host + "/", timeout=5)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.5)
