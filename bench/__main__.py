"""Run the benchmark suite and write bench/results/latest.json and latest.md.

    python -m bench            # the full suite (about 10 minutes on 2 cores)
    python -m bench --quick    # a tiny run that only checks the suite still works
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.browser import measure_page, served
from bench.export import measure_export
from bench.imports import measure_imports
from bench.load import measure_load
from bench.naive_app import create_naive_app
from bench.report import markdown
from bench.server import measure_callbacks, measure_startup
from bench.soak import measure_soak, memory_growth
from bench.synthetic import generate
from presence.loader import GEODATA

RESULTS = Path(__file__).resolve().parent / "results"


def run(quick: bool, out: Path) -> dict:
    from app import create_app

    sizes = [50] if quick else [1_000, 10_000, 50_000]
    changes = 3 if quick else 30
    naive_changes = 2 if quick else 10
    loads = [(2, 3)] if quick else [(20, 30), (50, 30)]
    results = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "machine": {"python": platform.python_version(), "cpus": _cpus()},
               "quick": quick, "datasets": [], "naive": {}, "load": [],
               "export": {}}
    with tempfile.TemporaryDirectory() as scratch:
        folders = [("embedded", GEODATA)] + [
            (f"synthetic {size:,}", generate(size, Path(scratch) / f"geodata-{size}"))
            for size in sizes]
        for label, folder in folders:
            print(f"[bench] {label}: server", flush=True)
            entry = {"label": label, **measure_startup(folder)}
            many = entry["records"] > 20_000
            entry["callback"] = measure_callbacks(create_app(folder), 10 if many else changes)
            print(f"[bench] {label}: browser", flush=True)
            with served("ours", folder) as url:
                entry["browser"] = measure_page(url, min(changes, 10) if many else changes)
            results["datasets"].append(entry)

        print("[bench] naive baseline", flush=True)
        results["naive"]["callback"] = measure_callbacks(create_naive_app(GEODATA), naive_changes)
        with served("naive", GEODATA) as url:
            results["naive"]["browser"] = measure_page(url, naive_changes)

    print("[bench] imported layers", flush=True)
    results["imports"] = measure_imports(quick)
    print("[bench] export", flush=True)
    results["export"] = measure_export(GEODATA, quick)
    for users, seconds in loads:
        print(f"[bench] load: {users} users for {seconds} s", flush=True)
        results["load"].append(measure_load(GEODATA, users, seconds))
    users, seconds, kill_at = (4, 20, 10) if quick else (50, 120, 60)
    print(f"[bench] soak: {users} users filtering and exporting for {seconds} s, a worker "
          f"killed at {kill_at} s", flush=True)
    soak = measure_soak(GEODATA, users, seconds, kill_at)
    soak["growth"] = memory_growth(soak["memory"], soak["killed"].get("pid"))
    results["soak"] = soak
    results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (out / "latest.md").write_text(markdown(results), encoding="utf-8")
    return results


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny run: checks the suite works")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    args = parser.parse_args()
    started = time.monotonic()
    run(args.quick, args.out)
    print(f"[bench] done in {time.monotonic() - started:.0f} s: {args.out / 'latest.md'}")


if __name__ == "__main__":
    main()
