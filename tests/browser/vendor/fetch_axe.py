"""Rebuild tests/browser/vendor/axe.min.js from npm `axe-core` (MPL-2.0), the accessibility
engine the browser tests inject into the page. Needs npm: `python tests/browser/vendor/fetch_axe.py`.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "geodata" / "build"))

from plotly_assets import npm_file  # noqa: E402

VERSION = "4.14.1"

if __name__ == "__main__":
    source = npm_file("axe-core", VERSION, "axe.min.js")
    target = Path(__file__).with_name("axe.min.js")
    shutil.copyfile(source, target)
    print(f"wrote {target} ({target.stat().st_size / 1e3:.0f} KB) from axe-core {VERSION}")
