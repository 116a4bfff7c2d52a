"""The benchmark suite still runs end to end, on tiny data sets (not a timing test: the
suite itself is run by hand, `python -m bench`, and its results are committed).

The quick run is one process (`python -m bench --quick`); its results are checked by group
of sections, a test each, so that a failure names its group."""

import json
import subprocess
import sys

import pytest

from bench.__main__ import SECTIONS
from bench.report import NOT_QUICK, markdown
from presence.loader import GEODATA

GROUPS = {
    "pages": ["embedded", "synthetic", "naive"],
    "living data": ["store", "time-to-map", "imports", "fuzz"],
    "hostile files and load": ["hostile", "load"],
    "team and soak": ["team", "soak"],
    "export": ["export"],
}


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> dict:
    """`python -m bench --quick` as a user runs it, once for this file's tests: its results,
    after checking that it ended well and timed each of its sections."""
    out = tmp_path_factory.mktemp("bench-quick")
    result = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(out)],
                            cwd=GEODATA.parent, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    results = json.loads((out / "latest.json").read_text())
    assert results["failures"] == [] and results["finished"]
    assert len(results["section_seconds"]) == len(SECTIONS)  # a quick run: one size, one load
    assert "Time each section took" in (out / "latest.md").read_text()
    return results


def test_the_groups_hold_every_section_once():
    assert sorted(key for keys in GROUPS.values() for key in keys) == sorted(SECTIONS)


def test_quick_run_of_the_pages_measures_ours_and_the_naive_app(quick):
    results = quick
    assert [d["label"] for d in results["datasets"]] == ["embedded", "synthetic 50"]
    embedded, synthetic = results["datasets"]
    assert embedded["browser"]["external_requests"] == 0
    assert embedded["browser"]["click_to_redrawn_ms"]["count"] == 3
    assert embedded["presenting"] and embedded["cards"]
    # The synthetic page is the same page code: a quick run measures its server side only.
    assert "browser" not in synthetic and synthetic["callback"]["response_bytes"]["median"] > 0
    assert results["naive"]["callback"]["response_bytes"]["median"] > \
        embedded["callback"]["response_bytes"]["median"]
    assert "browser" not in results["naive"]  # its page takes a minute to draw


def test_quick_run_of_living_data_imports_and_fuzz(quick):
    results = quick
    assert results["store"] and results["time_to_map"] and results["imports"]
    assert results["fuzz"] is not None


def test_quick_run_of_hostile_files_and_load(quick):
    results = quick
    hostile = results["hostile"]
    assert len(hostile["hostile"]) == 8 and all(f["status"] == 200 for f in hostile["hostile"])
    assert all(layer["added"] for layer in hostile["added"])
    # Each add reads its file twice at most (checked, then its records taken in); the other
    # workers take those readings in (presence/imported/shared_readings.py).
    assert 0 < hostile["while_adding"]["readings"] <= 2 * len(hostile["added"])
    assert hostile["idle"]["requests"] > 0 and hostile["previewing_p95_ratio"] > 0
    kept = hostile["nothing_lost"]
    assert kept["previews_changed_nothing"] and kept["adds_kept_the_rest"]
    assert results["load"][0]["requests"] > 0 and results["load"][0]["errors"] == 0


def test_quick_run_of_a_team_s_load_and_the_soak(quick):
    results = quick
    team = results["team"]
    assert len(team["three_at_once_after_change_s"]) == 3 and team["card_of_the_layer_s"] > 0
    soak = results["soak"]
    assert soak["filters"]["requests"] > 0 and soak["killed"]["pid"] > 0
    # Counted and reported; whether none is left is a target the full run's report judges.
    assert isinstance(soak["chromium_left_after_stop"], int)


def test_quick_run_of_the_exports(quick):
    export = quick["export"]
    assert export["atlas"]["written"] == 2 and export["atlas"]["failed"] == 0
    assert all(export["warm"][fmt]["bytes"] > 10_000 for fmt in ("png", "svg", "pdf"))
    made = export["deliverables"]
    # A quick run makes its decks of the shipped briefing's first two slides.
    assert made["one_pager"]["bytes"] > 10_000 and made["slides"] == 2
    assert all(made["decks"][fmt]["bytes"] > 100_000 for fmt in ("pdf", "pptx"))


def committed_run() -> dict:
    return json.loads((GEODATA.parent / "bench" / "results" / "latest.json").read_text())


def test_the_full_report_of_the_committed_run_has_every_part():
    """The report of the committed full run (bench/results/latest.json), written again by
    today's bench/report.py."""
    report = markdown(committed_run())
    for heading in ("## Per data set", "## Naive baseline", "## Hostile files under load",
                    "## A team's load with a large layer", "## Soak", "## Targets"):
        assert heading in report
    assert "warm export, A4 300 DPI PNG" in report and "7-slide deck, PPTX" in report
    assert "warm 7-slide deck ≤ 20 s" in report
    assert "Chromium processes left after the server stopped" in report
    assert "Time each section took: embedded" in report


def test_a_quick_run_s_report_says_what_it_left_out():
    """The pages a quick run does not draw (the naive app's, the synthetic data's) are rows
    that say so, not a figure or a gap."""
    results = {**committed_run(), "quick": True}
    results["naive"] = {"callback": results["naive"]["callback"]}
    embedded, synthetic = results["datasets"][:2]  # a quick run has one synthetic size
    results["datasets"] = [embedded, {k: v for k, v in synthetic.items() if k != "browser"}]
    report = markdown(results)
    assert "quick run" in report.splitlines()[0]
    assert f"| click → redrawn (ms, median) | {NOT_QUICK} |" in report
    synthetic = [line for line in report.splitlines() if line.startswith("| synthetic 1,000 |")]
    assert len(synthetic) == 1 and NOT_QUICK in synthetic[0]


def test_a_failed_section_is_reported_and_the_others_keep_their_results(tmp_path):
    from bench.__main__ import run_section

    results = {"started": "2026-12-01T00:00:00+00:00", "quick": True, "machine": {},
               "datasets": [], "failures": [], "finished": None}

    def broken():
        raise TimeoutError("the page never drew")

    assert run_section(results, tmp_path, "synthetic 50,000", broken) is None
    assert run_section(results, tmp_path, "export", lambda: {"warm": 1}) == {"warm": 1}
    written = json.loads((tmp_path / "latest.json").read_text())
    assert set(written["section_seconds"]) == {"synthetic 50,000", "export"}
    assert written["failures"] == [{"section": "synthetic 50,000",
                                    "error": "TimeoutError: the page never drew"}]
    report = (tmp_path / "latest.md").read_text()
    assert "FAILED section *synthetic 50,000*: TimeoutError: the page never drew" in report
    assert "not finished" in report


def test_an_unknown_section_is_named_with_the_sections_there_are(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only", "exports",
                             "--out", str(tmp_path)],
                            cwd=GEODATA.parent, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "no section exports" in result.stderr and "export, load, soak" in result.stderr
