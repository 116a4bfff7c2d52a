"""The air-gapped install: the bundle `make bundle` builds is installed, served and exported
from inside a network namespace with no interface but loopback, as on a machine with no
network, and with no pip configuration to fall back on."""

import io
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]

# Run inside the namespace: install, serve, ask for the page and its layout, export a page.
STEPS = r"""
set -eu
ip link set lo up
sh install-offline.sh
.venv/bin/python app.py --port 8093 > server.log 2>&1 &
server=$!
trap 'kill $server' EXIT
.venv/bin/python - <<'PY'
import time, urllib.request
for _ in range(120):
    try:
        page = urllib.request.urlopen("http://127.0.0.1:8093/?lang=fr", timeout=5).read()
        layout = urllib.request.urlopen("http://127.0.0.1:8093/_dash-layout", timeout=30).read()
        break
    except OSError:
        time.sleep(0.5)
else:
    raise SystemExit("the dashboard did not answer")
assert b'lang="fr"' in page and b"filter-themes" in layout, page[:300]
print("served", len(page), len(layout))
PY
.venv/bin/python app.py export --view "theme=maritime-security&region=indian-ocean" \
    --format png --size a5-landscape --dpi 100 -o map.png
"""


def test_the_bundle_installs_serves_and_exports_with_no_network(tmp_path):
    archive = tmp_path / "dashboard-offline.tar.gz"
    built = subprocess.run(["bash", "offline/build-bundle.sh", str(archive)], cwd=ROOT,
                           capture_output=True, text=True, timeout=600,
                           env={"PATH": "/usr/bin:/bin", "PYTHON": sys.executable,
                                "HOME": str(tmp_path)})
    assert built.returncode == 0, built.stderr[-2000:]
    with tarfile.open(archive) as bundle:
        names = bundle.getnames()
        assert "dashboard/install-offline.sh" in names and "dashboard/app.py" in names
        assert sum(name.endswith(".whl") for name in names) > 40
        bundle.extractall(tmp_path, filter="data")
    folder = tmp_path / "dashboard"
    # Nothing of this machine's: no pip configuration, no PIP_* variable, a bare PATH.
    bare = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path),
            "PYTHON": sys.executable, "PIP_CONFIG_FILE": "/dev/null"}
    done = subprocess.run(["unshare", "--net", "sh", "-c", STEPS], cwd=folder, env=bare,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-3000:],
                                  (folder / "server.log").read_text()[-2000:]
                                  if (folder / "server.log").exists() else "")
    assert "served" in done.stdout
    image = Image.open(io.BytesIO((folder / "map.png").read_bytes())).convert("L")
    assert image.size[0] > 700
    assert np.unique(np.asarray(image)).size > 50  # a drawn page, not a blank one
