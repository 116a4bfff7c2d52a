"""What the dashboard sends and draws for a set of sample views, saved to compare a change
that should alter nothing (a refactoring) with the code before it.

    python -m bench.snapshot save /tmp/before        # on the old code
    python -m bench.snapshot save /tmp/after         # on the new code
    python -m bench.snapshot compare /tmp/before /tmp/after

Saved through the app's own HTTP routes, as a browser asks for them, so that the snapshot
does not depend on how the code inside is arranged: the page's layout in both languages, the
callbacks' graph, the view callback's answer for sample URLs and control changes, the answer
to a resize, and exported pages (PNG, compared pixel by pixel).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageChops

import ids
from bench.payloads import payload, view_callback

# URLs a briefing officer opens: the world, filters, regions, selections, French, presenting.
SAMPLE_SEARCHES = [
    "",
    "?theme=maritime-security",
    "?region=indian-ocean",
    "?region=pacific&lang=fr",
    "?theme=domestic-security,civil-security&region=south-east-asia",
    "?selected=country:IND",
    "?selected=country:MDG&lang=fr",
    "?layer=coverage-zone",
    "?theme=none",
    "?present=1&region=indian-ocean",
    "?year=2015-2020&lang=fr",
    "?attested=2023",
]
# Control changes, each from the world view: (which control, its new value).
SAMPLE_CLICKS = [
    (f"{ids.THEMES}.value", ["maritime-security"]),
    (f"{ids.REGION}.value", "indian-ocean"),
    (f"{ids.LAYERS}.value", ["embassy-post", "school", "sea-area"]),
]
ROOM = {"width": 1200, "height": 700}
# Exported pages: (query, country or None).
SAMPLE_PAGES = [("", None), ("?region=indian-ocean&lang=fr", None),
                ("?theme=maritime-security&region=pacific", None), ("", "MDG")]


def _json(response) -> Any:
    assert response.status_code == 200, (response.status_code, response.data[:300])
    return json.loads(response.data)


def save(folder: Path) -> None:
    from app import create_app
    from export.exporter import Exporter, ExportRequest
    from export.page import PAGES
    from presence.loader import load_dataset

    folder.mkdir(parents=True, exist_ok=True)
    app = create_app()
    client = app.server.test_client()
    dataset = load_dataset()  # the data the app serves: the embedded set, nothing imported
    for lang in ("en", "fr"):
        layout = _json(client.get("/_dash-layout",
                                  headers={"Referer": f"http://localhost/?lang={lang}"}))
        _write(folder / f"layout-{lang}.json", layout)
    dependencies = _json(client.get("/_dash-dependencies"))
    _write(folder / "dependencies.json", sorted(dependencies, key=lambda d: d["output"]))
    callback = view_callback(dependencies)
    state = {f"{ids.MAP_SIZE}.data": ROOM, f"{ids.DATA_VERSION}.data": dataset.version}
    answers = {}
    for search in SAMPLE_SEARCHES:
        body = payload(callback, state | {f"{ids.URL}.search": search}, f"{ids.URL}.search")
        answers[f"url {search}"] = _json(client.post("/_dash-update-component", json=body))
    every = {f"{ids.THEMES}.value": list(dataset.themes.index), f"{ids.REGION}.value": "world",
             f"{ids.LAYERS}.value": sorted(set(dataset.records["layer"]))}
    for control, value in SAMPLE_CLICKS:
        body = payload(callback, state | every | {f"{ids.URL}.search": "", control: value},
                       control)
        answers[f"click {control} {value}"] = _json(
            client.post("/_dash-update-component", json=body))
    resize = next(d for d in dependencies if d["inputs"][0]["id"] == ids.MAP_SIZE
                  and f"{ids.MAP}.figure" in d["output"])
    body = payload(resize, state | {f"{ids.MAP_SIZE}.data": {"width": 800, "height": 900},
                                    f"{ids.URL}.search": "?region=indian-ocean"},
                   f"{ids.MAP_SIZE}.data")
    answers["resize"] = _json(client.post("/_dash-update-component", json=body))
    _write(folder / "view-answers.json", answers)

    exporter = Exporter(dataset)
    requests = [ExportRequest(query=query, fmt="png", page=PAGES["a4-landscape"], dpi=96,
                              country=country) for query, country in SAMPLE_PAGES]
    for number, image in enumerate(exporter.export_many(requests)):
        if isinstance(image, Exception):
            raise image
        (folder / f"page-{number}.png").write_bytes(image)
    print(f"saved {len(answers)} answers, 2 layouts and {len(requests)} pages in {folder}")


def _write(path: Path, value) -> None:
    path.write_text(json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def compare(before: Path, after: Path) -> int:
    """Prints what differs; exit 1 if anything does."""
    differences = 0
    for old in sorted(before.glob("*.json")):
        new = after / old.name
        if old.read_text() != (new.read_text() if new.exists() else ""):
            differences += 1
            print(f"{old.name}: differs")
            _first_differences(json.loads(old.read_text()),
                               json.loads(new.read_text()) if new.exists() else None)
    for old in sorted(before.glob("*.png")):
        a = Image.open(io.BytesIO(old.read_bytes())).convert("RGB")
        b = Image.open(after / old.name).convert("RGB")
        if a.size != b.size:
            differences += 1
            print(f"{old.name}: size {a.size} → {b.size}")
            continue
        box = ImageChops.difference(a, b).getbbox()
        if box:
            differences += 1
            changed = int((np.asarray(ImageChops.difference(a, b)) != 0).any(axis=2).sum())
            print(f"{old.name}: {changed} pixels differ, within {box}")
    print("identical" if not differences else f"{differences} files differ")
    return 1 if differences else 0


def _first_differences(a, b, path: str = "", shown: list | None = None) -> None:
    """The first few paths at which two JSON values differ."""
    shown = [] if shown is None else shown
    if len(shown) >= 8:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            _first_differences(a.get(key), b.get(key), f"{path}.{key}", shown)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b)):
            _first_differences(x, y, f"{path}[{index}]", shown)
    elif a != b:
        shown.append(path)
        print(f"  {path}: {json.dumps(a)[:120]} → {json.dumps(b)[:120]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("save").add_argument("folder", type=Path)
    both = commands.add_parser("compare")
    both.add_argument("before", type=Path)
    both.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "save":
        save(args.folder)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
