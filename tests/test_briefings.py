"""Briefings on disk, the keyboard's URL changes and the language of a URL, without a browser."""

from __future__ import annotations

import json
import multiprocessing
import os

import pytest

from callbacks.language import in_language
from callbacks.presentation import after_key, stage_heading
from i18n import lang_in
from presence.briefings import BriefingError, BriefingStore
from presence.loader import GEODATA
from presence.views import parse_query

EXAMPLE = "fs05-indo-pacific"


@pytest.fixture
def store(tmp_path):
    return BriefingStore(tmp_path / "briefings")


def test_example_briefing_walks_the_five_themes_then_two_oceans(dataset):
    briefing = BriefingStore(GEODATA / "briefings").read(EXAMPLE)
    views = [parse_query(slide.view, dataset) for slide in briefing.slides]
    assert [v.themes for v in views[:5]] == [(t,) for t in dataset.themes.index]
    assert [v.region for v in views] == ["indo-pacific"] * 5 + ["indian-ocean", "pacific"]


def test_each_slide_of_the_example_shows_only_what_its_title_and_note_claim(dataset):
    """The briefing is fact sheet No.5's: a slide shows no record of the 2013 overview, and
    a slide titled with a theme shows that theme alone."""
    from presence.views import filter_records

    briefing = BriefingStore(GEODATA / "briefings").read(EXAMPLE)
    themes = dict(zip(dataset.themes["label_en"], dataset.themes.index))
    for slide in briefing.slides:
        assert "fact sheet no.5" in slide.note.lower(), slide.title
        records = filter_records(dataset, parse_query(slide.view, dataset))
        assert len(records) and set(records["source"]) == {"fs05"}, slide.title
        if slide.title in themes:
            assert set(records["theme"]) == {themes[slide.title]}, slide.title


def test_create_add_move_delete_and_the_file_is_plain_json(store):
    briefing_id = store.create("Chiefs' meeting")
    assert briefing_id == "chiefs-meeting"
    assert store.create("Chiefs' meeting") == "chiefs-meeting-2"  # never overwrites
    store.add_slide(briefing_id, "Pacific", "?region=pacific", "  first  ")
    store.add_slide(briefing_id, "Maritime", "theme=maritime-security")
    store.move_slide(briefing_id, 1, -1)
    saved = json.loads((store.folder / "chiefs-meeting.json").read_text())
    assert saved == {"title": "Chiefs' meeting", "slides": [
        {"title": "Maritime", "view": "theme=maritime-security", "note": ""},
        {"title": "Pacific", "view": "region=pacific", "note": "first"}]}
    store.delete_slide(briefing_id, 0)
    assert [s.title for s in store.read(briefing_id).slides] == ["Pacific"]
    store.move_slide(briefing_id, 0, -1)  # already first: nothing moves, nothing breaks
    assert [s.title for s in store.read(briefing_id).slides] == ["Pacific"]


def _add_many(folder, worker):
    store = BriefingStore(folder)
    for number in range(15):
        store.add_slide("shared", f"{worker}-{number}", "region=pacific")


def test_concurrent_saves_from_several_processes_lose_nothing(store):
    store.create("Shared")
    workers = [multiprocessing.Process(target=_add_many, args=(store.folder, w)) for w in "abc"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    titles = [s.title for s in store.read("shared").slides]
    assert len(titles) == 45 and len(set(titles)) == 45


def test_a_crash_while_saving_leaves_the_previous_file_whole(store, monkeypatch):
    briefing_id = store.create("Safe")
    store.add_slide(briefing_id, "One", "region=pacific")
    before = (store.folder / "safe.json").read_bytes()

    def crash(_fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError):
        store.add_slide(briefing_id, "Two", "region=europe")
    assert (store.folder / "safe.json").read_bytes() == before


def test_a_bad_hand_written_file_is_named_and_the_others_still_load(store):
    store.create("Good")
    (store.folder / "broken.json").write_text('{"title": "Broken", "slides": [{"view": 3}]}')
    (store.folder / "garbage.json").write_text("not json")
    briefings, problems = store.all()
    assert list(briefings) == ["good"]
    described = [str(p) for p in problems]
    assert any(p.startswith("broken.json: slide 1, field 'title'") for p in described)
    assert any(p.startswith("broken.json: slide 1, field 'view'") for p in described)
    assert any(p.startswith("garbage.json") for p in described)
    with pytest.raises(BriefingError, match="not a briefing id"):
        store.read("../../etc/passwd")
    with pytest.raises(BriefingError, match="title"):
        store.add_slide("good", "", "region=pacific")


def test_keys_change_the_url_as_the_shortcut_list_says(dataset, store):
    key = lambda search, action: after_key(dataset, store, search, action)  # noqa: E731
    assert key("?region=pacific&lang=fr", "theme:4") == \
        "?region=pacific&lang=fr&theme=maritime-security"
    assert key("?theme=civil-security&category=x", "theme:0") == ""
    assert key("", "theme:9") is None
    assert key("", "next-region") == "?region=indo-pacific"
    assert key("", "previous-region") == f"?region={dataset.filter_regions[-1]}"
    assert key("?region=indo-pacific", "previous-region") == ""
    assert key("?theme=civil-security", "toggle-present") == "?theme=civil-security&present=1"
    assert key("?present=1", "leave") == ""
    assert key("", "leave") is None
    assert key("", "next-slide") is None  # no briefing on screen
    assert key("?", "<script>") is None


def test_arrow_keys_step_through_a_briefing_keeping_language_and_mode(dataset, store):
    briefing_id = store.create("Tour")
    store.add_slide(briefing_id, "Pacific", "region=pacific&selected=fs05-crimaro-ii")
    store.add_slide(briefing_id, "Maritime", "theme=maritime-security")
    start = f"?region=pacific&lang=fr&present=1&briefing={briefing_id}&slide=0"
    second = after_key(dataset, store, start, "next-slide")
    assert second == f"?theme=maritime-security&lang=fr&present=1&briefing={briefing_id}&slide=1"
    assert after_key(dataset, store, second, "next-slide") == second  # stays on the last
    first = after_key(dataset, store, second, "previous-slide")
    assert first.startswith("?region=pacific&selected=fs05-crimaro-ii&lang=fr&present=1")
    heading = stage_heading(dataset, store, second)
    assert heading[0].children == "Maritime" and "Tour — 2/2" in heading[1].children
    # Once the presenter changes the view, the heading says what is shown.
    changed = after_key(dataset, store, second, "theme:3")
    assert stage_heading(dataset, store, changed)[0].children == "Sécurité civile — Monde"


def test_p_resumes_the_briefing_at_its_slide_or_the_one_chosen_in_the_panel(dataset, store):
    briefing_id = store.create("Tour")
    store.add_slide(briefing_id, "Pacific", "region=pacific")
    store.add_slide(briefing_id, "Maritime", "theme=maritime-security")
    # Left at slide 2, then wandered off to civil security: P comes back to slide 2's view.
    wandered = f"?theme=civil-security&lang=fr&briefing={briefing_id}&slide=1"
    assert after_key(dataset, store, wandered, "toggle-present") == \
        f"?theme=maritime-security&lang=fr&present=1&briefing={briefing_id}&slide=1"
    # No briefing on screen, one chosen in the panel: P starts it.
    assert after_key(dataset, store, "?lang=fr", "toggle-present", briefing_id) == \
        f"?region=pacific&lang=fr&present=1&briefing={briefing_id}&slide=0"
    # Nothing to resume (or a briefing that cannot be read): P presents what is shown.
    assert after_key(dataset, store, "?theme=civil-security", "toggle-present", "gone") == \
        "?theme=civil-security&present=1"
    # P while presenting leaves, keeping the slide for the next P.
    assert after_key(dataset, store, f"?present=1&briefing={briefing_id}&slide=1",
                     "toggle-present", briefing_id) == f"?briefing={briefing_id}&slide=1"


def test_language_of_a_url_and_the_links_to_switch_it():
    assert lang_in("http://127.0.0.1:8050/?region=pacific&lang=fr") == "fr"
    assert lang_in("?lang=de") == "en" and lang_in(None) == "en"
    assert in_language("?region=pacific&lang=fr", "en") == "?region=pacific"
    assert in_language("?region=pacific", "fr") == "?region=pacific&lang=fr"


def test_a_folder_a_pipe_or_a_huge_file_named_json_hides_only_itself(tmp_path):
    store = BriefingStore(tmp_path)
    good = store.create("Pacific brief")
    (tmp_path / "folder.json").mkdir()
    os.mkfifo(tmp_path / "pipe.json")  # reading it would wait for ever
    (tmp_path / "huge.json").write_bytes(b" " * (2 * 1024 * 1024))
    found, problems = store.all()
    assert list(found) == [good]
    reasons = {problem.file: problem.message for problem in problems}
    assert reasons["folder.json"] == reasons["pipe.json"] == "not a regular file: left out"
    assert "a briefing is at most" in reasons["huge.json"]


def test_the_number_of_briefings_is_capped(tmp_path, monkeypatch):
    import presence.briefings as briefings_module

    monkeypatch.setattr(briefings_module, "MAX_BRIEFINGS", 3)
    store = BriefingStore(tmp_path)
    for number in range(3):
        store.create(f"Brief {number}")
    with pytest.raises(BriefingError) as refused:
        store.create("One too many")
    assert "3 briefings already" in refused.value.problems[0].message
    assert len(store.all()[0]) == 3


def test_a_briefing_id_with_a_trailing_newline_is_not_an_id(store):
    with pytest.raises(BriefingError, match="not a briefing id"):
        store.read("fs05-indo-pacific\n")


def test_the_presenter_s_slide_texts_are_worked_out_once_per_briefing_and_data_state(
        store, geodata_copy, monkeypatch):
    """The presenter view asks for the slides' texts every few seconds, several windows at
    once: worked out once, again only when the briefing or the data changes."""
    import threading

    import callbacks.presenter as presenter
    from presence.live import LiveDataset

    data = LiveDataset(geodata_copy.folder)
    briefing_id = store.create("Madagascar")
    store.add_slide(briefing_id, "Indian Ocean", "region=indian-ocean", "First note")
    worked, real = [], presenter.briefing_slides
    monkeypatch.setattr(presenter, "briefing_slides",
                        lambda *args: worked.append(1) or real(*args))
    texts = presenter.SlideTexts(data, store)
    answers = []
    askers = [threading.Thread(target=lambda: answers.append(texts.slides(briefing_id, "en")))
              for _ in range(6)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(60)
    assert len(answers) == 6 and len(worked) == 1
    assert answers[0]["slides"][0]["note"] == "First note"
    assert answers[0]["slides"][0]["sources"]  # the records' sources, as the slide shows
    assert all(answer == answers[0] for answer in answers)
    store.add_slide(briefing_id, "Comoros", "country=COM", "Second note")
    assert [s["note"] for s in texts.slides(briefing_id, "en")["slides"]] == [
        "First note", "Second note"]
    assert texts.slides(briefing_id, "fr") and len(worked) == 3
    with pytest.raises(BriefingError):
        texts.slides("no-such-briefing", "en")
