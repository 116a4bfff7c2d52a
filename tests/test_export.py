"""Exported images, opened and checked as a user would: their size, DPI and page count, that
the text stays text in SVG and PDF, that they are not blank, and that they come out with no
network at all."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from datetime import date
from html import unescape
from pathlib import Path

import numpy as np
import pypdf
import pypdfium2
import pytest
from PIL import Image

from export.atlas import AtlasPage, default_pages, write_atlas
from export.exporter import Exporter, ExportRequest
from export.page import PAGES, PageError, parse_page
from export.renderer import offline_launcher
from figures.fact_sheet import SheetOptions

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2026, 11, 23)
MARITIME_IO = "theme=maritime-security&region=indian-ocean"


@pytest.fixture(scope="module")
def exporter(dataset):
    # One Chromium for the module, as the dashboard and the atlas use one.
    made = Exporter(dataset)
    yield made
    made.renderer.stop()


def request(query=MARITIME_IO, **changes) -> ExportRequest:
    options = changes.pop("options", SheetOptions(exported_on=DAY))
    return ExportRequest(query=query, options=options, **changes)


def inked_share(image: Image.Image) -> float:
    """Share of pixels that are not white: a blank or one-colour page has next to none."""
    grey = np.asarray(image.convert("L").resize((400, 400)))
    return float((grey < 245).mean())


def svg_texts(svg: str) -> set[str]:
    """The text of each <text> element (its lines, <tspan>s, joined by spaces)."""
    return {unescape(re.sub(r"<[^>]+>", " ", inner)).strip().replace("  ", " ")
            for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)}


def colours(image: Image.Image) -> int:
    return len(image.convert("RGB").resize((300, 300)).getcolors(300 * 300))


def test_png_is_page_size_times_dpi_and_says_its_dpi(exporter):
    for size, dpi in (("a4-landscape", 300), ("a5-portrait", 150)):
        png = exporter.export(request(page=PAGES[size], dpi=dpi))
        image = Image.open(io.BytesIO(png))
        assert image.size == PAGES[size].pixels(dpi)
        assert PAGES["a4-landscape"].pixels(300) == (3508, 2480)
        # PNG stores pixels per metre, a whole number: 300 DPI reads back as 299.9994.
        assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.05)
        # A drawn map: ink, and many colours (map, symbols, text), not one flood.
        assert 0.15 < inked_share(image) < 0.9
        assert colours(image) > 50


def test_custom_size_and_slide(exporter):
    png = exporter.export(request(page=parse_page("180x120mm"), dpi=150))
    assert Image.open(io.BytesIO(png)).size == (1063, 709)
    png = exporter.export(request(page=PAGES["slide-16x9"], dpi=150))
    assert Image.open(io.BytesIO(png)).size == (2000, 1125)


def test_svg_keeps_title_caption_legend_and_sources_as_text(exporter):
    svg = exporter.export(request(fmt="svg", query=MARITIME_IO + "&selected=fs05-crimaro-ii"))
    text = svg.decode()
    assert re.search(r'<svg[^>]* width="297mm" height="210mm"', text)
    # Text elements, not outlines or an embedded picture.
    strings = svg_texts(text)
    assert "Maritime security — Indian Ocean" in strings
    assert "Rescue coordination centre" in strings  # legend entries…
    # CRIMARO II and GPS stand in for the source's words: the key's dotted entry says so
    # (once, not once per theme).
    assert "Region as its source words it (approximate)" in strings
    assert "Project footprints" not in strings  # no footprint here names its countries
    assert not any("Counter-drug operations" in s for s in strings)  # …only what is shown
    caption = " ".join(strings)
    assert "in the region Indian Ocean. Themes shown: Maritime security." in caption
    assert "Selected: CRIMARO II project." in caption
    assert "France in the Indo-Pacific, Fact sheet No.5" in caption
    assert "Exported on 23 November 2026" in caption.replace("\u00a0", " ")
    assert "<image" not in text  # markers and polygons are vectors too
    assert text.count('class="choroplethlocation"') > 50


def test_pdf_is_one_vector_page_of_the_chosen_size(exporter):
    options = SheetOptions(marking="DIFFUSION RESTREINTE", exported_on=DAY, title="Custom title")
    pdf = exporter.export(request(fmt="pdf", page=PAGES["a4-portrait"], options=options))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((595.3, 841.9), abs=1)
    text = reader.pages[0].extract_text()
    assert "Custom title" in text and text.count("DIFFUSION RESTREINTE") == 2
    # A long legend entry wraps onto two lines.
    assert "Maritime surveillance and coordination facility" in " ".join(text.split())
    assert reader.metadata["/Title"] == "Custom title"
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=1).to_pil()
    assert 0.1 < inked_share(page) < 0.9 and colours(page) > 50


def test_parts_of_the_page_can_be_left_out(exporter):
    bare = SheetOptions(show_title=False, show_legend=False, show_caption=False,
                        show_sources=False, show_date=False, exported_on=DAY)
    text = exporter.export(request(fmt="svg", options=bare)).decode().replace("\u00a0", " ")
    for gone in ("Maritime security — Indian Ocean", "Rescue coordination centre", "Themes shown",
                 "Source:", "Exported on"):
        assert gone not in text
    assert text.count('class="choroplethlocation"') > 50  # the map itself stays


def test_french_view_is_labelled_in_french(exporter):
    text = exporter.export(request(fmt="svg", query=MARITIME_IO + "&lang=fr")).decode()
    assert "Sécurité maritime — océan Indien" in text  # French capitalisation of seas
    # French typography: a non-breaking space before the colon, a date in words.
    assert "Thèmes représentés\u00a0: Sécurité maritime" in text or \
        "Thèmes représentés&#160;: Sécurité" in text
    assert "Exporté le 23 novembre 2026" in text.replace("\u00a0", " ")


def test_data_text_is_not_markup_in_the_export(exporter, dataset):
    options = SheetOptions(title="<b>bold</b> & <a href='x'>link</a>", exported_on=DAY)
    text = exporter.export(request(fmt="svg", options=options)).decode()
    # Shown as the characters typed, not turned into bold text and a link.
    assert "<b>bold</b> & <a href='x'>link</a>" in svg_texts(text)
    assert "<a " not in text and "href='x'" not in text.replace("&#60;a href='x'", "")


def test_bad_requests_are_refused_with_a_clear_error(exporter):
    with pytest.raises(ValueError, match="unknown region 'atlantis'"):
        exporter.export(request(query="region=atlantis"))
    with pytest.raises(PageError, match="unknown page size 'a3'"):
        parse_page("a3")
    with pytest.raises(PageError, match="would be .* pixels"):
        exporter.export(request(page=parse_page("1000x1000mm"), dpi=600))


def test_atlas_writes_every_view_and_one_pdf_and_reports_a_failed_view(exporter, dataset,
                                                                      tmp_path):
    pages = [AtlasPage("maritime", "theme=maritime-security"),
             AtlasPage("broken", "region=atlantis"),
             AtlasPage("pacific", "region=pacific")]
    lines = []
    report = write_atlas(exporter, pages, tmp_path, request(dpi=150), progress=lines.append)
    assert [p.name for p in report.written] == ["maritime.png", "pacific.png"]
    assert report.failed[0][0] == "broken" and "atlantis" in report.failed[0][1]
    assert any("FAILED broken" in line for line in lines) and len(lines) == 3
    book = pypdf.PdfReader(tmp_path / "atlas.pdf")
    assert len(book.pages) == 2
    assert [item.title for item in book.outline] == ["Maritime security — World",
                                                     "Security and defence cooperation — Pacific"]
    assert not list(tmp_path.glob(".*partial"))
    # Each view is drawn once, as its PDF page; its PNG is that page rasterised. It is the
    # PNG the exporter draws of the same view: its size, its DPI, and to the eye (the same
    # picture at a tenth of its size, where only antialiasing differs; with Kaleido's PDF
    # margins, the PDF's drawing was shrunk into a white frame: mean 6.9, max 249).
    atlas_png = Image.open(tmp_path / "pacific.png")
    drawn = Image.open(io.BytesIO(exporter.export(request("region=pacific", dpi=150))))
    assert atlas_png.size == drawn.size == PAGES["a4-landscape"].pixels(150)
    assert atlas_png.info["dpi"] == drawn.info["dpi"] == pytest.approx((150, 150), abs=0.05)
    small = [np.asarray(image.convert("RGB").resize((image.width // 10, image.height // 10),
                                                     Image.Resampling.BOX), dtype=float)
             for image in (atlas_png, drawn)]
    assert np.abs(small[0] - small[1]).mean() < 2 and np.abs(small[0] - small[1]).max() < 80
    # The default atlas: a page per theme and per region.
    assert len(default_pages(dataset)) == len(dataset.themes) + len(dataset.filter_regions)


def test_an_atlas_view_whose_pdf_page_pdfium_cannot_read_fails_alone(exporter, tmp_path,
                                                                     monkeypatch):
    import export.atlas as atlas_module

    real, calls = atlas_module.png_of_pdf_page, []

    def first_cut_short(pdf, page, dpi):  # the first view's PDF page (in the atlas's order)
        calls.append(page)                # cut at 200 bytes: pdfium cannot open it
        return real(pdf[:200] if len(calls) == 1 else pdf, page, dpi)

    monkeypatch.setattr(atlas_module, "png_of_pdf_page", first_cut_short)
    pages = [AtlasPage("pacific", "region=pacific"), AtlasPage("maritime", "theme=maritime-security")]
    report = write_atlas(exporter, pages, tmp_path, request(dpi=72))
    assert [p.name for p in report.written] == ["maritime.png"]
    assert report.failed[0][0] == "pacific" and "could not be made from its PDF page" in \
        report.failed[0][1]
    assert len(pypdf.PdfReader(tmp_path / "atlas.pdf").pages) == 1


def run_app(*args, network=True) -> subprocess.CompletedProcess:
    command = [sys.executable, "app.py", *args]
    if not network:
        # A network namespace with no interface but loopback: nothing can leave.
        command = ["unshare", "--net", "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"',
                   "sh", *command]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_command_exports_with_the_network_unreachable(tmp_path):
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, text=True)
    assert probe.returncode == 0, f"cannot make a network namespace here: {probe.stderr}"
    target = tmp_path / "map.pdf"
    done = run_app("export", "--view", MARITIME_IO, "--format", "pdf", "--size", "a5-landscape",
                   "-o", str(target), network=False)
    assert done.returncode == 0, done.stderr
    reader = pypdf.PdfReader(target)
    assert "Maritime security — Indian Ocean" in reader.pages[0].extract_text()
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595.3, abs=1)


def test_command_reports_a_bad_view_and_writes_nothing(tmp_path):
    target = tmp_path / "map.png"
    done = run_app("export", "--view", "theme=piracy", "-o", str(target))
    assert done.returncode == 1
    assert "unknown theme 'piracy'" in done.stderr and "Traceback" not in done.stderr
    assert not target.exists()


def test_renderer_starts_again_after_being_stopped(exporter):
    exporter.renderer.stop()
    assert not exporter.renderer.started
    png = exporter.export(request(page=PAGES["a5-landscape"], dpi=150))
    assert Image.open(io.BytesIO(png)).size == PAGES["a5-landscape"].pixels(150)
    assert exporter.renderer.started


def test_a_chromium_that_never_answers_is_killed_and_a_second_one_draws(tmp_path,
                                                                         monkeypatch):
    """A start that hangs (seen once under load: 60 s, then no export) is given up after its
    wait; its process is killed, and a second Chromium draws the export."""
    import export.renderer as renderer_module

    marker, hung = tmp_path / "first-start", tmp_path / "hung-pid"
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n"
                       f"if [ ! -e '{marker}' ]; then touch '{marker}'; echo $$ > '{hung}'; "
                       "exec sleep 600; fi\n"
                       f"exec '{renderer_module.find_chromium()}' \"$@\"\n")
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(browser))
    monkeypatch.setattr(renderer_module, "START_TIMEOUTS_S", (3, 60))
    renderer = renderer_module.Renderer()
    try:
        svg = renderer.render({"data": [{"type": "scatter", "x": [1, 2], "y": [3, 1]}]},
                              "svg", 300, 200)
    finally:
        renderer.stop()
    assert svg.startswith(b"<svg") and marker.exists()
    pid = int(hung.read_text())
    time.sleep(0.5)
    assert not Path(f"/proc/{pid}").exists() or \
        Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"  # the hung one is gone


def test_exports_take_the_headless_shell_where_it_is_installed(tmp_path, monkeypatch):
    """Chromium's headless shell draws the same pixels for less work: it is taken when
    installed, Debian's full Chromium otherwise, and the error names both packages."""
    from export.renderer import RenderError, find_chromium

    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    for name in ("chromium", "chromium-headless-shell"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    assert find_chromium() == str(tmp_path / "chromium-headless-shell")
    (tmp_path / "chromium-headless-shell").unlink()
    assert find_chromium() == str(tmp_path / "chromium")
    (tmp_path / "chromium").unlink()
    with pytest.raises(RenderError, match="chromium-headless-shell"):
        find_chromium()


def test_renderer_is_recycled_after_many_images(exporter, monkeypatch):
    import export.renderer as renderer_module

    monkeypatch.setattr(renderer_module, "RECYCLE_AFTER", 2)
    exporter.renderer._drawn = 0
    exporter.export(request(page=PAGES["a5-landscape"], dpi=72))
    assert exporter.renderer.started
    exporter.export(request(page=PAGES["a5-landscape"], dpi=72))
    assert not exporter.renderer.started  # two drawn: the next export starts a fresh Chromium
    png = exporter.export(request(page=PAGES["a5-landscape"], dpi=72))
    assert Image.open(io.BytesIO(png)).size == PAGES["a5-landscape"].pixels(72)


def test_a_tab_kept_between_figures_draws_each_as_a_fresh_one_would(exporter):
    """Tabs are not reloaded after each figure (a quarter of Chromium's work an export):
    what one figure leaves in its tab must not change the next. With two tabs taken in
    turn, the last export is drawn in the tab that has just drawn a PDF of another page
    size; it is the same image as the first, drawn in a tab of its own."""
    import kaleido

    # Kaleido's method this renderer replaces: if an upgrade renames it, the tabs are
    # reloaded after each figure again, silently.
    assert "_return_kaleido_tab" in vars(kaleido.Kaleido)
    exporter.renderer.stop()  # fresh tabs
    first = exporter.export(request(page=PAGES["a5-landscape"], dpi=72))
    pdf = exporter.export(request("region=pacific&lang=fr", fmt="pdf", page=PAGES["a4-portrait"]))
    exporter.export(request("theme=civil-security", fmt="svg"))
    again = exporter.export(request(page=PAGES["a5-landscape"], dpi=72))
    assert again == first
    width, height = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox.upper_right
    assert (round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)) == (210, 297)


def test_the_export_browser_is_killed_when_its_server_process_dies(tmp_path):
    # A stand-in for Chromium that would otherwise run for ten minutes.
    browser_program = tmp_path / "fake-chromium"
    browser_program.write_text("#!/bin/sh\nexec sleep 600\n")
    browser_program.chmod(0o755)
    server = subprocess.Popen(["sleep", "600"])  # stands for a gunicorn worker
    launcher = offline_launcher(str(browser_program), tmp_path, server.pid)
    browser = subprocess.Popen([str(launcher), "--remote-debugging-pipe"])
    try:
        time.sleep(1.5)
        assert browser.poll() is None  # alive while its server is
        server.kill()  # SIGKILL: the worker cannot clean up
        server.wait()
        assert browser.wait(timeout=10) == -9
    finally:
        browser.kill()
        server.kill()
