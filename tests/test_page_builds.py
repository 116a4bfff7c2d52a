"""One page build per state of the data: pages asked for together after a change wait for
the one build of the new page rather than each building it again. The page holds no map: its
first map is built whole for the size the browser reports."""

from __future__ import annotations

import json
import re
import threading

import brotli
from dash import html

import app as app_module
import ids
from bench.payloads import layout_prop, payload
from figures.world_map import PLACEHOLDER
from panels.static_html import to_html
from presence.live import LiveDataset
from presence.store import Store, parse_change
from tests.kept import what_is_kept

NEMA = ("An advisor is also seconded to the Director of the Mongolian Emergency Management "
        "Agency (NEMA).")


def data_number(layout) -> str | None:
    return layout_prop(layout, ids.DATA_NUMBER, "children")


def test_pages_asked_together_after_a_change_share_one_build(geodata_copy, monkeypatch):
    built = []
    real = app_module.build_layout

    def counted(dataset, **kwargs):
        built.append((dataset.version, kwargs["lang"]))
        return real(dataset, **kwargs)

    monkeypatch.setattr(app_module, "build_layout", counted)
    served = []
    monkeypatch.setattr(app_module, "LiveDataset",
                        lambda *args, **kwargs: served.append(LiveDataset(*args, **kwargs))
                        or served[-1])
    dashboard = app_module.create_app(geodata_copy.folder)
    client = dashboard.server.test_client()
    assert data_number(client.get("/_dash-layout").get_json()) == "Data: change 0"
    Store(geodata_copy.folder).apply(parse_change({
        "record": "fs05-nema-advisor", "set": {"valid_until": "2024"}, "why": "ended",
        "source": {"document": "fs05", "section": "Civil security", "quote": NEMA}}, "test"))
    served[0].refresh()  # as the server that took the change does before answering
    kept = what_is_kept(geodata_copy.folder)

    answers = []

    def load():
        answers.append(data_number(dashboard.server.test_client().get("/_dash-layout")
                                   .get_json()))
    pages = [threading.Thread(target=load) for _ in range(4)]
    for page in pages:
        page.start()
    for page in pages:
        page.join()
    assert answers == ["Data: change 1"] * 4
    assert len(built) == 2 and built[0] != built[1]  # the first page, then one for change 1
    assert what_is_kept(geodata_copy.folder) == kept  # nothing lost


def _answer(client, output: str, values: dict, changed: str) -> dict:
    callback = next(d for d in client.get("/_dash-dependencies").get_json()
                    if output in d["output"] and changed.split(".")[0] in str(d["inputs"]))
    answer = client.post("/_dash-update-component", json=payload(callback, values, changed))
    assert answer.status_code in (200, 204), answer.data[:300]
    return answer.get_json()["response"] if answer.status_code == 200 else {}


def test_the_page_holds_no_map_and_its_first_map_is_built_whole_for_its_size():
    """The layout does not carry the map (nor grow with the records): the first map comes
    whole, for the size the browser reports, and is applied only on the placeholder; a
    change made before that size is known leaves the map to it."""
    client = app_module.create_app().server.test_client()
    layout = client.get("/_dash-layout").get_json()
    assert layout_prop(layout, ids.MAP, "figure") == PLACEHOLDER
    assert layout_prop(layout, ids.MAP_PENDING, "data") is True
    assert len(json.dumps(layout)) < 60_000  # it was 214 KB with the map

    search = "?region=indian-ocean&theme=maritime-security"
    size = {"width": 900, "height": 600}
    first = _answer(client, f"{ids.MAP_FIRST}.data",
                    {f"{ids.MAP_SIZE}.data": size, f"{ids.URL}.search": search,
                     f"{ids.MAP_PENDING}.data": True}, f"{ids.MAP_SIZE}.data")
    figure = first[ids.MAP_FIRST]["data"]
    assert figure["layout"]["meta"]["room"] == [900, 600] and len(figure["data"]) > 20
    assert figure["layout"]["geo"]["lonaxis"]["range"][0] > 0  # framed on the Indian Ocean
    assert ids.MAP not in first  # not drawn from here: on the placeholder only (the browser)

    controls = {f"{ids.URL}.search": search, f"{ids.MAP_PENDING}.data": True}
    view = f"{ids.URL}.search"
    before_size = _answer(client, view, controls, view)
    assert ids.MAP not in before_size and ids.MAP_PENDING not in before_size
    sized = _answer(client, view, controls | {f"{ids.MAP_SIZE}.data": size}, view)
    assert sized[ids.MAP]["figure"]["layout"]["meta"]["room"] == [900, 600]  # whole
    assert sized[ids.MAP_PENDING]["data"] is False
    drawn = _answer(client, view, controls | {f"{ids.MAP_SIZE}.data": size,
                                              f"{ids.MAP_PENDING}.data": False}, view)
    assert "operations" in json.dumps(drawn[ids.MAP]["figure"])  # a patch once drawn


def test_a_page_s_script_files_are_compressed_once_and_its_answers_every_time(monkeypatch):
    """Every page load asks for Dash's and AG Grid's script files (3.4 MB, 0.13 s of the
    server's CPU to compress): each is compressed once per server and sent as the same
    bytes; the answers of callbacks, which change, are compressed afresh."""
    import flask_compress.flask_compress as compressing

    compressed = []
    real = compressing._compress_data
    monkeypatch.setattr(compressing, "_compress_data", lambda app, data, algorithm: (
        compressed.append(data) or real(app, data, algorithm)))
    client = app_module.create_app().server.test_client()
    page = client.get("/").get_data(as_text=True)
    grid = next(src for src in re.findall(r'src="([^"]+)"', page) if "dash_ag_grid" in src)
    plain = client.get(grid, headers={"Accept-Encoding": "identity"}).data
    answers = [client.get(grid, headers={"Accept-Encoding": "br"}) for _ in range(3)]
    assert all(answer.headers["Content-Encoding"] == "br" for answer in answers)
    assert {brotli.decompress(answer.data) for answer in answers} == {plain}
    assert compressed.count(plain) == 1 and len(plain) > 500_000

    compressed.clear()
    search = "?region=indian-ocean&theme=maritime-security"
    controls = {f"{ids.URL}.search": search, f"{ids.MAP_PENDING}.data": True}
    callback = next(d for d in client.get("/_dash-dependencies").get_json()
                    if f"{ids.MAP_FIRST}.data" in d["output"])
    for width in (900, 1200):
        values = controls | {f"{ids.MAP_SIZE}.data": {"width": width, "height": 600}}
        answer = client.post("/_dash-update-component", headers={"Accept-Encoding": "br"},
                             json=payload(callback, values, f"{ids.MAP_SIZE}.data"))
        figure = json.loads(brotli.decompress(answer.data))["response"][ids.MAP_FIRST]["data"]
        assert figure["layout"]["meta"]["room"] == [width, 600]  # its own answer, not kept
    assert len(compressed) == 2


def test_the_shortcuts_are_in_the_page_in_its_language_and_not_in_dash_s_layout():
    """The list of shortcuts is served in the page itself, outside Dash's layout (no callback
    touches it; in the layout each of its elements cost a store selector on every update):
    in the page's language, its text escaped."""
    client = app_module.create_app().server.test_client()
    assert layout_prop(client.get("/_dash-layout").get_json(), ids.SHORTCUTS, "id") is None
    for query, title, row in [("", "Keyboard shortcuts", "Show every theme"),
                              ("?lang=fr", "Raccourcis clavier", "Afficher tous les thèmes")]:
        page = client.get("/" + query).get_data(as_text=True)
        dialog = re.search(r'<dialog id="shortcuts".*?</dialog>', page, re.S).group(0)
        assert page.index(dialog) < page.index('id="react-entry-point"')
        assert f'<h2 id="shortcuts-title">{title}</h2>' in dialog and row in dialog
        assert '<button id="shortcuts-close">' in dialog
    assert to_html(html.P("<b>1 & 2</b>", className='a"b')) == \
        '<p class="a&quot;b">&lt;b&gt;1 &amp; 2&lt;/b&gt;</p>'
