"""Text from data is shown as text everywhere: a record name or a category label holding
<script> or <img onerror=…> is displayed as written in the hover, the details, the table, the
legend and the export, and never runs."""


from conftest import AirGappedPage
from pages import legend_texts, open_view
from test_details_and_table import marker_position

from bench.browser import served
from presence.loader import load_dataset

NAME = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>Nema <b>advisor</b>'
LABEL = '<a href="javascript:window.pwned=3">Regional civil protection</a>'


def test_markup_in_names_and_labels_is_shown_never_run(browser, geodata_copy):
    geodata_copy.edit_record("fs05-nema-advisor", name_en=NAME,
                             description='<iframe src="javascript:window.pwned=4"></iframe>')
    categories = geodata_copy.rows("categories.csv")
    for row in categories:
        if row["id"] == "civil-protection-advisor":
            row["label_en"] = LABEL
    geodata_copy.write_rows("categories.csv", categories)
    dataset = load_dataset(geodata_copy.folder)

    with served("ours", geodata_copy.folder) as url:
        gapped = AirGappedPage(browser)
        page = open_view(gapped, url + "?theme=civil-security")
        position = marker_position(page, dataset, "fs05-nema-advisor")
        page.mouse.move(*position)
        page.wait_for_selector(".hoverlayer .hovertext")
        assert "<script>window.pwned=2</script>Nema <b>advisor</b>" in \
            page.locator(".hoverlayer").text_content()
        assert LABEL in legend_texts(page)
        page.mouse.click(*position)
        page.wait_for_selector("#details h2")
        assert page.inner_text("#details h2") == NAME
        assert '<iframe src="javascript:window.pwned=4"></iframe>' in page.inner_text("#details")
        page.wait_for_selector(".ag-row[row-id='fs05-nema-advisor']")
        assert NAME in page.inner_text(".ag-row[row-id='fs05-nema-advisor']")
        # Export from the browser: the page holds the names as written too.
        page.click("summary:has-text('Export map')")
        page.get_by_label("SVG (vector)").check()
        with page.expect_download(timeout=90_000) as download:
            page.click("#export-button")
        svg = open(download.value.path(), encoding="utf-8").read()
        # Text, not a link (a long legend entry may wrap after "<a").
        assert "&#60;a" in svg or "&lt;a" in svg
        assert "<a " not in svg and "<script" not in svg and "<img" not in svg
        assert page.evaluate("window.pwned") is None
        assert page.locator("#details img, #details script, #details iframe").count() == 0
        assert gapped.external == []
        gapped.page.close()
