"""The store of living data, each test run against the GeoPackage file and against a real
PostgreSQL with PostGIS (a throwaway cluster, tests/postgres.py): changes checked by the rules
check-data applies, each kept with its source, reverted by a new change, the data as it stood
on a past day, concurrent edits refused, backups restored, a new release merged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

from presence.briefings import BriefingError
from presence.errors import DataError
from presence.store import Store, parse_change
from presence.store import tables as t
from tests.postgres import cluster

NEMA_QUOTE = ("An advisor is also seconded to the Director of the Mongolian Emergency "
              "Management Agency (NEMA).")


@pytest.fixture(scope="module")
def postgres():
    with cluster() as database:
        yield database


@pytest.fixture(params=["geopackage", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, geodata_copy):
    url = None
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres")(f"store_{request.node.name[-30:]}"
                                                  .replace("[", "_").replace("]", "")
                                                  .replace("-", "_").lower())
    return Store(geodata_copy.folder, url)


def change(record=None, why="The post ended in 2024.", quote=NEMA_QUOTE, document="fs05",
           version=None, **fields):
    return parse_change({"record": record, "set": fields, "why": why, "version": version,
                         "source": {"document": document,
                                    "section": "Civil security, paragraph 1", "quote": quote}},
                        "change.json")


def shipped_rows(folder) -> list[dict]:
    with (folder / "records.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_new_store_holds_the_shipped_data_as_its_first_state(store, geodata_copy):
    assert store.number() == 0
    assert store.rows() == shipped_rows(geodata_copy.folder)
    dataset = store.dataset()
    assert list(dataset.records.index) == [row["id"] for row in shipped_rows(geodata_copy.folder)]
    assert {"fs05", "dcsd", "navcent-2023-07"} <= {s["id"] for s in store.library()}


def test_a_change_is_kept_with_its_source_and_shown(store):
    number = store.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    assert number == 1 and store.number() == 1
    record = store.dataset().records.loc["fs05-nema-advisor"]
    assert record["valid_until"] == "2023-09"
    (kept,) = store.history("fs05-nema-advisor")
    assert (kept.number, kept.made_by, kept.action, kept.document) == (1, "alice", "edit", "fs05")
    assert kept.quote == NEMA_QUOTE and kept.why == "The post ended in 2024."
    assert kept.fields_changed() == [("valid_until", "", "2023-09")]
    assert dt.datetime.fromisoformat(kept.made_at.replace("Z", "+00:00")) <= \
        dt.datetime.now(dt.timezone.utc)
    assert store.version_of("fs05-nema-advisor") == 2


@pytest.mark.parametrize(("fields", "source", "field", "message"), [
    ({"valid_until": "2023-09"}, {"quote": "An advisor was never seconded anywhere."},
     "source.quote", "not found word for word in 'fs05'"),
    ({"valid_until": "2023-09"}, {"document": "unknown-document"}, "source.document",
     "not in the source library"),
    ({"as_of": "2025"}, {}, "set.as_of", "after the date of source 'fs05'"),
    ({"category": "submarine-base"}, {}, "set.category", "unknown category 'submarine-base'"),
    ({"lon": "2.35", "lat": "48.85"}, {}, "set.lon,lat", "km from MNG"),
    ({"description": "<script>alert(1)</script>"}, {}, "set.description", "markup"),
    ({"description": "A \u202eturned\u202c text"}, {}, "set.description", "bidirectional"),
])
def test_a_change_breaking_a_rule_is_refused_naming_the_field(store, fields, source, field,
                                                               message):
    request = {"record": "fs05-nema-advisor", "set": fields, "why": "test",
               "source": {"document": "fs05", "section": "s", "quote": NEMA_QUOTE, **source}}
    before = store.rows()
    with pytest.raises(DataError) as refused:
        store.apply(parse_change(request, "change.json"), "alice")
    found = [p for p in refused.value.problems if p.field == field]
    assert found and message in found[0].message, refused.value.problems
    assert store.rows() == before and store.number() == 0 and store.history() == []


def test_a_ten_megabyte_why_is_refused_before_the_store_is_touched(store):
    with pytest.raises(DataError) as refused:
        change("fs05-nema-advisor", why="x" * 10_000_000, valid_until="2023-09")
    assert [p.field for p in refused.value.problems] == ["why"]
    assert store.number() == 0


def test_a_new_record_is_added_with_its_source(store):
    number = store.apply(change(
        None, why="Named by the fact sheet.", id="fs05-mongolia-helicopter-training",
        layer="project-footprint", theme="civil-security",
        category="civil-protection-cooperation", name_en="Helicopter rescue training in "
        "aquatic environments (Mongolia)", countries="MNG", extent="named", actor="France",
        as_of="2023-09", description="Training in helicopter rescue in aquatic environments.",
        quote="training in helicopter rescue in aquatic environments"), "bob")
    records = store.dataset().records
    added = records.loc["fs05-mongolia-helicopter-training"]
    assert added["source"] == "fs05" and added["countries"] == ("MNG",)
    assert added["source_quote"] == "training in helicopter rescue in aquatic environments"
    assert store.history()[0].action == "add" and store.history()[0].number == number


def test_a_revert_is_a_change_and_restores_the_fields(store):
    first = store.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    undone = store.revert(first, "It had not ended.", "bob")
    assert undone == first + 1
    assert not isinstance(store.dataset().records.loc["fs05-nema-advisor", "valid_until"], str)
    newest = store.history("fs05-nema-advisor")[0]
    assert (newest.action, newest.reverts, newest.made_by) == ("revert", first, "bob")
    assert newest.fields_changed() == [("valid_until", "2023-09", "")]


def test_a_revert_after_a_later_change_of_the_same_field_is_refused(store):
    first = store.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    store.apply(change("fs05-nema-advisor", valid_until="2023-06"), "bob")
    with pytest.raises(DataError) as refused:
        store.revert(first, "undo", "carol")
    assert "set again since, by change 2" in refused.value.problems[0].message
    assert store.number() == 2


def test_an_edit_on_a_stale_version_is_refused_with_the_other_change_shown(store):
    seen = store.version_of("fs05-nema-advisor")
    store.apply(change("fs05-nema-advisor", version=seen, valid_until="2023-09",
                       why="Ended, says the embassy."), "alice")
    with pytest.raises(DataError) as refused:
        store.apply(change("fs05-nema-advisor", version=seen, description="Another text.",
                           why="Reworded."), "bob")
    (problem,) = refused.value.problems
    assert problem.field == "version"
    assert "change 1 by alice" in problem.message and "valid_until to '2023-09'" in problem.message
    assert store.number() == 1


def test_the_data_as_it_stood_on_a_past_day(store, geodata_copy):
    store.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    yesterday = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)).isoformat()
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert store.rows(as_of=yesterday) == shipped_rows(geodata_copy.folder)
    assert store.number_as_of(yesterday) == 0 and store.number_as_of(today) == 1
    assert store.dataset(today).records.loc["fs05-nema-advisor", "valid_until"] == "2023-09"
    # A change dated before another day's end is in that day's data, one after it is not.
    with store.engine.begin() as connection:
        connection.execute(t.changes.update().values(made_at="2026-03-01T10:00:00.000000Z"))
    assert store.rows(as_of="2026-02-28") == shipped_rows(geodata_copy.folder)
    assert store.dataset("2026-03-01").records.loc["fs05-nema-advisor", "valid_until"] == "2023-09"


def test_a_backup_restores_every_record_change_and_source(store, tmp_path):
    store.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    document = store.add_document(b"A plain note: the advisor left Ulaanbaatar in 2024.",
                                  "note.txt", "Note on NEMA", "Embassy of France", "2024-05",
                                  user="alice")
    store.apply(change("fs05-nema-advisor", description="Seconded to NEMA until 2024.",
                       document=document, quote="the advisor left Ulaanbaatar in 2024"), "alice")
    saved = store.backup(tmp_path / "store.json.gz")
    assert saved["changes"] == 2 and saved["documents"] >= 6
    rows, history, library = store.rows(), store.history(), store.library()
    store.revert(2, "undo", "bob")
    assert store.rows() != rows
    restored = store.restore(tmp_path / "store.json.gz")
    assert restored == saved
    assert store.rows() == rows and store.history() == history and store.library() == library
    assert store.apply(change("fs05-nema-advisor", valid_until="2023-06"), "bob") == 3


def test_a_backup_that_is_not_one_is_refused(store, tmp_path):
    (tmp_path / "bad.gz").write_bytes(b"not gzip at all")
    with pytest.raises(DataError):
        store.restore(tmp_path / "bad.gz")
    assert store.number() == 0 and len(store.rows()) > 70


def test_a_release_merges_without_losing_local_changes(store, geodata_copy):
    store.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    rows = geodata_copy.rows("records.csv")
    for row in rows:
        if row["id"] == "fs05-nema-advisor":  # changed here and in the release: a conflict
            row["description"] = row["description"] + " Corrected in the release."
        if row["id"] == "fs05-ndmo-vanuatu-expert":  # changed in the release alone
            row["city"] = "Port Vila (NDMO)"
    geodata_copy.write_rows("records.csv", [r for r in rows if r["id"] != "fs05-jrcc-tahiti"])
    merged = Store(geodata_copy.folder, store.url)
    records = merged.dataset().records
    assert records.loc["fs05-ndmo-vanuatu-expert", "city"] == "Port Vila (NDMO)"
    assert "fs05-jrcc-tahiti" not in records.index  # taken out by the release
    assert records.loc["fs05-nema-advisor", "valid_until"] == "2023-09"  # the local change kept
    (conflict,) = merged.conflicts()
    assert conflict["record"] == "fs05-nema-advisor"
    assert conflict["release"]["description"].endswith("Corrected in the release.")
    assert {c.action for c in merged.history()} == {"edit", "release"}
    # An editor settles it by a change to the record.
    merged.apply(change("fs05-nema-advisor", description=conflict["release"]["description"]),
                 "alice")
    assert merged.conflicts() == []


def test_documents_are_read_by_kind_and_a_false_pdf_is_refused(store):
    import docx

    word = docx.Document()
    word.add_paragraph("The French Navy patrolled the Mozambique Channel in March 2026.")
    data = io.BytesIO()
    word.save(data)
    document = store.add_document(data.getvalue(), "patrol.docx", "Patrol report",
                                  "French Navy", "2026-03", url="https://example.org/report")
    (found,) = [s for s in store.library() if s["id"] == document]
    assert "patrolled the Mozambique Channel" in found["text"]
    assert found["data_as_of"] == "2026-03"
    page = b"<html><body><script>x()</script><p>An OCLAESP course in Djibouti.</p></body></html>"
    html_id = store.add_document(page, "page.html", "Course", "OCLAESP", "2026")
    (read,) = [s for s in store.library() if s["id"] == html_id]
    assert "An OCLAESP course in Djibouti." in read["text"] and "x()" not in read["text"]
    with pytest.raises(DataError) as refused:
        store.add_document(b"PK\x03\x04 not a pdf", "report.pdf", "Report", "Navy", "2026")
    assert "not a PDF" in refused.value.problems[0].message
    with pytest.raises(DataError) as refused:
        store.add_document(b"text " * 10, "note.txt", "", "Navy", "2026-13")
    assert {p.field for p in refused.value.problems} == {"title", "date"}


def test_the_geopackage_opens_in_gdal_with_its_records_layer(geodata_copy):
    import pyogrio

    store = Store(geodata_copy.folder)
    store.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    store.flush()  # the layer is written in the background after a change
    path = store.path
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert layers["records"] == "Point" and "changes" in layers
    frame = pyogrio.read_dataframe(path, layer="records")
    nema = frame[frame["id"] == "fs05-nema-advisor"].iloc[0]
    assert nema["valid_until"] == "2023-09"
    assert (round(nema.geometry.x, 3), round(nema.geometry.y, 3)) == (106.906, 47.886)
    assert len(frame) == len(store.rows())


def test_two_writers_of_one_records_layer_take_turns(geodata_copy):
    """Two server workers share the GeoPackage, and each writes its records layer after a
    change. GDAL replaces a layer in steps (drop, create, fill): at once, one in about
    twelve writes failed ('table "records" already exists') and left the layer behind the
    records. A writer now waits for the other."""
    import fcntl
    import threading

    import pyogrio

    from presence.store.layer import layer_lock, write_layer

    first, second = Store(geodata_copy.folder), Store(geodata_copy.folder)
    first.flush()
    second.flush()
    rows = first.rows()
    # While another writer holds the layer, a write waits for it.
    with open(layer_lock(first.path), "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = threading.Thread(target=write_layer, args=(first.path, rows))
        waiting.start()
        waiting.join(2)  # a write takes 0.7 s
        assert waiting.is_alive()
    waiting.join(120)
    assert not waiting.is_alive()
    # Both workers' stores write at once: every write is whole.
    second.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    failed = []

    def write() -> None:
        try:
            write_layer(first.path, second.rows())
        except RuntimeError as error:
            failed.append(error)

    writers = [threading.Thread(target=write) for _ in range(3)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(120)
    second.flush()
    assert failed == []
    frame = pyogrio.read_dataframe(first.path, layer="records")
    assert len(frame) == len(rows)
    assert frame.loc[frame["id"] == "fs05-nema-advisor", "valid_until"].tolist() == ["2023-09"]


@pytest.mark.postgres
def test_postgis_holds_each_records_point_for_qgis(postgres, geodata_copy):
    store = Store(geodata_copy.folder, postgres("store_points"))
    with store.engine.connect() as connection:
        found = dict(connection.execute(text(
            "SELECT record_id, ST_AsText(geom) FROM record_state")).all())
    assert found["fs05-nema-advisor"] == "POINT(106.906 47.886)"  # Ulaanbaatar
    assert found["fs05-fle-lecturers"] is None  # an area: no point


@pytest.mark.postgres
def test_two_servers_on_one_database_see_each_others_changes(postgres, geodata_copy):
    """Two app servers' stores on one PostgreSQL: a change made on one is read on the other;
    two editors of one record: the second, on the version both saw, is refused."""
    from presence.live import POLL_SECONDS, LiveDataset

    url = postgres("store_two_servers")
    one = LiveDataset(geodata_copy.folder, Store(geodata_copy.folder, url))
    other = LiveDataset(geodata_copy.folder, Store(geodata_copy.folder, url))
    seen = one.store.version_of("fs05-nema-advisor")
    one.store.apply(change("fs05-nema-advisor", valid_until="2023-09", version=seen), "alice")
    one.refresh()
    import time

    started = time.monotonic()
    while other.current().change_number != 1 and time.monotonic() - started < 2:
        time.sleep(POLL_SECONDS / 5)
    other.refresh()  # the rebuild the request above started, waited for here
    assert other.current().records.loc["fs05-nema-advisor", "valid_until"] == "2023-09"
    with pytest.raises(DataError) as refused:
        other.store.apply(change("fs05-nema-advisor", description="Bob's text", version=seen),
                          "bob")
    assert "change 1 by alice" in refused.value.problems[0].message


def test_migrations_run_from_an_empty_store(geodata_copy):
    from alembic.migration import MigrationContext

    store = Store(geodata_copy.folder)
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0003"
        tables = set(connection.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table'")).scalars())
    assert {"changes", "record_versions", "record_state", "documents", "briefings",
            "imported_files", "gpkg_contents"} <= tables
    # Opening it again migrates nothing and keeps its changes.
    store.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    assert Store(geodata_copy.folder).number() == 1


def to_previous_schema(store: Store) -> None:
    """The store as schema 0001 left it: no briefings or imported files, nothing of them
    recorded."""
    from alembic import command
    from alembic.config import Config

    from presence.store.store import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.execution_options(writing=True).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
        connection.execute(t.store_info.delete().where(
            t.store_info.c.key.in_(["briefings_seeded", "imports_version"])))


def test_a_store_of_the_previous_schema_migrates_keeping_its_data(store, geodata_copy):
    from alembic.migration import MigrationContext

    store.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    document = store.add_document(b"The post ended in 2025.", "note.txt", "Note", "Embassy",
                                  "2025-07")
    to_previous_schema(store)
    with store.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0001"
        assert not {"briefings", "imported_files"} & set(sa_inspect(connection).get_table_names())

    again = Store(geodata_copy.folder, None if store.is_geopackage else store.url)
    with again.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0003"
    assert again.number() == 1 and again.fields_of("fs05-nema-advisor")["valid_until"] == "2023-09"
    assert [c.made_by for c in again.history()] == ["alice"]
    assert document in [d["id"] for d in again.library()]
    # PostgreSQL's briefings are now the store's, the shipped one among them.
    if not again.is_geopackage:
        assert "fs05-indo-pacific" in again.briefings().all()[0]


@pytest.mark.postgres
def test_a_teams_briefings_are_shared_by_every_server_and_no_save_is_lost(postgres,
                                                                          geodata_copy):
    from presence.store.briefings import StoredBriefings

    url = postgres("store_briefings")
    one, other = Store(geodata_copy.folder, url).briefings(), Store(geodata_copy.folder,
                                                                    url).briefings()
    assert isinstance(one, StoredBriefings)
    shipped = one.read("fs05-indo-pacific")
    assert shipped.slides and other.read("fs05-indo-pacific") == shipped
    made = one.create("Madagascar, March")
    assert made == "madagascar-march" and "madagascar-march" in other.all()[0]
    # Two officers add slides at once, on two servers: both are kept.
    import threading

    threads = [threading.Thread(target=lambda n=n, s=s: s.add_slide(made, f"Slide {n}",
                                                                    "region=indian-ocean"))
               for n, s in enumerate([one, other] * 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(slide.title for slide in other.read(made).slides) == [
        f"Slide {n}" for n in range(8)]
    other.move_slide(made, 0, 1)
    one.delete_slide(made, 0)
    assert len(one.read(made).slides) == 7
    with pytest.raises(BriefingError, match="no such briefing"):
        one.read("no-such-briefing")
    with pytest.raises(BriefingError, match="not a briefing id"):
        one.read("../etc/passwd")
    # The folder's files are not where a team's briefings go.
    assert not (geodata_copy.folder / "briefings" / "madagascar-march.json").exists()


def test_the_command_line_applies_shows_and_reverts_changes(geodata_copy, tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    def run(*args):
        return subprocess.run([sys.executable, "app.py", "--data", str(geodata_copy.folder),
                               *args], cwd=ROOT, capture_output=True, text=True, timeout=120)

    request = tmp_path / "change.json"
    request.write_text(json.dumps({"record": "fs05-nema-advisor",
                                   "set": {"valid_until": "2023-09"}, "why": "Ended.",
                                   "source": {"document": "fs05", "section": "Civil security",
                                              "quote": NEMA_QUOTE}}))
    done = run("change", str(request), "--user", "alice")
    assert done.returncode == 0 and done.stdout.strip() == "1", done.stderr
    shown = json.loads(run("history", "fs05-nema-advisor", "--json").stdout)
    assert shown[0]["made_by"] == "alice" and shown[0]["fields"] == [
        {"field": "valid_until", "before": "", "after": "2023-09"}]
    request.write_text(json.dumps({"record": "fs05-nema-advisor", "set": {"theme": "nope"},
                                   "why": "x", "source": {"document": "fs05", "section": "s",
                                                          "quote": NEMA_QUOTE}}))
    refused = run("change", str(request))
    assert refused.returncode == 1 and "field 'set.theme'" in refused.stderr
    assert run("revert", "1", "--why", "Not ended.").stdout.strip() == "2"
    # The records as they stood before any change are the shipped file, to the byte.
    before = run("records", "--as-of", "2020-01-01", "--format", "csv").stdout
    assert before == (geodata_copy.folder / "records.csv").read_text(encoding="utf-8")


def test_a_page_says_the_state_of_the_data_it_shows(geodata_copy):
    """A page printed in March can be drawn again in December: it says its data's change
    number, or the day it shows the data as of."""
    from export.page import PAGES
    from figures.fact_sheet import fact_sheet
    from presence.live import LiveDataset
    from presence.views import parse_query

    store = Store(geodata_copy.folder)
    store.apply(change("fs05-nema-advisor", valid_until="2023-09"), "alice")
    live = LiveDataset(geodata_copy.folder, store)
    size = PAGES["a5-landscape"].css_size()

    def footer(dataset, lang="en"):
        page = fact_sheet(dataset, parse_query("region=pacific", dataset), size, None, lang)
        return " ".join(a.text for a in page.layout.annotations)

    assert "Data at change 1." in footer(live.current())
    assert "Données à la modification n° 1." in footer(live.current(), "fr")
    yesterday = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1))
    past = live.for_query(f"region=pacific&asof={yesterday.isoformat()}")
    assert f"Data as of {yesterday.day} {yesterday.strftime('%B')} {yesterday.year} (change 0)." \
        in footer(past)


@pytest.mark.postgres
def test_a_teams_imported_layers_are_shared_by_every_server(postgres, tmp_path, geodata_copy):
    """Two servers (two data folders, one PostgreSQL store): a layer added on one is served by
    the other; two added at once on both are both kept; a removal and its undo reach both."""
    import shutil
    import threading

    from presence.imported.folder import TRASH, layer_files, remove_layer, restore_layer, save_layer
    from presence.imported.settings import layer_settings
    from presence.live import LiveDataset

    url = postgres("store_imports")
    other_folder = tmp_path / "other"
    shutil.copytree(geodata_copy.folder, other_folder)
    one = LiveDataset(geodata_copy.folder, Store(geodata_copy.folder, url))
    other = LiveDataset(other_folder, Store(other_folder, url))

    def add(data, name):
        rows = f"name,lat,lon\n{name} post,-18.9,47.5\n".encode()
        with data.changing_imports():
            return save_layer(data.imports, rows, layer_settings(f"{name}.csv", "name", None))

    def layers(data):
        data.mirror.pull()
        return sorted(path.name for path in layer_files(data.imports))

    add(one, "alpha")
    assert layers(other) == ["alpha.csv"]
    other.refresh()
    assert other.current().records["name_en"].str.contains("alpha post").any()

    adding = [threading.Thread(target=add, args=(data, name))
              for data, name in ((one, "beta"), (other, "gamma"))]
    for thread in adding:
        thread.start()
    for thread in adding:
        thread.join()
    assert layers(one) == layers(other) == ["alpha.csv", "beta.csv", "gamma.csv"]

    with other.changing_imports():
        kept = remove_layer(other.imports, "alpha.csv")
    assert layers(one) == ["beta.csv", "gamma.csv"]
    # Undo, on the other server: the removal's trash is shared too.
    with one.changing_imports():
        restore_layer(one.imports, one.imports / TRASH / kept.name)
    assert layers(other) == ["alpha.csv", "beta.csv", "gamma.csv"]
    assert not (other.imports / TRASH / kept.name).exists()
