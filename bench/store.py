"""Living data under a long history: the view callback on a store holding 10,000 changes
against one holding none (the data as shipped), measured alternately in the same run and
compared as a ratio; and what a change, a history and a past day's data cost then.

    python -m bench.store [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.server import measure_callbacks
from presence.loader import GEODATA

CHANGES = 10_000


def with_history(folder: Path, changes: int, seed: int = 3):
    """A store in `folder` whose history holds `changes` edits of records' descriptions,
    made over the past year (written straight into the tables: the fixture of a long
    history, not a test of the checks, which every change passes through in the app)."""
    from presence.store import ChangeRequest, Store
    from presence.store import tables as t
    from presence.store.change import SourceRef

    store = Store(folder)
    rng = random.Random(seed)
    rows = {row["id"]: row for row in store.rows()}
    ids = sorted(rows)
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=365)
    with store.engine.execution_options(writing=True).begin() as connection:
        for number in range(1, changes + 1):
            record_id = rng.choice(ids)
            before = rows[record_id]
            after = dict(before, description=before["description"].split(" (rev")[0]
                         + f" (rev {number})")
            request = ChangeRequest(record=record_id, why=f"bench change {number}",
                                    source=SourceRef(document="fs05", section="bench",
                                                     quote="bench"))
            store._write(connection, before, after, request, "bench", "edit", None)
            rows[record_id] = after
        # Spread over the year, in order.
        for number in range(1, changes + 1):
            made = start + dt.timedelta(minutes=number * 365 * 24 * 60 / changes)
            connection.execute(t.changes.update().where(t.changes.c.number == number).values(
                made_at=made.strftime("%Y-%m-%dT%H:%M:%S.%fZ")))
    store.flush()
    return store


def _timed(action, repeat: int) -> float:
    """The median seconds of `repeat` runs of `action`."""
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def measure_store(quick: bool = False) -> dict:
    from app import create_app
    from presence.store import parse_change

    changes = 200 if quick else CHANGES
    rounds, per_round = (2, 3) if quick else (6, 20)
    with tempfile.TemporaryDirectory() as scratch:
        shipped, long = Path(scratch) / "shipped", Path(scratch) / "long"
        for folder in (shipped, long):
            shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("store*.gpkg*",
                                                                          "imports"))
        started = time.perf_counter()
        store = with_history(long, changes)
        made = time.perf_counter() - started
        apps = {"shipped": create_app(shipped), "long": create_app(long)}
        medians: dict[str, list[float]] = {"shipped": [], "long": []}
        for _ in range(rounds):  # alternated, so that a busy spell weighs on both
            for name, app in apps.items():
                medians[name].append(measure_callbacks(app, per_round)["seconds"]["median"])
        shipped_ms = min(medians["shipped"]) * 1000
        long_ms = min(medians["long"]) * 1000
        middle = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=180)).date().isoformat()
        nema = ("An advisor is also seconded to the Director of the Mongolian Emergency "
                "Management Agency (NEMA).")
        counter = iter(range(1_000_000))

        def one_change():
            store.apply(parse_change({"record": "fs05-nema-advisor", "set": {
                "description": f"Seconded to NEMA (bench {next(counter)})."}, "why": "bench",
                "source": {"document": "fs05", "section": "bench", "quote": nema}}, "bench"),
                "bench")

        measured = {
            "changes": changes,
            "history_made_seconds": round(made, 1),
            "view_callback_ms": {"shipped": round(shipped_ms, 1), "long_history": round(long_ms, 1),
                                 "ratio": round(long_ms / shipped_ms, 3),
                                 "medians_ms": {k: [round(v * 1000, 1) for v in values]
                                                for k, values in medians.items()}},
            "change_ms": round(_timed(one_change, 3 if quick else 10) * 1000, 1),
            "history_of_record_ms": round(_timed(
                lambda: store.history("fs05-nema-advisor", limit=200), 10) * 1000, 2),
            "latest_changes_ms": round(_timed(lambda: store.history(limit=20), 10) * 1000, 2),
            "number_ms": round(_timed(store.number, 50) * 1000, 3),
            "records_as_of_ms": round(_timed(lambda: store.rows(as_of=middle), 5) * 1000, 1),
            "dataset_as_of_ms": round(_timed(lambda: store.dataset(middle), 3) * 1000, 1),
            "file_mb": round(store.path.stat().st_size / 1e6, 1),
        }
        store.flush()  # its records layer written before the folder is removed
        return measured


def measure_time_to_map(changes: int = 10) -> dict:
    """How soon a change shows on the map: two app servers on one store (a GeoPackage file
    here; a team's PostgreSQL is shared the same way), a change saved through the edit
    form's request on the first; then each server's view callback is asked, as an open page
    asks after a change (with the version of the data the page was built on), until its
    answer carries the new data (the map sent whole on it). Seconds from the save's request.
    A page's first load after a change also builds the new page: measured apart."""
    import urllib.request

    import ids
    from bench.browser import served
    from bench.payloads import layout_prop, payload, save_body, view_callback
    from presence.store import Store

    def ask(url: str, path: str, body: dict | None = None):
        request = urllib.request.Request(f"{url}{path}", data=json.dumps(body).encode()
                                         if body is not None else None,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.loads(answer.read())

    def map_shows(url: str, view: dict, seen: str, since: float) -> float:
        """Seconds until the view callback answers on data other than `seen`."""
        while True:
            answer = ask(url, "_dash-update-component", view)
            version = answer["response"].get(ids.DATA_VERSION, {}).get("data", seen)
            if version != seen:
                return time.perf_counter() - since
            if time.perf_counter() - since > 30:
                raise RuntimeError(f"{url} still draws version {seen} after 30 s")
            time.sleep(0.02)

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "geodata"
        shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("store*.gpkg*", "imports"))
        found: dict[str, list[float]] = {"saved": [], "same_server": [], "other_server": [],
                                         "page_after_change": []}
        with served("ours", folder, editor="bench") as first, \
                served("ours", folder, editor="bench") as second:
            store, dependencies = Store(folder), ask(first, "_dash-dependencies")
            record = "fs05-ndmo-vanuatu-expert"
            for number in range(1, changes + 1):
                seen = layout_prop(ask(first, "_dash-layout"), ids.DATA_VERSION, "data") or ""
                ask(second, "_dash-layout")
                view = payload(view_callback(dependencies),
                               {f"{ids.URL}.search": "", f"{ids.DATA_VERSION}.data": seen},
                               f"{ids.URL}.search")
                body = save_body(dependencies, {"mode": "edit", "record": record,
                                                "version": store.version_of(record)},
                                 [("description", f"Seconded to the NDMO (bench {number}).")])
                started = time.perf_counter()
                answer = ask(first, "_dash-update-component", body)
                assert f"Change {number} saved." in json.dumps(answer)
                found["saved"].append(time.perf_counter() - started)
                found["same_server"].append(map_shows(first, view, seen, started))
                found["other_server"].append(map_shows(second, view, seen, started))
                loaded = time.perf_counter()
                ask(first, "_dash-layout")
                found["page_after_change"].append(time.perf_counter() - loaded)
    targets = {"same_server": 1000, "other_server": 2000}
    return {"changes": changes} | {
        name: {"median_ms": round(statistics.median(values) * 1000),
               "max_ms": round(max(values) * 1000)}
        | ({"target_ms": targets[name]} if name in targets else {})
        for name, values in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print(json.dumps({**measure_store(args.quick),
                      "time_to_map": measure_time_to_map(3 if args.quick else 10)}, indent=1))


if __name__ == "__main__":
    main()
