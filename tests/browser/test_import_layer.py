"""Bringing a layer in the browser: drop a file, read the preview, choose the columns, add it;
the map, legend, filters, table, details, URL and export then treat it like the data set's
own layers. A bad file is named by row and field and nothing on screen is lost. Markup in the
file is shown as text."""

from __future__ import annotations

from conftest import AirGappedPage
from pages import open_view, shown

from bench.browser import served
from presence.imported.folder import FOLDER

SESSIONS = ("name;type;lat;lon;notes\n"
            "Maritime surveillance course;Training;-4,62;55,45;Seychelles coast guard\n"
            '<img src=x onerror="window.pwned=1">Port exercise;Exercise;-20,16;57,50;'
            "<script>window.pwned=2</script>\n"
            "First responders workshop;Training;-18,91;47,52;Antananarivo\n")
BROKEN = "name;type;lat;lon\nGood row;Training;1;2\nBad row;Training;95;2\n;Training;1;2\n"


def drop(page, path) -> None:
    page.set_input_files("#import-upload input[type=file]", str(path))
    page.wait_for_function(f"document.querySelector('#import-preview').innerText"
                           f".startsWith('{path.name}')", timeout=30_000)


def legend_entries(page) -> list[str]:
    return [text.strip() for text in page.locator(".legend .legendtext").all_text_contents()]


def test_a_dropped_file_becomes_a_layer_like_the_others(browser, geodata_copy, tmp_path):
    sessions, broken = tmp_path / "sessions.csv", tmp_path / "broken.csv"
    sessions.write_text(SESSIONS, encoding="utf-8")
    broken.write_text(BROKEN, encoding="utf-8")
    with served("ours", geodata_copy.folder) as url:
        gapped = AirGappedPage(browser)
        page = open_view(gapped, url + "?theme=maritime-security&region=indian-ocean")
        before = shown(page)
        page.click("summary:has-text('Bring your own layer')")

        # A bad file: every problem named by line and field, nothing added, the map kept.
        drop(page, broken)
        preview = page.inner_text("#import-preview")
        assert "2 problems:" in preview
        assert "broken.csv: line 3, field 'lat': 95 is outside -90..90" in preview
        assert "broken.csv: line 4, field 'name': empty: every record needs a label" in preview
        assert page.is_disabled("#import-add")
        assert shown(page) == before and "import-" not in page.url

        # A good file: its preview, then the choices, then the layer.
        drop(page, sessions)
        preview = page.inner_text("#import-preview")
        assert "sessions.csv: CSV, 3 rows, 5 columns" in preview
        assert "placed by longitude and latitude columns 'lon' and 'lat'; 2 categories" in preview
        assert '<img src=x onerror="window.pwned=1">Port exercise' in preview  # as text
        assert page.input_value("#import-name") == "sessions"
        page.fill("#import-name", "Training sessions")
        page.fill("#import-source", "List from the liaison officer, Nov 2026")
        page.click("#import-add")
        page.wait_for_function("document.querySelector('#import-status').innerText"
                               ".startsWith('Added')")
        assert page.inner_text("#import-status") == "Added “Training sessions”: 3 records."
        # The URL's theme filter now lists the new layer, so it is on screen.
        page.wait_for_function("location.search.includes('import-training-sessions') || "
                               "location.search.includes('import-sessions')")
        page.wait_for_function(f"parseInt(document.querySelector('#record-count').innerText) "
                               f"=== {before + 3}")
        page.wait_for_function("[...document.querySelectorAll('.legend .legendtext')]"
                               ".some(e => e.textContent === 'Exercise')")
        assert {"Training", "Exercise"} <= set(legend_entries(page))
        assert page.get_by_role("checkbox", name="Training sessions").is_checked()  # a theme box of its own
        page.wait_for_function("document.querySelector('#import-layers').innerText"
                               ".includes('Training sessions: 3 records (sessions.csv)')")
        row = page.locator(".ag-row", has_text="Port exercise")
        assert "Training sessions" in row.inner_text() and "Mauritius" in row.inner_text()

        # Details of an imported record: its file and line as the source, markup as text.
        row.click()
        page.wait_for_selector("#details h2")
        assert page.inner_text("#details h2") == '<img src=x onerror="window.pwned=1">Port exercise'
        details = page.inner_text("#details")
        assert "notes: <script>window.pwned=2</script>" in details
        assert "List from the liaison officer, Nov 2026" in details and "line 3" in details
        assert "at the coordinates the imported file gives" in details

        # Untick the layer's theme: its symbols leave the map and the legend.
        page.get_by_role("checkbox", name="Training sessions").uncheck()
        page.wait_for_function(f"parseInt(document.querySelector('#record-count').innerText) "
                               f"=== {before}")
        page.wait_for_function("![...document.querySelectorAll('.legend .legendtext')]"
                               ".some(e => e.textContent === 'Exercise')")
        page.get_by_role("checkbox", name="Training sessions").check()
        page.wait_for_function("[...document.querySelectorAll('.legend .legendtext')]"
                               ".some(e => e.textContent === 'Exercise')")
        # Its theme has an "only" button, as the shipped themes do: the 3 records alone.
        page.get_by_role("button", name="Show only Training sessions").click()
        page.wait_for_function("parseInt(document.querySelector('#record-count').innerText)"
                               " === 3")
        assert not page.get_by_role("checkbox", name="Maritime security").is_checked()
        page.get_by_role("checkbox", name="Maritime security").check()

        # The export holds it too.
        page.click("summary:has-text('Export map')")
        page.get_by_label("SVG (vector)").check()
        with page.expect_download(timeout=90_000) as download:
            page.click("#export-button")
        svg = open(download.value.path(), encoding="utf-8").read()
        assert ">Exercise<" in svg and "Training sessions" in svg
        assert "<script" not in svg and "<img" not in svg

        # A page opened afterwards (another officer, maybe another worker) has the layer;
        # the file is in the data folder.
        other = AirGappedPage(browser)
        second = open_view(other, url)
        assert second.get_by_role("checkbox", name="Training sessions").is_checked()
        assert (geodata_copy.folder / FOLDER / "sessions.csv").read_text(encoding="utf-8") == SESSIONS

        # Removing it takes it off the map, the filters and the folder.
        page.click("button[aria-label='Remove the layer “Training sessions”']")
        page.wait_for_function("document.querySelector('#import-status').innerText"
                               ".startsWith('Layer removed.')")
        page.wait_for_function("!document.querySelector('#filter-themes').innerText"
                               ".includes('Training sessions')")
        # A removal can be undone from the panel, with the choices made for the layer.
        page.click("#import-status button:has-text('Undo')")
        page.wait_for_function("document.querySelector('#import-status').innerText"
                               " === 'Layer put back.'")
        page.wait_for_function("document.querySelector('#filter-themes').innerText"
                               ".includes('Training sessions')")
        assert (geodata_copy.folder / FOLDER / "sessions.csv").exists()
        page.click("button[aria-label='Remove the layer “Training sessions”']")
        page.wait_for_function("document.querySelector('#import-status').innerText"
                               ".startsWith('Layer removed.')")
        page.wait_for_function("!document.querySelector('#filter-themes').innerText"
                               ".includes('Training sessions')")
        page.wait_for_function("![...document.querySelectorAll('.legend .legendtext')]"
                               ".some(e => e.textContent === 'Exercise')")
        assert not (geodata_copy.folder / FOLDER / "sessions.csv").exists()
        assert page.get_by_role("button", name="Show only Training sessions").count() == 0
        assert page.evaluate("window.pwned") is None and second.evaluate("window.pwned") is None
        assert gapped.external == [] and other.external == []
