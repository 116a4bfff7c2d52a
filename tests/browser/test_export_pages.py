"""Exported pages opened in Chromium and measured: nothing drawn past the page's edge, the
legend clear of the footer, and the map filling the page's width or height, in English
and French, landscape and portrait."""

from datetime import date

import pytest

from export.exporter import Exporter, ExportRequest
from export.page import PAGES
from figures.fact_sheet import SheetOptions

PAGES_TRIED = [("", "a4-landscape"), ("lang=fr", "a4-landscape"),
               ("region=africa&lang=fr", "a4-portrait"), ("region=pacific", "a5-landscape"),
               ("theme=maritime-security&region=indian-ocean&lang=fr", "slide-16x9")]


@pytest.fixture(scope="module")
def exporter(dataset):
    made = Exporter(dataset)
    yield made
    made.renderer.stop()


def measured(page, svg: str) -> dict:
    page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
    return page.evaluate("""() => {
        const svg = document.querySelector('svg.main-svg');
        const page = svg.getBoundingClientRect();
        const box = e => { const r = e.getBoundingClientRect();
                           return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
        const texts = [...document.querySelectorAll('svg text')].filter(t => t.textContent.trim())
            .map(t => Object.assign(box(t), {text: t.textContent}));
        const legend = document.querySelector('.legend');
        const footer = [...document.querySelectorAll('.annotation')].map(box);
        return {page: box(svg), texts, legend: legend ? box(legend) : null, footer,
                map: box(document.querySelector('.geo .bg, .geo .choroplethlayer'))};
    }""")


@pytest.mark.parametrize("query,size", PAGES_TRIED)
def test_nothing_leaves_the_page_and_the_legend_clears_the_footer(air_gapped_page, exporter,
                                                                   query, size):
    svg = exporter.export(ExportRequest(query=query, fmt="svg", page=PAGES[size],
                                        options=SheetOptions(exported_on=date(2026, 12, 2))))
    found = measured(air_gapped_page.page, svg.decode())
    page = found["page"]
    assert found["texts"]
    for text in found["texts"]:
        assert page["left"] - 0.5 <= text["left"] and text["right"] <= page["right"] + 0.5, text
        assert page["top"] - 0.5 <= text["top"] and text["bottom"] <= page["bottom"] + 0.5, text
    legend = found["legend"]
    below_legend = [box for box in found["footer"] if box["top"] >= legend["top"]]
    assert below_legend, "the caption and sources sit under the legend"
    for box in below_legend:
        assert box["top"] >= legend["bottom"] - 1, (box, legend)
    # A region's frame is widened to the room the title, legend and footer leave: its map
    # spans the page's width or most of its height. The world keeps its shape (it only
    # gives up polar rows): on a landscape page its legend goes under it, in rows as wide
    # as the page, and leaves it more than half the width (58 % at A4; 45 % before the legend was measured).
    width, height = page["right"] - page["left"], page["bottom"] - page["top"]
    drawn = found["map"]
    if "region=" in query:
        assert (drawn["right"] - drawn["left"]) > 0.75 * width or \
            (drawn["bottom"] - drawn["top"]) > 0.5 * height
    else:
        assert (drawn["right"] - drawn["left"]) > 0.55 * width
