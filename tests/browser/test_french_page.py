"""The French page in a real browser: every word a user reads, Plotly's toolbar tooltips
included (its own French locale, served from assets/), is French."""

from pages import open_view
from test_french_edition import french_problems


def test_the_french_page_shows_no_english_word(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "?lang=fr&region=indian-ocean")
    page.wait_for_selector("#map .modebar-btn")
    # Every panel open: its words are read too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_timeout(500)
    # Plotly's toolbar says what each button does in French (its locale, not ours).
    tooltips = page.eval_on_selector_all("#map .modebar-btn",
                                         "buttons => buttons.map(b => b.dataset.title)")
    assert {"Déplacer", "Zoom avant", "Zoom arrière", "Réinitialiser"} <= set(tooltips)
    assert "Translation" not in tooltips and "Zoom intérieur" not in tooltips, tooltips
    # The colour bar's ticks and every text the page shows, legends and names on the map.
    shown = page.evaluate("""() => [document.body.innerText,
        ...[...document.querySelectorAll('[title], [aria-label], [placeholder]')].flatMap(
            e => [e.title, e.getAttribute('aria-label'), e.placeholder]).filter(Boolean),
        ...[...document.querySelectorAll('#map svg text')].map(t => t.textContent)]""")
    # The table and details hold text in its source's language by design (descriptions,
    # quotes); the page's own words and the data's French columns are checked.
    table = page.inner_text("#records-table")
    # Identifiers, file names and hashes are shown as stored (<code>).
    stored = page.eval_on_selector_all("code", "codes => codes.map(c => c.innerText)")
    words = [text.replace(table, "") for text in shown]
    for name in stored:
        words = [text.replace(name, "") for text in words]
    problems = french_problems(words)
    assert problems == [], "\n".join(problems)
    assert "Singapour" in " ".join(shown) and "Exposés" in shown[0]
    # The table's own words, from the grid's French locale: a search that finds nothing.
    page.fill("#records-search", "zzzz-nothing")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#records-table').innerText"
                           ".includes('Aucune ligne à afficher')")
    assert french_problems([page.inner_text("#records-table")]) == []


def test_a_french_download_has_a_french_file_name(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "?lang=fr&theme=maritime-security")
    with page.expect_download() as download:
        page.click("#download-csv")
    assert download.value.suggested_filename == "elements-cooperation.csv"
