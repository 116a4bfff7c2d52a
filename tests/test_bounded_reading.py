"""A file a user brings is worked on in a child process with a time, a memory and an answer
size limit, and answers as data: a small hostile file can neither pin a core, take the
server's memory, hand it more than it can hold, nor make it run anything."""

import os
import time

import pytest

import presence.bounded as bounded
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


def spinning_reader(data, request):
    while True:
        pass


def test_a_reading_that_works_too_long_is_stopped_and_named(monkeypatch):
    # Stopped by its work, as the message tells, not by the clock: the clock is set far
    # off, because on a machine busy with the rest of the suite a spinning child got less
    # than a third of a core (at nice 10 and at nice 2) and met a clock of 3 × its seconds.
    monkeypatch.setattr(bounded, "CLOCK_FACTOR", 30)
    with pytest.raises(DataError) as refused:
        run_bounded(f"{HERE}:spinning_reader", b"PK", {}, "far.xlsx", seconds=1)
    problem = refused.value.problems[0]
    assert (problem.file, problem.record) == ("far.xlsx", "file")
    assert "longer than 1 s of work and was stopped: the file holds far more" in problem.message


def test_a_reading_slow_by_the_clock_but_not_by_its_work_may_take_longer():
    """A child at its lower priority on a busy machine: its seconds of work are what count,
    and the clock stops it only at CLOCK_FACTOR times them (6 s here: the child's start
    on a machine busy with the rest of the suite fits in what the nap leaves)."""
    started = time.monotonic()
    assert run_bounded(f"{HERE}:napping_reader", b"abc", {}, "busy.csv", seconds=2,
                       lane="add") == {"read": 3}
    assert time.monotonic() - started > 2.5


def napping_reader(data, request):
    time.sleep(2.5)  # no work: as a child waits for a core on a busy machine
    return {"read": len(data)}


def test_a_reading_that_never_ends_is_stopped_by_the_clock_and_named():
    started = time.monotonic()
    with pytest.raises(DataError) as refused:
        run_bounded(f"{HERE}:slow_reader", b"PK", {}, "far.xlsx", seconds=1)
    assert time.monotonic() - started < 8
    problem = refused.value.problems[0]
    assert (problem.file, problem.record) == ("far.xlsx", "file")
    assert "did not end within 3 s and was stopped: the server is too busy" in problem.message


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



def echo_reader(data, request):
    return {"read": len(data)}


def hold_turn(folder, lane: str, seconds: float) -> None:
    """As another worker process of the server: one turn of `lane`, held a while."""
    import presence.bounded as bounded

    bounded.TURNS_FOLDER = folder
    with bounded.reading_turn(lane, "held.csv"):
        time.sleep(seconds)


def _locked(folder, lane: str) -> int:
    """How many of the lane's turns some process holds now."""
    import fcntl

    held = 0
    for path in folder.glob(f"{lane}-*.lock"):
        with open(path, "a") as turn:
            try:
                fcntl.flock(turn, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.flock(turn, fcntl.LOCK_UN)
            except BlockingIOError:
                held += 1
    return held


def test_reading_turns_count_every_process_and_an_add_waits_once_never_behind_previews(
        tmp_path, monkeypatch):
    import multiprocessing

    import presence.bounded as bounded

    monkeypatch.setattr(bounded, "TURNS_FOLDER", tmp_path)
    context = multiprocessing.get_context("spawn")
    holders = [context.Process(target=hold_turn, args=(tmp_path, lane, 30))
               for lane in ("preview", "preview", "add")]
    for holder in holders:
        holder.start()
    try:
        deadline = time.monotonic() + 60
        while (_locked(tmp_path, "preview"), _locked(tmp_path, "add")) != (2, 1):
            assert time.monotonic() < deadline, "the other processes took no turn"
            time.sleep(0.1)
        # Two previews in other processes: a third waits, then is told to come back.
        with pytest.raises(DataError) as refused:
            run_bounded(f"{HERE}:echo_reader", b"abc", {}, "third.csv", seconds=1)
        assert "2 files are being read already" in refused.value.problems[0].message
        # An add has its own lane: its last free turn, held for both of its children.
        with bounded.reading_turn("add", "mine.csv", seconds=1):
            for _ in range(2):
                assert run_bounded(f"{HERE}:echo_reader", b"abcd", {}, "mine.csv",
                                   seconds=5, lane="add") == {"read": 4}
    finally:
        for holder in holders:
            holder.terminate()
            holder.join(10)
    # A process that dies frees its turns.
    assert (_locked(tmp_path, "preview"), _locked(tmp_path, "add")) == (0, 0)


def niceness_reader(data, request):
    return {"nice": os.nice(0)}


def test_previews_run_below_a_colleague_s_add_and_both_below_the_server(tmp_path, monkeypatch):
    """A preview may be a hostile file: users' requests first. An add was chosen by a
    colleague: below the server too, but not starved."""
    monkeypatch.setattr(bounded, "TURNS_FOLDER", tmp_path)
    server = os.nice(0)
    niceness = {lane: run_bounded(f"{HERE}:niceness_reader", b"x", {}, "f.csv", lane=lane)["nice"]
                for lane in ("preview", "add")}
    assert niceness == {"preview": min(19, server + 10), "add": min(19, server + 2)}
