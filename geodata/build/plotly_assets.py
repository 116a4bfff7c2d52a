"""Rebuild the plotly.js files the browser loads from assets/, for the plotly.js release that
the installed plotly package bundles (so figures built in Python match the browser's library):

- assets/topojson/world_{110m,50m}.json, the base maps Plotly geo subplots load. plotly.js
  fetches them from a CDN unless told otherwise, which an air-gapped machine cannot reach.
  The npm tarball of plotly.js ships them inside dist/plotly-geo-assets.js; they are pulled
  out with Node's `vm` module (loading that file in a page would replace window.Plotly).
- assets/plotly-geo.min.js, the geo-only bundle (npm plotly.js-geo-dist-min, 1.4 MB instead
  of the full 4.8 MB): the dashboard draws only geo traces.
- assets/plotly-locale-fr.js, plotly.js's own French locale (dist/plotly-locale-fr.js): the
  toolbar's tooltips and the number formats (decimal comma) of the French page. It loads
  after the bundle (Dash loads assets in name order) and registers itself with Plotly.

Usage: python geodata/build/plotly_assets.py
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import plotly

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "plotly-js"
ASSETS = ROOT / "assets"
OUTPUT = ASSETS / "topojson"
MAPS = ("world_110m", "world_50m")

EXTRACT_JS = """
const vm = require("vm"), fs = require("fs");
const sandbox = {window: {}, module: {exports: {}}};
sandbox.self = sandbox.window;
vm.runInNewContext(fs.readFileSync(process.argv[1], "utf8"), sandbox);
const assets = sandbox.module.exports.topojson ? sandbox.module.exports : sandbox.window.Plotly;
process.stdout.write(JSON.stringify(assets.topojson));
"""


def bundled_plotly_js_version() -> str:
    bundle = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    header = bundle.read_text(encoding="utf-8")[:200]
    return re.search(r"plotly\.js v(\d+\.\d+\.\d+)", header).group(1)


def npm_file(package: str, version: str, member: str) -> Path:
    """One file of an npm package's tarball, fetched with `npm pack` into the cache."""
    target = CACHE / version / package / Path(member).name
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "pack", f"{package}@{version}"], cwd=target.parent, check=True)
    with tarfile.open(target.parent / f"{package}-{version}.tgz") as archive:
        target.write_bytes(archive.extractfile(f"package/{member}").read())
    return target


def main() -> None:
    version = bundled_plotly_js_version()
    source = npm_file("plotly.js", version, "dist/plotly-geo-assets.js")
    result = subprocess.run(["node", "-e", EXTRACT_JS, str(source)], capture_output=True,
                            text=True, check=True)
    topojson = json.loads(result.stdout)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for name in MAPS:
        path = OUTPUT / f"{name}.json"
        path.write_text(json.dumps(topojson[name], separators=(",", ":")), encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} KB) from plotly.js {version}")
    bundle = ASSETS / "plotly-geo.min.js"
    shutil.copyfile(npm_file("plotly.js-geo-dist-min", version, "plotly-geo.min.js"), bundle)
    print(f"wrote {bundle} ({bundle.stat().st_size / 1e6:.1f} MB)")
    locale = ASSETS / "plotly-locale-fr.js"
    shutil.copyfile(npm_file("plotly.js", version, "dist/plotly-locale-fr.js"), locale)
    print(f"wrote {locale} ({locale.stat().st_size / 1e3:.1f} KB)")


if __name__ == "__main__":
    main()
