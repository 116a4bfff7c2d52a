"""Rebuild assets/ag-grid-locale-fr.json: the records table's own French texts ("Aucune
ligne à afficher", its filters' and menus' words), from AG Grid's locale package
(@ag-grid-community/locale, MIT) at the release of the grid that the installed dash-ag-grid
bundles. The table reads it as its `localeText` on French pages (layout.py).

Usage: python geodata/build/grid_locale.py  (needs npm and node)
"""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import dash_ag_grid

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "ag-grid-locale"
TARGET = ROOT / "assets" / "ag-grid-locale-fr.json"
PRINT_FRENCH = ('const m = require(process.argv[1]); '
                'process.stdout.write(JSON.stringify(m.AG_GRID_LOCALE_FR));')


def bundled_grid_version() -> str:
    info = Path(dash_ag_grid.__file__).parent / "package-info.json"
    return json.loads(info.read_text(encoding="utf-8"))["dependencies"]["ag-grid-community"]


def main() -> None:
    version = bundled_grid_version().lstrip("^~")
    folder = CACHE / version
    folder.mkdir(parents=True, exist_ok=True)
    package = "@ag-grid-community/locale"
    subprocess.run(["npm", "pack", f"{package}@{version}"], cwd=folder, check=True)
    with tarfile.open(folder / f"ag-grid-community-locale-{version}.tgz") as archive:
        archive.extract("package/dist/package/main.cjs.js", folder, filter="data")
    found = subprocess.run(["node", "-e", PRINT_FRENCH,
                            str(folder / "package" / "dist" / "package" / "main.cjs.js")],
                           capture_output=True, text=True, check=True)
    locale = json.loads(found.stdout)
    TARGET.write_text(json.dumps(locale, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"wrote {TARGET} ({len(locale)} texts) from {package} {version}")


if __name__ == "__main__":
    main()
