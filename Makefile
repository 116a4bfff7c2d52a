# `make run` serves the dashboard; `make test` installs everything, checks the code (lint)
# and runs the whole suite; `make test-fast` runs the quick part of it.
PYTHON ?= python3

.PHONY: run install lint test test-fast geodata bundle

run:
	$(PYTHON) -m pip install --quiet -r requirements.txt
	$(PYTHON) app.py

install:
	$(PYTHON) -m pip install --quiet -r requirements-test.txt
	# Browser tests and exports drive Debian's Chromium headless shell, the benchmark's pages
	# the full Chromium; Playwright's own browser download cannot work offline.
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation)
	command -v chromium-headless-shell >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium-headless-shell)
	# Deck tests open the PowerPoint in a real office suite.
	command -v soffice >/dev/null || (apt-get update && apt-get install -y --no-install-recommends libreoffice-impress)
	# The store's tests start a throwaway PostgreSQL with PostGIS (tests/postgres.py).
	ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || (apt-get update && apt-get install -y --no-install-recommends postgresql postgresql-15-postgis-3)

# Unused or undefined names, syntax errors, import order (ruff), then types (mypy, lenient
# for now); settings in pyproject.toml.
lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy

# The whole suite on TEST_PROCESSES processes (pytest-xdist), a test file to a process at a
# time: a file's server, browser and office suite start once, and the processes never share
# a test's temporary files (tests/conftest.py: PROCESS_TEMP). Tried and measured worse on 2
# cores (7 December): the longest groups first, with the bench's quick run split across both
# processes (--dist loadgroup): 32 min against 26, the heavy groups crowding each other; and
# 4 processes: 28 min against 27, with 5 tests failing, the 2 cores already full (process
# accounting: 51.6 min of CPU in a 27-minute run, bench/README.md).
# Files are handed out whole in the order tests/conftest.py gives them (run_order: the
# offline bundle's minute and the bench's quick run first, one to each process, then the
# files with most tests), not xdist's own, which left the bundle last (one run each:
# 13 min 13 s against 14 min 4 s; bench/README.md).
TEST_PROCESSES ?= 2

test: install lint
	$(PYTHON) -m pytest -n $(TEST_PROCESSES) --dist loadfile --no-loadscope-reorder

# The quick loop while changing code: lint, then every test but those that drive Chromium or
# take seconds (marked `browser` and `slow` in tests/conftest.py), on two processes: about
# 80 s on a 2-core machine. `make test` runs them all.
test-fast: lint
	$(PYTHON) -m pytest -m "not browser and not slow" -n 2

# Rebuild the generated files of geodata/ and assets/ from their raw sources (needs pip and npm).
geodata:
	$(PYTHON) geodata/build/countries.py
	$(PYTHON) geodata/build/sea_areas.py
	$(PYTHON) geodata/build/plotly_assets.py
	$(PYTHON) geodata/build/grid_locale.py

# One archive to install on a machine with no network: the project, every wheel it needs
# (CPython 3.11, Linux x86_64) and install-offline.sh (README, "Air-gapped install").
bundle:
	PYTHON=$(PYTHON) bash offline/build-bundle.sh dist/dashboard-offline.tar.gz
