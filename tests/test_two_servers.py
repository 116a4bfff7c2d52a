"""A team's store: two app servers on one PostgreSQL (a throwaway cluster, tests/postgres.py).
A change saved on one shows on the other; two editors who opened the same record's version
each save a change, and the second is refused with the first's change shown, nothing lost.
(How fast the other server shows it is measured in bench/store.py, not asserted here.)"""

from __future__ import annotations

import json
import shutil
import time
import urllib.request

import pytest

import ids
from bench.browser import served
from bench.payloads import layout_prop, save_body
from presence.loader import GEODATA
from presence.store import Store
from tests.postgres import cluster

pytestmark = pytest.mark.postgres
RECORD = "fs05-ndmo-vanuatu-expert"


def get(url: str):
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.loads(answer.read())


def post(url: str, body: dict) -> str:
    request = urllib.request.Request(f"{url}_dash-update-component",
                                     data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read().decode()


def data_number(url: str) -> str | None:
    return layout_prop(get(f"{url}_dash-layout"), ids.DATA_NUMBER, "children")


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Two servers, each on its own copy of the data folder (as on two machines), one
    PostgreSQL store."""
    folders = []
    for name in ("first", "second"):
        folder = tmp_path_factory.mktemp(name) / "geodata"
        shutil.copytree(GEODATA, folder, ignore=shutil.ignore_patterns("store*.gpkg*",
                                                                      "imports"))
        folders.append(folder)
    with cluster() as database:
        url = database("team_store")
        with served("ours", folders[0], editor="officer", database=url) as first, \
                served("ours", folders[1], editor="officer", database=url) as second:
            yield first, second, Store(folders[0], url)


def test_a_change_on_one_server_shows_on_the_other_and_a_stale_one_is_refused(two_servers):
    first, second, store = two_servers
    assert data_number(first) == data_number(second) == "Data: change 0"
    state = {"mode": "edit", "record": RECORD, "version": 1}  # both editors opened version 1

    answer = post(first, save_body(get(f"{first}_dash-dependencies"), state))
    assert "Change 1 saved." in answer
    deadline = time.monotonic() + 30
    while data_number(second) != "Data: change 1" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert data_number(second) == "Data: change 1"

    # The second editor saves on the version both opened: refused, the first's change shown.
    refused = post(second, save_body(get(f"{second}_dash-dependencies"), state,
                                     [("valid_until", "2024-01")]))
    assert "Not saved" in refused and "changed since version 1 you edited" in refused
    assert "change 1 by officer" in refused and "valid_until to '2023-09'" in refused
    assert store.number() == 1 and store.fields_of(RECORD)["valid_until"] == "2023-09"


def test_a_briefing_made_on_one_server_is_presented_by_the_other(two_servers):
    first, second, store = two_servers
    # Saved as the first server's briefings panel saves it: in the shared store.
    briefing = store.briefings().create("Team briefing, Indian Ocean")
    store.briefings().add_slide(briefing, "Madagascar", "region=indian-ocean",
                                "Fusion centre and semaphore.")
    for url in (first, second):
        slides = get(f"{url}presenter/slides.json?briefing={briefing}")
        assert [slide["title"] for slide in slides["slides"]] == ["Madagascar"]
    assert not list(store.folder.parent.parent.glob(f"*/geodata/briefings/{briefing}.json"))


def test_a_layer_brought_to_one_server_is_on_the_others_map(two_servers, tmp_path):
    from presence.imported.folder import save_layer
    from presence.imported.settings import layer_settings
    from presence.live import LiveDataset

    first, second, store = two_servers
    # A third server of the team takes the layer in, as its "Add" does.
    third_folder = tmp_path / "third"
    shutil.copytree(store.folder, third_folder, ignore=shutil.ignore_patterns("imports"))
    third = LiveDataset(third_folder, Store(third_folder, store.url))
    with third.changing_imports():
        save_layer(third.imports, b"name,lat,lon\nLiaison office,-18.9,47.5\n",
                   layer_settings("liaison.csv", "name", None, name="Team layer liaison"))
    for url in (first, second):
        deadline = time.monotonic() + 30
        while "Team layer liaison" not in json.dumps(get(f"{url}_dash-layout")) and \
                time.monotonic() < deadline:
            time.sleep(0.2)
        assert "Team layer liaison" in json.dumps(get(f"{url}_dash-layout"))
