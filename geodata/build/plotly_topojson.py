"""Rebuild assets/topojson/world_{110m,50m}.json, the base maps Plotly geo subplots load.

plotly.js fetches them from a CDN unless told otherwise, which an air-gapped machine cannot
reach. The npm tarball of the plotly.js release that the installed plotly package bundles
ships them inside dist/plotly-geo-assets.js; this script takes that tarball with `npm pack`
and pulls the topojson objects out with Node's `vm` module (loading the file in a page
would replace window.Plotly). Usage: python geodata/build/plotly_topojson.py
"""

from __future__ import annotations

import json
import re
import subprocess
import tarfile
from pathlib import Path

import plotly

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "plotly-js"
OUTPUT = ROOT / "assets" / "topojson"
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


def geo_assets_file(version: str) -> Path:
    target = CACHE / version / "plotly-geo-assets.js"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "pack", f"plotly.js@{version}"], cwd=target.parent, check=True)
    with tarfile.open(target.parent / f"plotly.js-{version}.tgz") as archive:
        member = archive.extractfile("package/dist/plotly-geo-assets.js")
        target.write_bytes(member.read())
    return target


def main() -> None:
    version = bundled_plotly_js_version()
    source = geo_assets_file(version)
    result = subprocess.run(["node", "-e", EXTRACT_JS, str(source)], capture_output=True,
                            text=True, check=True)
    topojson = json.loads(result.stdout)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for name in MAPS:
        path = OUTPUT / f"{name}.json"
        path.write_text(json.dumps(topojson[name], separators=(",", ":")), encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} KB) from plotly.js {version}")


if __name__ == "__main__":
    main()
