"""A file a user brings is worked on in a child process with a time, a memory and an answer
size limit, and answers as data: a small hostile file can neither pin a core, take the
server's memory, hand it more than it can hold, nor make it run anything."""

import time

import pytest

from presence.bounded import run_bounded
from presence.errors import DataError, Problem

# The child imports the reader by name, from the project root.
HERE = "tests.test_bounded_reading"


def slow_reader(data, request):
    time.sleep(60)


def greedy_reader(data, request):
    return bytearray(2 * 1024 ** 3)  # 2 GB


def refusing_reader(data, request):
    raise DataError([Problem(request["name"], "row 3", "lat", "95 is outside -90..90")])


def test_a_reading_that_runs_too_long_is_stopped_and_named():
    started = time.monotonic()
    with pytest.raises(DataError) as refused:
        run_bounded(f"{HERE}:slow_reader", b"PK", {}, "far.xlsx", seconds=1)
    assert time.monotonic() - started < 8
    problem = refused.value.problems[0]
    assert (problem.file, problem.record) == ("far.xlsx", "file")
    assert "longer than 1 s and was stopped" in problem.message


def test_a_reading_that_needs_too_much_memory_is_refused():
    with pytest.raises(DataError, match="more than 0.5 GB of memory"):
        run_bounded(f"{HERE}:greedy_reader", b"PK", {}, "big.xlsx", memory=512 * 1024 ** 2)


def test_the_readers_own_problems_come_back_as_they_are():
    with pytest.raises(DataError) as refused:
        run_bounded(f"{HERE}:refusing_reader", b"PK", {"name": "sheet.xlsx"}, "sheet.xlsx")
    assert [str(p) for p in refused.value.problems] == [
        "sheet.xlsx: row 3, field 'lat': 95 is outside -90..90"]


def talkative_reader(data, request):
    print("a library printing on standard output", flush=True)
    return {"rows": len(data), "request": request}


def flooding_reader(data, request):
    return "x" * (4 * 1024 * 1024)


def object_reader(data, request):
    return {1, 2}  # not data JSON can carry


def test_the_answer_is_json_on_its_own_pipe_whatever_the_child_prints():
    assert run_bounded(f"{HERE}:talkative_reader", b"abc", {"name": "n"}, "n.csv") == {
        "rows": 3, "request": {"name": "n"}}


def test_an_answer_past_its_size_cap_is_refused_and_named():
    with pytest.raises(DataError) as refused:
        run_bounded(f"{HERE}:flooding_reader", b"", {}, "vast.gpkg", answer_bytes=1024 ** 2)
    problem = refused.value.problems[0]
    assert problem.file == "vast.gpkg" and "more than 1 MB" in problem.message


def test_an_answer_that_is_not_data_is_refused():
    with pytest.raises(DataError, match="cannot be read: TypeError"):
        run_bounded(f"{HERE}:object_reader", b"", {}, "odd.xlsx")

