#!/bin/sh
# Install the dashboard from this bundle's wheels, with no network: a virtual environment
# in .venv beside this script. Needs CPython 3.11 (Debian 12's python3, with python3-venv).
# Exports also need Chromium (Debian's `chromium`, from the organisation's mirror).
#   sh install-offline.sh          then: .venv/bin/python app.py
set -eu
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else
"Python 3.11 is needed: set PYTHON to its path")'
"$PYTHON" -m venv .venv
# --isolated: no pip.conf or PIP_* variable may send pip to an index; --no-index: only the
# wheels of the bundle.
.venv/bin/python -m pip install --isolated --quiet --no-index --find-links wheels \
    -r requirements.txt
command -v chromium >/dev/null 2>&1 || echo "Note: no chromium found: the map shows, but" \
    "exports need Debian's chromium package (the organisation's mirror)."
echo "Installed. Run: .venv/bin/python app.py   (then open http://127.0.0.1:8050)"
