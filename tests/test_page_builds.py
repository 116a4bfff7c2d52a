"""One page build per state of the data: pages asked for together after a change wait for
the one build of the new page rather than each building it again."""

from __future__ import annotations

import threading

import app as app_module
import ids
from bench.payloads import layout_prop
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
