"""The benchmark suite still runs end to end, on a tiny data set (not a timing test: the
suite itself is run by hand, `python -m bench`, and its results are committed)."""

import json
import subprocess
import sys

from presence.loader import GEODATA


def test_quick_benchmark_run_writes_its_report(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bench", "--quick", "--out", str(tmp_path)],
                            cwd=GEODATA.parent, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads((tmp_path / "latest.json").read_text())
    assert [d["label"] for d in results["datasets"]] == ["embedded", "synthetic 50"]
    for dataset in results["datasets"]:
        assert dataset["browser"]["external_requests"] == 0
        assert dataset["browser"]["click_to_redrawn_ms"]["count"] == 3
        assert dataset["callback"]["response_bytes"]["median"] > 0
    assert results["naive"]["callback"]["response_bytes"]["median"] > \
        results["datasets"][0]["callback"]["response_bytes"]["median"]
    assert results["load"][0]["requests"] > 0 and results["load"][0]["errors"] == 0
    export = results["export"]
    assert export["atlas"]["written"] == 2 and export["atlas"]["failed"] == 0
    assert all(export["warm"][fmt]["bytes"] > 10_000 for fmt in ("png", "svg", "pdf"))
    made = export["deliverables"]
    assert made["one_pager"]["bytes"] > 10_000 and made["slides"] == 7
    assert all(made["decks"][fmt]["bytes"] > 100_000 for fmt in ("pdf", "pptx"))
    team = results["team"]
    assert len(team["three_at_once_after_change_s"]) == 3 and team["card_of_the_layer_s"] > 0
    assert "## A team's load with a large layer" in (tmp_path / "latest.md").read_text()
    soak = results["soak"]
    assert soak["filters"]["requests"] > 0 and soak["killed"]["pid"] > 0
    # Counted and reported; whether none is left is a target the full run's report judges.
    assert isinstance(soak["chromium_left_after_stop"], int)
    report = (tmp_path / "latest.md").read_text()
    assert "## Soak" in report and "Chromium processes left after the server stopped" in report
    assert "warm export, A4 300 DPI PNG" in report
    assert "7-slide deck, PPTX" in report and "warm 7-slide deck ≤ 20 s" in report
    assert "## Targets" in report and "Naive baseline" in report
    assert set(results["section_seconds"]) >= {"embedded", "export", "a team's load with a large layer"}
    assert "Time each section took: embedded" in report
    # The naive page is left out of a quick run, and its rows say so rather than a figure.
    assert "browser" not in results["naive"]
    assert "| click → redrawn (ms, median) | not in a quick run |" in report


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
