"""The French page in a real browser: every word a user reads, Plotly's toolbar tooltips
included (its own French locale, served from assets/), is French."""

from pages import open_view
from test_french_edition import french_problems


def test_the_french_page_shows_no_english_word(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "?lang=fr&region=indian-ocean")
    page.wait_for_selector("#map .modebar-btn")
    # Every panel open: its words are read too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_timeout(1500)  # what the open panels ask the server for, shown
    # Plotly's toolbar says what each button does in French (its locale, not ours).
    tooltips = page.eval_on_selector_all("#map .modebar-btn",
                                         "buttons => buttons.map(b => b.dataset.title)")
    assert {"Déplacer", "Zoom avant", "Zoom arrière", "Réinitialiser"} <= set(tooltips)
    assert "Translation" not in tooltips and "Zoom intérieur" not in tooltips, tooltips
    # The colour bar's ticks and every text the page shows, legends and names on the map,
    # read at one instant. The table's rows hold text in its source's language by design
    # (descriptions); identifiers, file names and hashes are shown as stored (<code>): both
    # are set aside while the rest is read.
    words = page.evaluate("""() => {
        const table = document.getElementById('records-table');
        const aside = [table, ...document.querySelectorAll('code')];
        aside.forEach(e => e.style.display = 'none');
        const read = [document.body.innerText,
            ...[...document.querySelectorAll('[title], [aria-label], [placeholder]')]
                .filter(e => !aside.some(a => a.contains(e))).flatMap(
                e => [e.title, e.getAttribute('aria-label'), e.placeholder]).filter(Boolean),
            ...[...document.querySelectorAll('#map svg text')].map(t => t.textContent)];
        aside.forEach(e => e.style.display = '');
        return read;
    }""")
    shown = words
    problems = french_problems(words)
    assert problems == [], "\n".join(problems)
    assert "Singapour" in " ".join(shown) and "Exposés" in shown[0]
    # The table's own words (its empty state, its filters' and menus' words) come from the
    # grid's French locale, as the grid itself holds them.
    grid_words = page.evaluate("async () => (await dash_ag_grid.getApiAsync("
                               "'records-table')).getGridOption('localeText')")
    assert grid_words["noRowsToShow"] == "Aucune ligne à afficher"
    assert grid_words["contains"] == "Contient" and len(grid_words) > 700


def test_a_french_download_has_a_french_file_name(air_gapped_page, server_url):
    page = open_view(air_gapped_page, server_url + "?lang=fr&theme=maritime-security")
    with page.expect_download() as download:
        page.click("#download-csv")
    assert download.value.suggested_filename == "elements-cooperation.csv"
