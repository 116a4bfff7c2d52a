"""Run the benchmark suite and write bench/results/latest.json and latest.md.

    python -m bench            # the full suite (about 10 minutes on 2 cores)
    python -m bench --quick    # a tiny run that only checks the suite still works
    python -m bench --quick --only export,soak   # some sections only (keys: SECTIONS)
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from bench.browser import measure_cards, measure_page, measure_presenting, served
from bench.export import measure_export
from bench.fuzz import measure_fuzz
from bench.hostile import measure_hostile
from bench.imports import measure_imports
from bench.load import measure_load
from bench.naive_app import create_naive_app
from bench.report import markdown, section_times
from bench.server import measure_callbacks, measure_startup
from bench.soak import measure_soak, memory_growth
from bench.store import measure_store, measure_time_to_map
from bench.synthetic import generate
from bench.team import measure_team
from presence.loader import GEODATA

RESULTS = Path(__file__).resolve().parent / "results"

# Each section's key for --only, in the order a run takes them. The test suite runs the quick
# run in a few groups of sections at once (tests/test_bench_smoke.py).
SECTIONS = ("embedded", "synthetic", "naive", "store", "time-to-map", "imports", "hostile",
            "team", "fuzz", "export", "load", "soak")


def run(quick: bool, out: Path, only: set[str] | None = None) -> dict:
    """Run every section (or those whose key is in `only`); one that fails is reported by
    name with its error and the others still run. Results are written after each section,
    so a run stopped half-way leaves what it measured."""
    from app import create_app

    sizes = [50] if quick else [1_000, 10_000, 50_000]
    changes = 3 if quick else 30
    naive_changes = 1 if quick else 10  # its callbacks take seconds each
    loads = [(2, 3)] if quick else [(20, 30), (50, 30)]
    results: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "machine": {"python": platform.python_version(), "cpus": _cpus()},
               "quick": quick, "datasets": [], "naive": {}, "load": [],
               "export": {}, "failures": [], "finished": None}

    if only is not None:
        results["only"] = sorted(only)

    def section(key: str, name: str, measure):
        if only is not None and key not in only:
            return None
        return run_section(results, out, name, measure)

    with tempfile.TemporaryDirectory() as scratch:
        folders = [("embedded", "embedded", GEODATA)] + [(
            "synthetic", f"synthetic {size:,}",
            lambda size=size: generate(size, Path(scratch) / f"geodata-{size}"))
            for size in sizes]
        for key, label, folder in folders:
            def measure_dataset(label=label, folder=folder):
                folder = folder if isinstance(folder, Path) else folder()
                print(f"[bench] {label}: server", flush=True)
                entry = {"label": label, **measure_startup(folder)}
                many = entry["records"] > 20_000
                entry["callback"] = measure_callbacks(create_app(folder), 10 if many else changes)
                if quick and label != "embedded":  # the same page code as the embedded data's
                    results["datasets"].append(entry)
                    return
                print(f"[bench] {label}: browser", flush=True)
                with served("ours", folder) as url:
                    entry["browser"] = measure_page(url, min(changes, 10) if many else changes)
                    if label == "embedded":
                        entry["presenting"] = measure_presenting(url, 3 if quick else 24)
                        entry["cards"] = measure_cards(url, 2 if quick else None)
                results["datasets"].append(entry)

            section(key, label, measure_dataset)

        def measure_naive():
            results["naive"]["callback"] = measure_callbacks(create_naive_app(GEODATA),
                                                             naive_changes)
            if quick:  # its page takes a minute to draw: the quick run checks the server side
                return
            with served("naive", GEODATA) as url:
                results["naive"]["browser"] = measure_page(url, naive_changes)

        section("naive", "naive baseline", measure_naive)

    results["store"] = section("store", "living data: a long history of changes",
                               lambda: measure_store(quick))
    results["time_to_map"] = section("time-to-map",
                                     "living data: how soon a change shows on the map",
                                     lambda: measure_time_to_map(2 if quick else 10))
    results["imports"] = section("imports", "imported layers", lambda: measure_imports(quick))
    results["hostile"] = section("hostile", "hostile files under load",
                                 lambda: measure_hostile(quick))
    results["team"] = section("team", "a team's load with a large layer",
                              lambda: measure_team(quick))
    # The quick run (the test suite's) replays CI's fixed examples in CI: searching belongs
    # to the full run.
    results["fuzz"] = section("fuzz", "fuzz", lambda: measure_fuzz(0.05 if quick else 5,
                                                                    search_anew=not quick))
    results["export"] = section("export", "export", lambda: measure_export(GEODATA, quick)) or {}
    for users, seconds in loads:
        load = section("load", f"load: {users} users for {seconds} s",
                       lambda users=users, seconds=seconds: measure_load(GEODATA, users, seconds))
        if load is not None:
            results["load"].append(load)
    users, seconds, kill_at = (3, 8, 4) if quick else (50, 120, 60)

    def measure_soak_section():
        soak = measure_soak(GEODATA, users, seconds, kill_at)
        soak["growth"] = memory_growth(soak["memory"], soak["killed"].get("pid"))
        return soak

    results["soak"] = section("soak", f"soak: {users} users filtering and exporting for {seconds} s, "
                              f"a worker killed at {kill_at} s", measure_soak_section)
    results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    write_results(results, out)
    return results


def run_section(results: dict, out: Path, name: str, measure):
    """Run one section: its value, or None with the failure recorded; the results so far
    are written either way."""
    print(f"[bench] {name}", flush=True)
    started = time.monotonic()
    try:
        return measure()
    except Exception as error:  # a section's failure must not lose the others' results
        traceback.print_exc()
        results["failures"].append({"section": name, "error": f"{type(error).__name__}: {error}"})
        return None
    finally:
        # What each section costs: where a run's (and the test suite's quick run's) time goes.
        results.setdefault("section_seconds", {})[name] = round(time.monotonic() - started, 1)
        write_results(results, out)


def write_results(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    try:
        report = markdown(results)
    except (KeyError, IndexError, TypeError):  # a section the full report needs is missing
        report = partial_markdown(results)
    else:
        report = failures_markdown(results) + report
    (out / "latest.md").write_text(report, encoding="utf-8")


def failures_markdown(results: dict) -> str:
    if not results["failures"] and results.get("finished"):
        return ""
    lines = [f"**Incomplete run** (started {results['started']}"
             f"{', not finished' if not results.get('finished') else ''}).", ""]
    lines += [f"- FAILED section *{f['section']}*: {f['error']}" for f in results["failures"]]
    return "\n".join(lines) + "\n\n"


def partial_markdown(results: dict) -> str:
    done = [d["label"] for d in results["datasets"]]
    return (f"# Benchmark results ({results['started']}, partial)\n\n"
            + failures_markdown(results)
            + f"Data sets measured: {', '.join(done) or 'none'}. Every figure measured so far "
              f"is in latest.json; the full report needs every section.\n"
            + "\n".join(section_times(results)) + "\n")


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny run: checks the suite works")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    parser.add_argument("--only", help="comma-separated keys of the sections to run: "
                        + ", ".join(SECTIONS))
    args = parser.parse_args()
    only = None if args.only is None else set(args.only.split(","))
    if only is not None and not only <= set(SECTIONS):
        parser.error(f"no section {', '.join(sorted(only - set(SECTIONS)))}; "
                     f"the sections: {', '.join(SECTIONS)}")
    started = time.monotonic()
    results = run(args.quick, args.out, only)
    print(f"[bench] done in {time.monotonic() - started:.0f} s: {args.out / 'latest.md'}")
    if results["failures"]:
        failed = ", ".join(f["section"] for f in results["failures"])
        raise SystemExit(f"[bench] failed sections: {failed}")


if __name__ == "__main__":
    main()
