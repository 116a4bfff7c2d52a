"""A file is read once for the whole machine: the preview's reading serves the add, the add's
reading serves every other worker taking the layer in, and a worker that needs a reading
another is doing waits for it (presence/imported/shared_readings.py)."""

from __future__ import annotations

import contextlib
import shutil
import threading
import time

import pytest

import presence.imported.shared_readings as shared_readings
from presence.bounded import reading_turn
from presence.imported.examine import EXAMINE, examine
from presence.imported.folder import FOLDER, save_layer
from presence.imported.settings import layer_settings
from presence.kept_files import KeptFiles
from presence.live import LiveDataset
from presence.loader import GEODATA

POINTS = b"name,kind,lat,lon\nCourse,Training,-4.62,55.45\nVisit,Visit,-18.91,47.52\n"


@pytest.fixture()
def readings(monkeypatch, tmp_path):
    """The readings' folder of this test, and the readings of POINTS run in a bounded child
    (a layer another test of this process is still taking in, in a thread of its own, may
    be read meanwhile: not counted)."""
    folder = tmp_path / "readings"
    monkeypatch.setattr(shared_readings.READINGS, "folder", folder)
    runs: list[str] = []
    real = shared_readings.run_bounded

    def counted(task, data, *args, **kwargs):
        if data == POINTS:
            runs.append(task)
        return real(task, data, *args, **kwargs)

    monkeypatch.setattr(shared_readings, "run_bounded", counted)
    return runs


@pytest.fixture()
def folder(tmp_path):
    copied = tmp_path / "geodata"
    shutil.copytree(GEODATA, copied, ignore=shutil.ignore_patterns(FOLDER, "store*.gpkg*"))
    (copied / FOLDER).mkdir()
    return copied


def test_an_added_layer_is_read_once_by_the_workers_of_a_machine(readings, folder):
    """The officer previews the file (read once, columns guessed) and adds it with those
    columns (the preview's reading); the worker that saved it takes it in (read once more,
    its records now); two other workers take it in with no reading of their own."""
    workers = [LiveDataset(folder) for _ in range(3)]
    assert readings == []  # no layer yet
    previewed = examine(POINTS, "sessions.csv", folder, guess=True)
    assert (previewed.settings.label, previewed.settings.category) == ("name", "kind")
    added = examine(POINTS, "sessions.csv", folder, "name", "kind", lane="add")
    assert added == previewed and readings == [EXAMINE]
    save_layer(folder / FOLDER, POINTS, layer_settings("sessions.csv", "name", "kind",
                                                       "Sessions"))
    seen = [worker.refresh() for worker in workers]
    assert len(readings) == 2
    names = [sorted(dataset.records.loc[dataset.records["theme"].str.startswith("import-"),
                                        "name_en"]) for dataset in seen]
    assert names == [["Course", "Visit"]] * 3


def test_a_worker_waits_for_the_reading_another_is_doing(readings, monkeypatch):
    """Another worker notices a new layer file and starts reading it just before the worker
    that added it takes it in, holding its add's turn: the adder waits for the other's
    answer and reads nothing (it read the file again, at the same time, before)."""
    # `readings` gives this test its own folder; the count is slow()'s.
    real, runs = shared_readings.run_bounded, []

    def slow(task, *args, **kwargs):
        runs.append(task)
        time.sleep(1.5)
        return real(task, *args, **kwargs)

    monkeypatch.setattr(shared_readings, "run_bounded", slow)
    request = {"name": "sessions.csv", "folder": str(GEODATA), "guess": True, "rows": False,
               "layer_id": "import-preview",
               "settings": layer_settings("sessions.csv", None, None).model_dump(mode="json")}
    answers = []

    def worker(adding: bool) -> None:
        with reading_turn("add", "sessions.csv") if adding else contextlib.nullcontext():
            answers.append(shared_readings.reading(EXAMINE, POINTS, request, "sessions.csv",
                                                   "add"))

    threads = [threading.Thread(target=worker, args=(adding,)) for adding in (False, True)]
    for thread in threads:
        thread.start()
        time.sleep(0.2)
    for thread in threads:
        thread.join(120)
    assert len(answers) == 2 and answers[0] == answers[1] and answers[0]["rows"] == 2
    assert runs == [EXAMINE]  # the second had the first's answer, not a reading of its own


def test_a_folder_others_may_write_to_is_not_trusted(readings, tmp_path, monkeypatch):
    """Answers are kept only in a folder of this user's alone: in one that others may
    write to, every reading is done again."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setattr(shared_readings.READINGS, "folder", shared)
    for _ in range(2):
        examine(POINTS, "sessions.csv", GEODATA, "name", "kind")
    assert len(readings) == 2 and list(shared.iterdir()) == []


def test_the_kept_answers_stay_within_their_bounds(tmp_path):
    """Past its bound on files, the least recently used answers go first (in a folder of
    this test's alone: another test's thread taking a layer in keeps its answers in the
    readings' folder)."""
    kept = KeptFiles("readings", ".json", most_files=2, most_bytes=2**20, folder=tmp_path)
    first, second, third = (kept.path(name) for name in ("first", "second", "third"))
    kept.keep(first, b'{"rows": 1}')
    kept.keep(second, b'{"rows": 2}')
    assert kept.read(first, 100) == b'{"rows": 1}'  # used again: now the most recent
    kept.keep(third, b'{"rows": 3}')
    assert sorted(path.name for path in tmp_path.glob("*.json")) == ["first.json", "third.json"]
    assert kept.read(second, 100) is None
