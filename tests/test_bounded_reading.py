"""Workbooks and GeoPackages are read in a child process with a time and a memory limit: a
small hostile file can neither pin a core nor take the server's memory."""

import time

import pytest

from presence.bounded import read_bounded
from presence.errors import DataError, Problem

# The child imports the reader by name, from the project root.
HERE = "tests.test_bounded_reading"


def slow_reader(data, name):
    time.sleep(60)


def greedy_reader(data, name):
    return bytearray(2 * 1024 ** 3)  # 2 GB


def refusing_reader(data, name):
    raise DataError([Problem(name, "row 3", "lat", "95 is outside -90..90")])


def test_a_reading_that_runs_too_long_is_stopped_and_named():
    started = time.monotonic()
    with pytest.raises(DataError) as refused:
        read_bounded(f"{HERE}:slow_reader", b"PK", "far.xlsx", seconds=1)
    assert time.monotonic() - started < 8
    problem = refused.value.problems[0]
    assert (problem.file, problem.record) == ("far.xlsx", "file")
    assert "longer than 1 s and was stopped" in problem.message


def test_a_reading_that_needs_too_much_memory_is_refused():
    with pytest.raises(DataError, match="more than 0.5 GB of memory"):
        read_bounded(f"{HERE}:greedy_reader", b"PK", "big.xlsx", memory=512 * 1024 ** 2)


def test_the_readers_own_problems_come_back_as_they_are():
    with pytest.raises(DataError) as refused:
        read_bounded(f"{HERE}:refusing_reader", b"PK", "sheet.xlsx")
    assert [str(p) for p in refused.value.problems] == [
        "sheet.xlsx: row 3, field 'lat': 95 is outside -90..90"]
