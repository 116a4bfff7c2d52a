"""bench/snapshot.py, the before-and-after check of a refactoring: its comparison names the
JSON path and the pixels that differ, and finds nothing in two equal saves."""

import json

from PIL import Image

from bench.snapshot import compare


def save(folder, answer: dict, colour) -> None:
    folder.mkdir()
    (folder / "view-answers.json").write_text(json.dumps(answer, indent=1, sort_keys=True))
    Image.new("RGB", (40, 30), colour).save(folder / "page-0.png")


def test_equal_saves_compare_identical(tmp_path, capsys):
    save(tmp_path / "a", {"map": {"z": [1, 2]}}, (255, 255, 255))
    save(tmp_path / "b", {"map": {"z": [1, 2]}}, (255, 255, 255))
    assert compare(tmp_path / "a", tmp_path / "b") == 0
    assert "identical" in capsys.readouterr().out


def test_a_changed_value_and_changed_pixels_are_named(tmp_path, capsys):
    save(tmp_path / "a", {"map": {"z": [1, 2]}}, (255, 255, 255))
    save(tmp_path / "b", {"map": {"z": [1, 3]}}, (255, 255, 255))
    image = Image.open(tmp_path / "b" / "page-0.png")
    image.putpixel((5, 7), (0, 0, 0))
    image.save(tmp_path / "b" / "page-0.png")
    assert compare(tmp_path / "a", tmp_path / "b") == 1
    out = capsys.readouterr().out
    assert ".map.z[1]: 2 → 3" in out
    assert "page-0.png: 1 pixels differ, within (5, 7, 6, 8)" in out
