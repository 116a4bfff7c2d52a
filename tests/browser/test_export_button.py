"""Exporting from the browser: the file downloaded is the view on screen, zoom included,
at the size and resolution chosen, drawn with no request leaving the machine."""

import io
import json

import numpy as np
import pypdfium2
from pages import open_view, zoom_in
from PIL import Image
from pptx import Presentation

from export.page import PAGES


def test_export_button_downloads_the_view_at_the_chosen_size(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "/?theme=maritime-security&region=indian-ocean")
    posted = []
    page.on("request", lambda r: posted.append(r.post_data) if "_dash-update" in r.url else None)
    # Zoom in with the wheel, as a user would before exporting a detail (framing the map
    # for its size, which the browser reports meanwhile, keeps the zoom).
    page.wait_for_timeout(300)
    zoom_in(page)

    page.click("summary:has-text('Export map')")
    page.locator("#export-size").click()
    page.get_by_role("option", name="A5 portrait").click()
    page.get_by_label("150 DPI").check()
    with page.expect_download(timeout=90_000) as download:
        page.click("#export-button")
    assert download.value.suggested_filename == "maritime-security-indian-ocean.png"
    image = Image.open(io.BytesIO(open(download.value.path(), "rb").read()))
    assert image.size == PAGES["a5-portrait"].pixels(150) == (874, 1240)
    grey = np.asarray(image.convert("L"))
    assert 0.15 < (grey < 245).mean() < 0.9  # a drawn page, neither blank nor flooded
    page.wait_for_function("document.querySelector('#export-status').innerText"
                           ".startsWith('Exported maritime-security-indian-ocean.png')")
    assert "A5 portrait, 150 DPI, 874 × 1240 px" in page.inner_text("#export-status")

    # The zoom on screen went to the server with the request.
    sent = [json.loads(body) for body in posted if body and "export-screen" in body]
    screen = next(i["value"] for b in sent for i in b["inputs"] if i["id"] == "export-screen")
    assert screen["geo"]["projection.scale"] > 1.5
    assert air_gapped_page.external == []


def test_export_with_wrong_custom_size_says_why(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url)
    page.click("summary:has-text('Export map')")
    page.locator("#export-size").click()
    page.get_by_role("option", name="Custom (mm)").click()
    page.fill("#export-width-mm", "5")
    page.click("#export-button")
    page.wait_for_function("document.querySelector('#export-status').innerText.length > 0")
    assert page.inner_text("#export-status") == \
        "Could not export: give the custom width and height in millimetres, from 20 to 2000"
    # The map is still there, unchanged.
    assert page.locator(".choroplethlayer path.choroplethlocation").count() > 200


def test_a_country_card_exports_its_one_pager(air_gapped_page, server_url):
    """The card's button gives the country's A4 PDF, whatever the export panel's format, in
    the page's language and with the panel's marking; its records that do not fit under
    the map continue on a second page."""
    page = open_view(air_gapped_page, server_url + "/?country=MDG&lang=fr")
    page.click("summary:has-text('Exporter la carte')")
    assert page.locator("#export-format input[value='png']").is_checked()
    page.fill("#export-marking", "DIFFUSION RESTREINTE")
    page.click("summary:has-text('Exporter la carte')")  # closed again: the card is in sight
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Exporter sa fiche pays").click()
    name = "cooperation-de-securite-et-de-defense-de-la-france-madagascar.pdf"
    assert download.value.suggested_filename == name
    pdf = pypdfium2.PdfDocument(open(download.value.path(), "rb").read())
    assert len(pdf) == 2
    assert [round(v) for v in pdf[0].get_size()] == [595, 842]  # A4 portrait, in points
    text = pdf[0].get_textpage().get_text_range()
    assert "Coopération de sécurité et de défense de la France : Madagascar" in text
    assert text.count("DIFFUSION RESTREINTE") == 2 and "Situés ici (4)" in text
    assert "Suite à la page suivante." in text
    second = " ".join(pdf[1].get_textpage().get_text_range().split())
    assert "Madagascar (suite)" in second and "Page 2 sur 2" in second
    assert second.count("DIFFUSION RESTREINTE") == 2
    page.wait_for_function("[...document.querySelectorAll('.card-export .export-status')]"
                           f".some(s => s.innerText.startsWith('{name} exporté (A4 portrait'))")
    assert air_gapped_page.external == []


def test_the_briefings_panel_exports_a_deck_showing_its_progress(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "/?briefing=fs05-indo-pacific")
    page.click("summary:has-text('Briefings')")
    page.wait_for_function("document.querySelectorAll('#briefing-slides li').length === 7")
    seen = []
    page.expose_function("sawStatus", lambda text: seen.append(text))
    page.evaluate("""() => new MutationObserver(() => window.sawStatus(
        document.querySelector('#deck-status').innerText)).observe(
        document.querySelector('#deck-status'), {childList: true, subtree: true,
                                                 characterData: true})""")
    with page.expect_download(timeout=180_000) as download:
        page.click("#deck-pptx")
    name = "france-in-the-indo-pacific-security-and-police-cooperation-fact-sheet-no-5.pptx"
    assert download.value.suggested_filename == name
    deck = Presentation(download.value.path())
    assert len(deck.slides) == 9
    page.wait_for_function("document.querySelector('#deck-status').innerText"
                           f".startsWith('Exported {name} (9 slides')")
    # The panel told how far the maps were while they were drawn.
    assert "Building the deck: 0 of 7 maps drawn…" in seen
    assert any(text.startswith("Building the deck: ") and " 0 of" not in text for text in seen)
    assert air_gapped_page.external == []
