"""Files crafted to cost far more than their size, and folders and names made to trip the
server: each is refused with a named problem, within the caps, and the served data set is
never held up by a layer being taken in."""

from __future__ import annotations

import io
import os
import shutil
import threading

import geopandas as gpd
import pytest
from shapely.geometry import Point

import presence.imported.folder as imports_module
import presence.live as live_module
from presence.briefings import Briefing
from presence.errors import MAX_PROBLEMS, DataError
from presence.imported.examine import examine
from presence.imported.folder import FOLDER, remove_layer, restore_layer, save_layer
from presence.imported.reading import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_TEXT_CHARS,
    read_table,
)
from presence.imported.settings import SETTINGS_SUFFIX, LayerSettings
from presence.live import LiveDataset, load_folder
from tests.crafted import shared_string_workbook

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POINTS = b"name,lat,lon\nCourse,-4.62,55.45\n"


def problems(data: bytes, name: str) -> list[str]:
    with pytest.raises(DataError) as refused:
        read_table(data, name)
    return [str(problem) for problem in refused.value.problems]


def test_a_small_workbook_of_one_huge_shared_string_is_refused_cell_by_cell():
    data = shared_string_workbook("x" * 1_000_000, rows=300, columns=40)
    assert len(data) < 100_000  # 12,000 cells of a million characters: 12 GB of text
    found = problems(data, "shared.xlsx")
    assert found[0] == ("shared.xlsx: row 2, field 'c0': 1,000,000 characters: a cell holds "
                        f"at most {MAX_CELL_CHARS:,}")
    assert len(found) == MAX_PROBLEMS + 1 and "reading stopped here" in found[-1]


def test_a_workbook_whose_text_adds_up_past_the_cap_stops_there():
    data = shared_string_workbook("y" * 4_000, rows=MAX_TEXT_CHARS // 4_000 // 10 + 1,
                                  columns=10)
    found = problems(data, "long.xlsx")
    assert len(found) == 1 and f"more than {MAX_TEXT_CHARS:,} characters of text" in found[0]


def test_more_cells_than_the_cap_stop_the_reading_at_a_named_line():
    columns = 60
    rows = MAX_CELLS // columns + 1
    data = (",".join(f"c{n}" for n in range(columns)) + "\n"
            + ("1," * (columns - 1) + "1\n") * rows).encode()
    found = problems(data, "cells.csv")
    assert found == [f"cells.csv: line {rows + 1}, field '-': more than {MAX_CELLS:,} cells "
                     f"(rows × columns): at most that is read in one layer"]


def test_a_header_of_a_million_repeated_names_is_one_problem():
    found = problems(b"a," * 1_000_000 + b"a\nx\n", "header.csv")
    assert found == [f"header.csv: header, field '-': 1,000,001 columns: at most "
                     f"{MAX_COLUMNS} are read; remove the columns not needed"]
    # Repeated names under the column cap share the cap on problems.
    found = problems(b"a," * 400 + b"a\nx\n", "repeated.csv")
    assert len(found) == MAX_PROBLEMS + 1 and "repeated" in found[0]


def test_a_geopackage_of_huge_texts_is_refused(tmp_path):
    path = tmp_path / "big.gpkg"
    gpd.GeoDataFrame({"name": ["z" * 1_000_000, "short"]}, geometry=[Point(1, 1), Point(2, 2)],
                     crs=4326).to_file(path, driver="GPKG")
    found = problems(path.read_bytes(), "big.gpkg")
    assert found == [f"big.gpkg: feature 1, field 'name': 1,000,000 characters: a cell holds "
                     f"at most {MAX_CELL_CHARS:,}"]


def test_a_long_label_or_category_is_a_named_problem(dataset):
    data = ("name,type,lat,lon\n" + "n" * 300 + ",t,-4.6,55.4\nok," + "k" * 90
            + ",-4.6,55.4\n").encode()
    examined = examine(data, "long.csv", dataset.folder, "name", "type")
    assert [str(problem) for problem in examined.problems] == [
        "long.csv: line 3, field 'type': a category of 90 characters: the legend takes at "
        "most 80",
        "long.csv: line 2, field 'name': a label of 300 characters: a record's name has at "
        "most 200"]


def test_the_preview_is_read_in_a_bounded_child_and_kept(dataset, monkeypatch):
    import presence.imported.shared_readings as shared_readings

    data = shared_string_workbook("w" * 10_000, rows=20, columns=3)
    shared_readings.forget_all()  # answers kept by other tests
    runs = []
    real = shared_readings.run_bounded
    # Only this test's files are counted: another test's thread may still be taking a layer in.
    monkeypatch.setattr(shared_readings, "run_bounded",
                        lambda *args, **kwargs: (args[1] in (data, POINTS) and runs.append(args[0]))
                        or real(*args, **kwargs))
    with pytest.raises(DataError, match="10,000 characters: a cell holds at most"):
        examine(data, "preview.xlsx", dataset.folder, guess=True)
    assert runs == ["presence.imported.examine:_examine"]
    ok = examine(POINTS, "ok.csv", dataset.folder, guess=True)
    assert not ok.problems and ok.settings.label == "name" and ok.categories == 1
    assert examine(POINTS, "ok.csv", dataset.folder, guess=True) == ok  # not read again
    assert len(runs) == 2


@pytest.fixture()
def folder(tmp_path):
    """A copy of the data folder's own files with an empty imports folder."""
    copied = tmp_path / "geodata"
    shutil.copytree(os.path.join(ROOT, "geodata"), copied,
                    ignore=shutil.ignore_patterns(FOLDER, "briefings"))
    (copied / FOLDER).mkdir()
    return copied


def add(folder, name: str, data: bytes = POINTS):
    return save_layer(folder / FOLDER, data, LayerSettings(
        name=name, label="name", source="s", file=f"{name}.csv", imported="2026-12-01"))


def test_a_request_never_waits_for_a_layer_being_taken_in(folder, monkeypatch):
    live = LiveDataset(folder)
    served = live.current()
    release, started = threading.Event(), threading.Event()
    real = live_module.examine_layer

    def slow(*args, **kwargs):
        started.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(live_module, "examine_layer", slow)
    add(folder, "new")
    answered = []
    asking = threading.Thread(target=lambda: answered.append(live.current()))
    asking.start()
    asking.join(10)
    assert answered == [served]  # answered at once, with the data set being served
    assert started.wait(10)  # while the new layer is read beside it
    assert live.current() is served
    release.set()
    assert "import-new" in live.refresh().themes.index


def test_a_change_reads_only_the_layers_that_changed(folder, monkeypatch):
    add(folder, "first")
    live = LiveDataset(folder)
    read = []
    real = live_module.examine_layer
    monkeypatch.setattr(live_module, "examine_layer",
                        lambda data, name, *args, **kwargs: read.append(name)
                        or real(data, name, *args, **kwargs))
    add(folder, "second", b"name,lat,lon\nOther,-20.1,57.5\n")
    assert {"import-first", "import-second"} <= set(live.refresh().themes.index)
    assert read == ["imports/second.csv"]
    remove_layer(folder / FOLDER, "first.csv")
    assert "import-first" not in live.refresh().themes.index
    assert read == ["imports/second.csv"]  # a removal reads nothing


def test_the_caps_hold_for_files_put_in_the_folder_and_for_undo(folder, monkeypatch):
    monkeypatch.setattr(imports_module, "MAX_LAYERS", 2)
    monkeypatch.setattr(live_module, "MAX_LAYERS", 2)
    add(folder, "a")
    add(folder, "b")
    kept = remove_layer(folder / FOLDER, "a.csv")
    add(folder, "c")
    with pytest.raises(DataError, match="2 imported layers already"):
        restore_layer(folder / FOLDER, kept)
    assert kept.exists()  # still in the trash, to put back once there is room
    (folder / FOLDER / "d.csv").write_bytes(POINTS)  # put there by hand
    loaded = load_folder(folder / FOLDER, LiveDataset(folder).base)
    assert [layer.stored for layer in loaded.layers] == ["b.csv", "c.csv"]
    assert [str(problem) for problem in loaded.problems] == [
        "imports/d.csv: file, field '-': not loaded: at most 2 imported layers and 100 MB in all"]


def test_imported_records_are_capped_in_all(folder, monkeypatch):
    monkeypatch.setattr(imports_module, "MAX_TOTAL_RECORDS", 3)
    add(folder, "two", POINTS + b"Other,-20.1,57.5\n")
    add(folder, "three", POINTS + b"Other,-20.1,57.5\n")
    loaded = load_folder(folder / FOLDER, LiveDataset(folder).base)
    assert [layer.stored for layer in loaded.layers] == ["three.csv"]
    assert [str(problem) for problem in loaded.problems] == [
        "imports/two.csv: file, field '-': 2 records: with the 2 imported already, more than "
        "the 3 allowed in all"]


def test_a_pipe_named_like_settings_or_a_layer_never_hangs_the_loading(folder):
    add(folder, "piped")
    settings = folder / FOLDER / f"piped.csv{SETTINGS_SUFFIX}"
    settings.unlink()
    os.mkfifo(settings)
    os.mkfifo(folder / FOLDER / "pipe.csv")
    loaded = []
    loading = threading.Thread(target=lambda: loaded.append(LiveDataset(folder).current()))
    loading.start()
    loading.join(30)
    assert loaded, "reading the folder hung on a pipe"
    assert [str(problem) for problem in loaded[0].import_problems] == [
        "imports/piped.csv.layer.json: settings, field '-': cannot be read: not a regular file"]


def test_control_and_bidirectional_characters_are_taken_out_of_names_and_titles():
    settings = LayerSettings(name="Ports\u202e\x00fdp.exe", label="name",
                             source="Unit\u2066 list\x07", file="a\u202egpj.csv",
                             imported="2026-12-01")
    assert (settings.name, settings.source, settings.file) == (
        "Portsfdp.exe", "Unit list", "agpj.csv")
    briefing = Briefing.model_validate({"title": "Brief\u202eing\x1b[31m", "slides": [
        {"title": "One\u200f", "view": "", "note": "line\nnext\x00"}]})
    assert briefing.title == "Briefing[31m"
    assert (briefing.slides[0].title, briefing.slides[0].note) == ("One", "line\nnext")


def test_both_workbook_readers_give_the_same_table():
    import datetime as dt

    from openpyxl import Workbook

    from presence.imported.reading import _calamine_rows, _openpyxl_rows

    book = Workbook()
    book.active.append(["name", "lat", "lon", "when", "ok", "blank"])
    book.active.append(["Port Louis", -20.16, 57.5, dt.date(2024, 5, 1), True, None])
    book.active.append(["Victoria", -4.62, 55, dt.datetime(2023, 1, 2, 3, 4), False, ""])
    out = io.BytesIO()
    book.save(out)
    tables = []
    for reader in (_calamine_rows, _openpyxl_rows):
        sheets, rows = reader(out.getvalue())
        tables.append((sheets, [[_cell_text(value) for value in row] for row in rows]))
    assert tables[0] == tables[1]
    assert tables[0][1][1] == ["Port Louis", "-20.16", "57.5", "2024-05-01", "True", ""]


def _cell_text(value) -> str:
    from presence.imported.reading import _cell

    return "" if value is None else _cell(value)


def test_a_reader_that_aborts_for_memory_is_named_so(monkeypatch):
    from presence.bounded import run_bounded

    with pytest.raises(DataError, match="more than 2 GB of memory"):
        run_bounded("tests.test_hostile_files:aborting_reader", b"", {}, "rust.xlsx")


def aborting_reader(data, request):
    os.abort()  # as a Rust library does when an allocation fails


def test_a_workbook_with_one_stray_far_cell_is_refused_naming_that_cell(tmp_path):
    """A normal table and one value left in XFD1048576: told which cell to delete, not that
    reading needs more than 2 GB. A far cell that only has a format is no value: read."""
    import io

    import openpyxl
    from openpyxl.styles import Font

    from presence.imported.examine import examine

    def workbook(far):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["name", "lat", "lon"])
        sheet.append(["Port security exercise", -18.9, 47.5])
        far(sheet["XFD1048576"])
        found = io.BytesIO()
        book.save(found)
        return found.getvalue()

    stray = workbook(lambda cell: setattr(cell, "value", "stray"))
    with pytest.raises(DataError) as refused:
        examine(stray, "sessions.xlsx", tmp_path, guess=True)
    message = refused.value.problems[0].message
    assert message.startswith("the first sheet has a value in XFD1048576, so far from the rest")
    assert "delete that cell" in message and "GB" not in message
    formatted = workbook(lambda cell: setattr(cell, "font", Font(bold=True)))
    assert examine(formatted, "sessions.xlsx", tmp_path, guess=True).rows == 1


def test_a_workbook_whose_shared_string_copies_would_pass_the_text_cap_is_never_copied(
        monkeypatch):
    """One 5,000-character string shown in 7,000 cells: 35 million characters once copied
    into each cell (400,000 such cells in a 45 KB file took a reading child's 2 GB). It is
    read by openpyxl, which shares the string, and refused at the text cap."""
    import presence.imported.reading as reading

    data = shared_string_workbook("z" * MAX_CELL_CHARS, rows=700, columns=10)
    assert len(data) < 100_000

    def copying(data):
        raise AssertionError("calamine would copy the string into every cell")

    monkeypatch.setattr(reading, "_calamine_rows", copying)
    found = problems(data, "notes.xlsx")
    assert len(found) == 1 and f"more than {MAX_TEXT_CHARS:,} characters of text" in found[0]
