"""The longer fuzz run: the property tests of the import and loading paths, searching many
more examples than the test suite does (CI replays a fixed set, see tests/conftest.py).

    HYPOTHESIS_PROFILE=fuzz FUZZ_FACTOR=5 python -m pytest tests/test_import_properties.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROPERTY_TESTS = ["tests/test_import_properties.py", "tests/test_loader_properties.py"]


class FuzzFailure(RuntimeError):
    """A property test failed: the message holds its falsifying example."""


def measure_fuzz(factor: float, search_anew: bool = True) -> dict:
    """Run the property tests with `factor` times the suite's number of examples each, with
    no time limit per example; raises FuzzFailure with the falsifying examples if one fails.
    `search_anew` False (the quick run): in CI they replay CI's fixed examples, so that a
    commit's verdict does not change between runs; elsewhere they search anew either way."""
    env = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz", "FUZZ_FACTOR": str(factor)}
    if search_anew:
        env.pop("CI", None)  # CI's profile replays fixed examples: this run searches anew
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             *PROPERTY_TESTS], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = round(time.monotonic() - started, 1)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    counts = {kind: int(number) for number, kind in re.findall(r"(\d+) (passed|failed|error)",
                                                                summary)}
    if result.returncode != 0:
        found = re.findall(r"Falsifying example:.*?(?=\n\n|\Z)", result.stdout, re.S)
        raise FuzzFailure(f"{summary} after {seconds} s: " + (" | ".join(found)[:4000]
                                                               or result.stdout[-4000:]))
    return {"examples_factor": factor, "tests": counts.get("passed", 0),
            "seconds": seconds, "files": PROPERTY_TESTS}
