# `make run` serves the dashboard; `make test` installs everything and runs the whole suite.
PYTHON ?= python3

.PHONY: run install test geodata

run:
	$(PYTHON) -m pip install --quiet -r requirements.txt
	$(PYTHON) app.py

install:
	$(PYTHON) -m pip install --quiet -r requirements-test.txt
	# Browser tests drive Debian's Chromium; Playwright's own browser download cannot work offline.
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium fonts-liberation)
	# Deck tests open the PowerPoint in a real office suite.
	command -v soffice >/dev/null || (apt-get update && apt-get install -y --no-install-recommends libreoffice-impress)

test: install
	$(PYTHON) -m pytest

# Rebuild the generated files of geodata/ and assets/ from their raw sources (needs pip and npm).
geodata:
	$(PYTHON) geodata/build/countries.py
	$(PYTHON) geodata/build/sea_areas.py
	$(PYTHON) geodata/build/plotly_assets.py
