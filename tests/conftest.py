"""Shared fixtures: the embedded data set, loaded once, and editable copies of geodata/."""

from __future__ import annotations

import csv
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from presence.loader import GEODATA, load_dataset  # noqa: E402

# CI must give the same verdict on the same commit: its property tests replay fixed examples.
# Elsewhere they search anew on each run, which is how they find new problems.
settings.register_profile("ci", derandomize=True, print_blob=True)
# The bench's longer search (bench/fuzz.py): no time limit per example; the number of
# examples is scaled by FUZZ_FACTOR (tests/test_loader_properties.examples).
settings.register_profile("fuzz", deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
elif os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


# The tests' own store of changes, beside a developer's geodata/store.gpkg and never it: a
# change made by hand must not change what a test sees. One per test process (pytest-xdist
# runs two); the commands and servers the tests start inherit it.
os.environ["DASHBOARD_STORE_NAME"] = f"store-of-tests-{os.getpid()}.gpkg"


# Each test process gets a temporary folder of its own, inherited by the servers and commands
# it starts: the turns a machine's servers share (reading children, decks, logins) are files
# in the temporary folder, and two test processes running at once must neither wait for nor
# refuse each other as two servers of one machine would.
# Beside each other in the system's temporary folder, never nested (pytest-xdist's workers
# inherit the first process's TMPDIR), and with short names: Chromium's socket path there
# must stay under 108 characters.
SYSTEM_TEMP = os.environ.setdefault("DASHBOARD_TESTS_SYSTEM_TEMP", tempfile.gettempdir())
PROCESS_TEMP = Path(tempfile.mkdtemp(prefix=f"dt-{os.getpid()}-", dir=SYSTEM_TEMP))
PROCESS_TEMP.chmod(0o711)  # PostgreSQL runs as nobody in folders below it (tests/postgres.py)
os.environ["TMPDIR"] = str(PROCESS_TEMP)
tempfile.tempdir = None  # read TMPDIR again


def pytest_unconfigure(config):
    shutil.rmtree(PROCESS_TEMP, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def tests_store():
    yield
    for path in GEODATA.glob(os.environ["DASHBOARD_STORE_NAME"] + "*"):
        path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def dataset():
    return load_dataset()


class GeodataCopy:
    """A copy of geodata/ in a temporary folder, with helpers to break it on purpose."""

    def __init__(self, folder: Path):
        self.folder = folder

    def rows(self, name: str) -> list[dict]:
        with (self.folder / name).open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    def write_rows(self, name: str, rows: list[dict]) -> None:
        with (self.folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def edit_record(self, record_id: str, **changes) -> None:
        rows = self.rows("records.csv")
        for row in rows:
            if row["id"] == record_id:
                row.update(changes)
                break
        else:
            raise KeyError(record_id)
        self.write_rows("records.csv", rows)


@pytest.fixture
def geodata_copy(tmp_path) -> GeodataCopy:
    folder = tmp_path / "geodata"
    # A developer's own store of changes (store.gpkg) is not the shipped data: left out.
    shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("build", "*.md", "store*.gpkg*"))
    return GeodataCopy(folder)


BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
# Files whose tests take seconds each: they run the benchmark, open decks in LibreOffice,
# draw pages with Chromium, hash passwords, check quotes against the source documents,
# start the commands as processes, search with Hypothesis, or install the offline bundle.
SLOW_FILES = {"test_bench_smoke.py", "test_decks.py", "test_export.py", "test_country_page.py",
              "test_loader_properties.py", "test_import_properties.py", "test_security.py",
              "test_sources.py", "test_views_and_commands.py", "test_offline_bundle.py",
              "test_fact_checks.py", "test_store.py"}


# Handed out first by `make test` (its order: run_order below), one to each test process:
# the air-gapped bundle's one test takes a minute, part of it waiting on the package
# registry, and the benchmark's quick run five. Handed out last, as xdist's own order put
# the bundle (files by their number of tests), it left one test process working alone for
# the run's last minute; the longest first leave the short ones to even out the end.
FIRST_FILES = ("test_offline_bundle.py", "test_bench_smoke.py")


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ drives Chromium: marked `browser`; the tests of
    SLOW_FILES are marked `slow`. `make test-fast` leaves both out. Then the order the test
    processes take files in (run_order)."""
    for item in items:
        path = Path(str(item.path))
        if BROWSER_TESTS in path.parents:
            item.add_marker(pytest.mark.browser)
        if path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
    items[:] = run_order(items)


def run_order(items: list) -> list:
    """FIRST_FILES first, in their order, then the files with most tests, as xdist orders
    them by default (the Makefile turns that off: --no-loadscope-reorder); a file's tests
    stay together and in their order."""
    def file_of(item) -> str:
        return item.nodeid.split("::")[0]

    counts = Counter(file_of(item) for item in items)
    first_seen = {name: index for index, name in enumerate(counts)}  # collection order

    def rank(item) -> tuple:
        name = Path(file_of(item)).name
        first = FIRST_FILES.index(name) if name in FIRST_FILES else len(FIRST_FILES)
        return first, -counts[file_of(item)], first_seen[file_of(item)]

    return sorted(items, key=rank)
