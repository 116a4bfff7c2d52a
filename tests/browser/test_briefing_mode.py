"""Presenting from the map in a real browser: keys, presentation mode, briefings that survive
a restart, French, and an accessibility check with axe-core."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pages import open_view, shown

from bench.browser import served

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def wait_for_url(page, fragment: str):
    page.wait_for_function("f => location.search.includes(f)", arg=fragment, timeout=15_000)


def test_number_keys_switch_themes_and_typing_does_not(air_gapped_page, server_url, dataset):
    maritime = int((dataset.records["theme"] == "maritime-security").sum())
    page = open_view(air_gapped_page, server_url)
    page.keyboard.press("4")
    wait_for_url(page, "theme=maritime-security")
    page.wait_for_function("n => document.querySelector('#record-count').innerText"
                           ".startsWith(n + ' of')", arg=maritime)
    assert page.is_checked("#filter-themes input[value='maritime-security']")
    assert not page.is_checked("#filter-themes input[value='civil-security']")
    # Typed into the search field, "3" is text, not a shortcut.
    page.click("#records-search")
    page.keyboard.type("3")
    page.wait_for_timeout(600)
    assert "theme=maritime-security" in page.url and "civil" not in page.url
    assert page.input_value("#records-search") == "3"
    page.click("h1")  # leave the field
    page.keyboard.press("0")
    page.wait_for_function("!location.search.includes('theme=')")
    page.wait_for_function("document.querySelector('#record-count').innerText"
                           f".startsWith('{len(dataset.records)} of')")
    page.keyboard.press("r")
    wait_for_url(page, "region=indo-pacific")
    assert air_gapped_page.external == []


def test_arrow_keys_step_through_the_shipped_briefing(air_gapped_page, server_url):
    page = open_view(air_gapped_page,
                     server_url + "?present=1&briefing=fs05-indo-pacific&slide=0"
                                  "&theme=defence-cooperation&region=indo-pacific&attested=2023")
    page.wait_for_function("document.querySelector('#stage-heading h1') && document"
                           ".querySelector('#stage-heading h1').innerText === "
                           "'Defence cooperation (DCSD)'")
    before = page.locator("#map").bounding_box()
    # Watch every animation frame while the slides change: the map must never be blank.
    page.evaluate("""() => { window.fewestAreas = Infinity; const watch = () => {
        window.fewestAreas = Math.min(window.fewestAreas,
            document.querySelectorAll('.choroplethlocation').length);
        requestAnimationFrame(watch); }; watch(); }""")
    for slide, theme in ((1, "domestic-security"), (2, "civil-security")):
        page.keyboard.press("ArrowRight")
        wait_for_url(page, f"slide={slide}")
        assert f"theme={theme}" in page.url and "present=1" in page.url
    page.wait_for_function("document.querySelector('#stage-heading h1').innerText === "
                           "'Civil security'")
    assert "3/7" in page.inner_text("#stage-heading")
    assert page.evaluate("window.fewestAreas") > 200  # countries drawn in every frame
    assert page.locator("#map").bounding_box() == before  # and the map did not move
    page.keyboard.press("ArrowLeft")
    wait_for_url(page, "slide=1")
    page.wait_for_function("document.querySelector('#stage-heading h1').innerText === "
                           "'Domestic security'")
    assert page.is_checked("#filter-themes input[value='domestic-security']")


def test_presentation_mode_hides_the_controls_and_survives_a_reload(air_gapped_page,
                                                                    server_url):
    page = open_view(air_gapped_page, server_url + "?theme=maritime-security&region=pacific")
    assert page.is_visible(".filters") and page.is_visible("#records-table")
    page.click("#present-button")
    wait_for_url(page, "present=1")
    page.wait_for_selector(".page.presenting")
    for control in (".filters", "#records-table", ".side-panel", ".page-header",
                    "#map .modebar-container"):  # Plotly's toolbar too
        assert not page.is_visible(control), control
    assert page.inner_text("#stage-heading h1") == "Maritime security — Pacific"
    map_box = page.locator("#map").bounding_box()
    assert map_box["width"] > 1300 and map_box["height"] > 700  # the map fills the screen
    marker = page.evaluate("document.querySelector('.scatterlayer path.point').getBBox().width")

    page.reload()
    page.wait_for_selector(".page.presenting")
    page.wait_for_selector(".scatterlayer path.point")
    assert not page.is_visible(".filters")
    assert page.inner_text("#stage-heading h1") == "Maritime security — Pacific"
    page.keyboard.press("Escape")
    page.wait_for_function("!location.search.includes('present')")
    page.wait_for_selector(".filters", state="visible")
    page.wait_for_function("w => document.querySelector('.scatterlayer path.point')"
                           ".getBBox().width < w", arg=marker)  # symbols back to screen size
    assert "theme=maritime-security" in page.url and "region=pacific" in page.url


def test_question_mark_lists_the_shortcuts(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url)
    page.keyboard.press("?")
    page.wait_for_selector("#shortcuts[open]")
    assert "Next / previous slide of the briefing" in page.inner_text("#shortcuts")
    page.keyboard.press("Escape")
    page.wait_for_selector("#shortcuts:not([open])", state="attached")
    assert "present" not in page.url


def test_french_labels_with_lang_fr(air_gapped_page, server_url, dataset):
    page = open_view(air_gapped_page, server_url + "?lang=fr&theme=civil-security")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.inner_text("h1") == "La coopération de sécurité et de défense de la France"
    assert page.inner_text("#record-count").endswith(f"éléments affichés sur {len(dataset.records)}")
    assert "Sécurité maritime" in page.inner_text("#filter-themes")
    assert "Région" in page.inner_text(".filters")
    # Long entries wrap: their lines are read back with a space between them.
    entries = page.locator(".legend .legendtext").evaluate_all(
        "texts => texts.map(t => [...t.querySelectorAll('tspan.line')].map(l => l.textContent)"
        ".join(' ') || t.textContent)")
    assert "Conseiller régional protection civile" in entries
    assert "Exporter la carte" in page.inner_text(".export-panel summary")
    # The links switch language and keep the view.
    page.click("a[hreflang='en']")
    page.wait_for_function("document.documentElement.lang === 'en'")
    open_view(air_gapped_page, page.url)
    assert "theme=civil-security" in page.url and "lang" not in page.url
    assert page.inner_text("h1") == "France's security and defence cooperation"
    assert shown(page) == int((dataset.records["theme"] == "civil-security").sum())


@pytest.mark.parametrize("query", ["", "?present=1&lang=fr&region=pacific"])
def test_axe_finds_no_serious_or_critical_violation(air_gapped_page, server_url, query):
    page = open_view(air_gapped_page, server_url + query)
    page.wait_for_timeout(300)  # the accessibility repairs run on the next animation frame
    page.add_script_tag(content=AXE)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_focus_is_visible_on_every_kind_of_control(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url)
    seen = set()
    for _ in range(16):
        page.keyboard.press("Tab")
        outline = page.evaluate("""(() => {
            const e = document.activeElement, s = getComputedStyle(e);
            return [e.tagName, s.outlineStyle, s.outlineWidth];
        })()""")
        if outline[0] != "BODY":
            seen.add(outline[0])
            assert outline[1] != "none" and outline[2] != "0px", outline
    assert {"BUTTON", "A", "INPUT"} <= seen


def test_a_briefing_saved_in_the_browser_is_there_after_a_restart(browser, geodata_copy):
    from conftest import AirGappedPage

    folder = geodata_copy.folder
    with served("ours", folder) as url:
        gapped = AirGappedPage(browser)
        page = open_view(gapped, url + "?theme=environmental-crime&region=pacific")
        page.click("summary:has-text('Briefings')")
        page.fill("#briefing-new-title", "Pacific brief")
        page.click("#briefing-create")
        page.wait_for_function("document.querySelector('#briefing-status').innerText"
                               ".includes('Created')")
        page.fill("#slide-title", "Fisheries")
        page.fill("#slide-note", "Operation NASSE")
        page.click("#slide-add")
        page.wait_for_selector("#briefing-slides li.slide")
        gapped.page.close()
    saved = json.loads((folder / "briefings" / "pacific-brief.json").read_text())
    assert saved["slides"] == [{"title": "Fisheries", "note": "Operation NASSE",
                                "view": "theme=environmental-crime&region=pacific"}]

    with served("ours", folder) as url:  # a new server process on the same folder
        gapped = AirGappedPage(browser)
        page = open_view(gapped, url)
        page.click("summary:has-text('Briefings')")
        # Two briefings now: none is chosen for the officer, and presenting says so.
        page.click("#briefing-present")
        page.wait_for_function("document.querySelector('#briefing-status').innerText"
                               ".startsWith('Choose the briefing to present')")
        assert "present=1" not in page.url
        page.locator("#briefing-choice").click()
        page.get_by_role("option", name="Pacific brief").click()
        page.wait_for_selector("#briefing-slides li.slide")
        assert "Fisheries" in page.inner_text("#briefing-slides")
        page.click("#briefing-present")
        wait_for_url(page, "slide=0")
        page.wait_for_selector(".page.presenting")
        assert page.inner_text("#stage-heading h1") == "Fisheries"
        assert "theme=environmental-crime" in page.url
        assert gapped.external == []
        gapped.page.close()


@pytest.mark.parametrize("width,height", [(1920, 1080), (1280, 720)])
def test_presentation_screenshots(air_gapped_page, server_url, width, height, tmp_path):
    page = air_gapped_page.page
    page.set_viewport_size({"width": width, "height": height})
    page = open_view(air_gapped_page, server_url + "?present=1&briefing=fs05-indo-pacific"
                                                   "&slide=3&theme=maritime-security"
                                                   "&region=indo-pacific&attested=2023")
    page.wait_for_selector(".page.presenting")
    page.wait_for_timeout(500)
    # Everything the audience must see is on screen, with nothing cut off.
    for part in ("#stage-heading h1", ".legend", ".colorbar"):
        box = page.locator(part).first.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0
        assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, part
    assert page.evaluate("document.documentElement.scrollHeight") <= height + 1
    shot = tmp_path / f"presentation-{width}x{height}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000  # a drawn map, not a blank page


def test_the_presenter_window_follows_and_steps_the_presentation(air_gapped_page, server_url):
    """A second window (same browser, no network between them) shows the slide's note and
    sources, the next slide's title and the elapsed time; keys in either window step both."""
    main = open_view(air_gapped_page,
                     server_url + "?present=1&briefing=fs05-indo-pacific&slide=0"
                                  "&theme=defence-cooperation&region=indo-pacific&attested=2023")
    with main.expect_popup() as opened:  # as the panel's link opens it
        main.evaluate("window.open('presenter?lang=en', 'presenter-view')")
    presenter = opened.value
    presenter.route("**/*", air_gapped_page._route)

    def presenter_shows(title: str, position: str):
        presenter.wait_for_function(
            "([t, p]) => document.querySelector('#presenter-title').innerText === t && "
            "document.querySelector('#presenter-position').innerText.endsWith(p)",
            arg=[title, position], timeout=15_000)

    presenter_shows("Defence cooperation (DCSD)", "1/7")
    assert "DCSD, a major player" in presenter.inner_text("#presenter-note")
    assert presenter.inner_text("#presenter-sources").startswith(
        "Source: France in the Indo-Pacific, Fact sheet No.5")
    assert presenter.inner_text("#presenter-next") == "Domestic security"
    presenter.keyboard.press("ArrowRight")  # in the presenter window
    wait_for_url(main, "slide=1")
    presenter_shows("Domestic security", "2/7")
    main.wait_for_function("document.querySelector('#stage-heading h1').innerText === "
                           "'Domestic security'")
    main.keyboard.press("ArrowRight")  # in the main window
    presenter_shows("Civil security", "3/7")
    assert presenter.inner_text("#presenter-next") == "Maritime security"
    presenter.keyboard.press("ArrowLeft")
    wait_for_url(main, "slide=1")
    presenter_shows("Domestic security", "2/7")
    # The slide's map and the next one's, drawn by the server, beside the note in large type.
    # The server's exporter starts its Chromium for them: past 60 s once, on a machine busy
    # with the rest of the suite (23 s in the run before).
    presenter.wait_for_function(
        "['presenter-map', 'presenter-next-map'].every(id => { const i = "
        "document.getElementById(id); return !i.hidden && i.complete && i.naturalWidth >= 1200; })",
        timeout=150_000)
    assert presenter.get_attribute("#presenter-map", "alt") == "Domestic security"
    assert presenter.get_attribute("#presenter-next-map", "alt") == "Civil security"
    assert "slide=1" in presenter.get_attribute("#presenter-map", "src")
    presenter.set_viewport_size({"width": 1280, "height": 800})
    drawn = presenter.evaluate("""() => {
        const box = document.getElementById('presenter-map').getBoundingClientRect();
        return {width: box.width, note: parseFloat(getComputedStyle(
            document.getElementById('presenter-note')).fontSize)};
    }""")
    assert drawn["width"] > 600 and drawn["note"] >= 28  # half the window, and read afar
    presenter.wait_for_function("document.querySelector('#presenter-elapsed').innerText"
                                " !== '00:00'", timeout=5_000)
    assert re.fullmatch(r"\d\d:\d\d", presenter.inner_text("#presenter-elapsed"))
    assert air_gapped_page.external == []
    presenter.close()


def test_the_presenter_view_opens_from_the_briefings_panel_in_french(air_gapped_page,
                                                                     server_url):
    main = open_view(air_gapped_page, server_url + "?lang=fr")
    main.click("summary:has-text('Exposés')")
    with main.expect_popup() as opened:
        main.click("#presenter-link")
    presenter = opened.value
    presenter.wait_for_load_state()
    assert presenter.title() == "Vue présentateur"
    assert presenter.inner_text("#presenter-title").startswith("En attente de la présentation")
    presenter.close()
    # Nothing chosen, but one briefing: "Présenter cet exposé" presents it.
    main.click("#briefing-present")
    wait_for_url(main, "slide=0")
    assert "briefing=fs05-indo-pacific" in main.url and "present=1" in main.url
