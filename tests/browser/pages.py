"""Helpers the browser tests share: open a view and wait until the dashboard has drawn it."""

import re


def open_view(air_gapped_page, url):
    page = air_gapped_page.page
    page.goto(url)
    page.wait_for_selector(".choroplethlayer path.choroplethlocation", state="attached",
                           timeout=30_000)
    # The count is written by the view callback ("9 of 67 …", "9 éléments affichés sur 67").
    page.wait_for_function("/ of | sur /.test(document.querySelector('#record-count').innerText)")
    wait_for_map_sized(page)
    return page


# The map as drawn for its own size: the page shows a placeholder until assets/map-size.js
# has reported the size and the server has built the map for it; a later resize frames it,
# places its names and fans its symbols again. A map too small to report counts.
MAP_SIZED = """() => {
    const graph = document.getElementById('map');
    const plot = graph && graph.querySelector('.js-plotly-plot');
    if (!plot || !plot._fullLayout || document.querySelector('._dash-loading-callback'))
        return false;
    const box = graph.getBoundingClientRect();
    if (box.width < 100 || box.height < 100) return true;
    const room = ((plot.layout.meta || {}).room || []).join('x');
    return graph.dataset.reported !== undefined && graph.dataset.reported === room;
}"""


def wait_for_map_sized(page) -> None:
    page.wait_for_function(MAP_SIZED, timeout=30_000)
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => "
                  "requestAnimationFrame(done)))")


def zoom_in(page) -> None:
    """Three wheel steps in over the map's lower left, as a user zooms on a detail."""
    box = page.locator("#map .geo .bg rect").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.6)
    for _ in range(3):
        page.mouse.wheel(0, -200)
        page.wait_for_timeout(200)


def shown(page) -> int:
    return int(re.match(r"(\d+)", page.inner_text("#record-count")).group(1))


def figure_traces(page) -> list[dict]:
    """The map's traces as the page holds them: name, text, lon and lat."""
    return page.evaluate("""() => document.querySelector('#map .js-plotly-plot').data.map(
        t => ({name: t.name, text: t.text || [], lon: t.lon || [], lat: t.lat || [],
               showlegend: t.showlegend, visible: t.visible}))""")


def text_boxes(page, trace_indices) -> list[dict]:
    """The on-screen boxes of the texts the given traces draw."""
    return page.evaluate("""(wanted) => {
        const boxes = [];
        for (const group of document.querySelectorAll('#map .scatterlayer .trace')) {
            const datum = group.__data__ && group.__data__[0];
            if (!datum || !wanted.includes(datum.trace.index)) continue;
            for (const text of group.querySelectorAll('text')) {
                if (!text.textContent) continue;
                const r = text.getBoundingClientRect();
                boxes.push({text: text.textContent, left: r.left, top: r.top,
                            right: r.right, bottom: r.bottom});
            }
        }
        return boxes;
    }""", list(trace_indices))


def map_share(page) -> float:
    """The share of the window the drawn map (its countries' layer) covers."""
    return page.evaluate("""() => {
        const r = document.querySelector('#map .geo .choroplethlayer').getBoundingClientRect();
        const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
        const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
        return w * h / (innerWidth * innerHeight);
    }""")


def legend_texts(page) -> list[str]:
    """The legend's entries, a wrapped entry's lines joined by spaces. A group's title (a
    theme, the key) is not an entry: it has no toggle."""
    return page.locator(".legend .traces:has(.legendtoggle) .legendtext").evaluate_all(
        "texts => texts.map(t => [...t.querySelectorAll('tspan.line')].map(l => l.textContent)"
        ".join(' ') || t.textContent)")
