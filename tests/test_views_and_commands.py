"""Views from URL queries, and the `records` and `check-data` commands built on them."""

import json
import re
import subprocess
import sys

import pytest

from presence.loader import GEODATA, load_dataset
from presence.views import View, ViewError, filter_records, parse_query

APP = str(GEODATA.parent / "app.py")


def run_app(*args):
    return subprocess.run([sys.executable, APP, *args], capture_output=True, text=True,
                          cwd=GEODATA.parent, timeout=120)


def ids(dataset, query):
    return set(filter_records(dataset, parse_query(query, dataset)).index)


def test_no_query_selects_every_record(dataset):
    assert ids(dataset, "") == set(dataset.records.index)


def test_theme_and_region_combine(dataset):
    chosen = ids(dataset, "theme=maritime-security&region=pacific")
    assert chosen == {"fs05-crimaro-ii", "fs05-jrcc-tahiti", "fs05-coss-new-caledonia"}


def test_region_holds_records_covering_it_not_only_hosted_in_it(dataset):
    # Brunei hosts nothing; the Singapore SSI covers it.
    assert "fs05-ssi-singapore-coverage" in ids(dataset, "region=south-east-asia")
    # Réunion is in East Africa and in the Indian Ocean.
    assert "fs05-oclaesp-saint-denis" in ids(dataset, "region=east-africa")
    assert "fs05-oclaesp-saint-denis" in ids(dataset, "region=indian-ocean")
    assert "fs05-oclaesp-papeete" not in ids(dataset, "region=indian-ocean")


def test_lists_accept_commas_and_repeats(dataset):
    assert ids(dataset, "theme=civil-security,environmental-crime") == \
        ids(dataset, "theme=civil-security&theme=environmental-crime")


def test_layer_actor_and_year_filters(dataset):
    assert ids(dataset, "layer=detachment") == {
        "fs05-fazsoi-drug-seizures", "fs05-oclaesp-papeete", "fs05-oclaesp-saint-denis"}
    assert ids(dataset, "actor=ocLAEsp") == {
        "fs05-oclaesp-papeete", "fs05-oclaesp-saint-denis", "fs05-oclaesp-djibouti-training",
        "fs05-waste-trafficking-destinations"}
    in_2012 = ids(dataset, "year=2012")
    assert "dcsd-alcao-mauritania" in in_2012 and "dcsd-aforma" in in_2012  # ongoing since 2011
    assert "dcsd-thb-gulf-of-guinea" not in in_2012  # from the end of 2013
    assert "fs05-jrcc-tahiti" not in in_2012  # attested only by the 2023 fact sheet
    assert "dcsd-thb-gulf-of-guinea" in ids(dataset, "year=2010-2013")


def test_the_year_filter_means_attested_in_force_that_year(dataset):
    in_2023 = ids(dataset, "year=2023")
    # Permanent bodies with no date are in force at their source's date...
    assert {"fs05-jrcc-tahiti", "fs05-ssi-singapore", "fs05-cross-south-indian-ocean"} <= in_2023
    # ...and an event year is not an end: the CROSS is in force in 2022 (its rescue) and since.
    assert "fs05-cross-south-indian-ocean" in ids(dataset, "year=2022")
    assert "fs05-aseanapol-observer" in in_2023
    assert "fs05-aseanapol-observer" in ids(dataset, "year=2019")
    assert "dcsd-alcao-mauritania" not in in_2023  # a 2012 seizure
    assert "fs05-fazsoi-drug-seizures" in in_2023 and "fs05-fazsoi-drug-seizures" not in ids(dataset, "year=2024")
    assert "dcsd-headquarters" not in ids(dataset, "year=2008")  # established in 2009
    # The 2013 overview attests nothing after 2013: "since August 2013", "initiated in March
    # 2011" are ongoing at its date, not in 2023.
    in_2013 = ids(dataset, "year=2013")
    assert {"dcsd-headquarters", "dcsd-acasa", "dcsd-thb-gulf-of-guinea"} <= in_2013
    assert not any(record_id.startswith("dcsd-") for record_id in in_2023)
    assert ids(dataset, "year=2014-2022") == {"fs05-aseanapol-observer",
                                               "fs05-mongolia-rescue-capacity",
                                               "fs05-cross-south-indian-ocean",
                                               "fs05-cross-mozambique-channel-rescue",
                                               "fs05-unodc-environmental-expert"}
    # A one-off event of 2022 and a posting the source dates 2022 are not shown in 2023.
    assert not {"fs05-cross-mozambique-channel-rescue", "fs05-unodc-environmental-expert"} \
        & in_2023


def test_the_attested_filter_leaves_out_what_only_an_older_source_says(dataset):
    recent = ids(dataset, "attested=2023")
    # The fact sheet's records, but the posting it dates 2022.
    assert recent == set(dataset.records.index[dataset.records["source"] == "fs05"]) - {
        "fs05-unodc-environmental-expert"}
    assert ids(dataset, "attested=2013") == set(dataset.records.index)
    older = dataset.records["older_as_of"].dropna()
    assert set(older.index) == set(dataset.records.index[dataset.records["source"] == "dcsd"]) \
        | {"fs05-unodc-environmental-expert"}
    assert set(older) == {"2013", "2022"}


def test_table_rows_are_made_once_per_data_set_and_language_and_follow_an_edit(
        dataset, monkeypatch):
    from dataclasses import replace

    import figures.table
    from figures.table import table_rows

    made = []
    real_rows = figures.table._rows
    monkeypatch.setattr(figures.table, "_rows", lambda *args: made.append(len(args[1]))
                        or real_rows(*args))
    indian_ocean = filter_records(dataset, parse_query("region=indian-ocean", dataset))
    first = table_rows(dataset, indian_ocean)
    assert [row["id"] for row in first] == indian_ocean.index.tolist()
    # The world's view makes only the rows not made yet; the region's again makes none.
    world = table_rows(dataset, dataset.records)
    assert made == [len(indian_ocean), len(dataset.records) - len(indian_ocean)]
    assert table_rows(dataset, indian_ocean) == first and len(made) == 2
    assert [row["id"] for row in world] == dataset.records.index.tolist()
    # In French, the French rows.
    french = table_rows(dataset, indian_ocean, "fr")
    assert next(r for r in french if r["id"] == "fs05-crfim-madagascar")["name"] == \
        "Centre régional de fusion de l'information maritime (CRFIM), Madagascar"
    # An edit is a new data set: its rows show the edit.
    edited = dataset.records.copy()
    edited.loc["fs05-crfim-madagascar", "name_en"] = "CRFIM, renamed"
    after = table_rows(replace(dataset, records=edited), edited.loc[indian_ocean.index])
    assert next(r for r in after if r["id"] == "fs05-crfim-madagascar")["name"] == \
        "CRFIM, renamed"
    assert next(r for r in table_rows(dataset, indian_ocean)
                if r["id"] == "fs05-crfim-madagascar")["name"] != "CRFIM, renamed"
    # Past ROWS_KEPT a view's new rows are made for it, not kept: right every time.
    monkeypatch.setattr(figures.table, "ROWS_KEPT", 10)
    copy = replace(dataset, records=dataset.records.copy())
    assert table_rows(copy, copy.records) == world and table_rows(copy, copy.records) == world
    assert len(figures.table._rows_made(copy)["en"]) == 0


def test_a_record_known_only_from_the_older_source_says_so_wherever_it_is_read(dataset):
    from figures.table import table_rows
    from figures.world_map import build_map
    from panels.details import details

    records = dataset.records
    # The records a country's panel lists: the overview's say so, the fact sheet's do not.
    guinea = str(details(dataset, "country:GIN", records, "en"))
    assert guinea.count("Attested as of: 2013 (older source)") == sum(
        "GIN" in places for places in records.loc[records["source"] == "dcsd", "places"])
    assert "(older source)" not in str(details(dataset, "country:VUT", records, "en"))
    panel = str(details(dataset, "dcsd-upc-guinea", records, "fr"))
    assert "2013 (source plus ancienne)" in panel
    row = next(r for r in table_rows(dataset, records) if r["id"] == "dcsd-upc-guinea")
    assert row["as_of"] == "2013 (older source)"
    assert next(r for r in table_rows(dataset, records)
                if r["id"] == "fs05-jrcc-tahiti")["as_of"] == "September 2023"
    hovers = " ".join(str(text) for trace in build_map(dataset).data
                      for text in (trace.text or ()) if text)
    assert "Civil Protection Units (UPC) in Guinea <i>(attested 2013)</i>" in hovers


@pytest.mark.parametrize("query,message", [
    ("theme=maritime", "unknown theme 'maritime'"),
    ("region=atlantis", "unknown region 'atlantis'"),
    ("layer=embassy", "unknown layer 'embassy'"),
    ("category=x", "unknown category 'x'"),
    ("year=20x3", "not a year"),
    ("year=2014-2010", "ends before it starts"),
    ("attested=23", "attested '23' is not a year"),
    ("colour=red", "unknown query key(s) colour"),
    ("region=pacific&region=europe", "given 2 times"),
])
def test_bad_queries_are_refused_with_a_reason(dataset, query, message):
    with pytest.raises(ViewError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_query(query, dataset)


def test_view_round_trips_through_its_query(dataset):
    view = View(themes=("civil-security",), layers=("embassy-post", "centre"),
                region="pacific", actor="Navy", years=(2011, 2013))
    assert parse_query(view.to_query(), dataset) == view


def test_records_command_writes_csv_that_loads_back(geodata_copy, dataset):
    result = run_app("records", "--view", "theme=maritime-security&region=indian-ocean")
    assert result.returncode == 0, result.stderr
    (geodata_copy.folder / "records.csv").write_text(result.stdout, encoding="utf-8")
    # The figures and further sources of records left out go too: each belongs to a record.
    for name in ("quantities.csv", "citations.csv"):
        rows = geodata_copy.rows(name)
        kept = [row for row in rows if row["record"] in result.stdout]
        if kept:
            geodata_copy.write_rows(name, kept)
        else:  # the header alone
            (geodata_copy.folder / name).write_text(",".join(rows[0]) + "\n", encoding="utf-8")
    reloaded = load_dataset(geodata_copy.folder)
    assert set(reloaded.records.index) == {
        "fs05-ifc-singapore", "fs05-crfim-madagascar", "fs05-ifc-ior-new-delhi",
        "fs05-maritime-advisor-idn", "fs05-global-ports-safety", "fs05-fort-dauphin-semaphore",
        "fs05-crimaro-ii", "fs05-cross-south-indian-ocean", "fs05-rocc-seychelles",
        "fs05-cross-mozambique-channel-rescue"}
    assert reloaded.records.loc["fs05-crimaro-ii", "regions"] == ("crimaro-beneficiaries",)
    assert reloaded.records.loc["fs05-crimaro-ii", "extent"] == "approximate"
    assert reloaded.records.loc["fs05-crimaro-ii", "source_quote"] == \
        dataset.records.loc["fs05-crimaro-ii", "source_quote"]


def test_records_command_writes_geojson_with_points_and_areas(dataset):
    result = run_app("records", "--format", "geojson")
    assert result.returncode == 0, result.stderr
    collection = json.loads(result.stdout)
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == set(dataset.records.index)
    assert features["fs05-jrcc-tahiti"]["geometry"] == {"type": "Point",
                                                        "coordinates": [-149.559, -17.552]}
    assert features["dcsd-scad"]["geometry"]["type"] == "MultiPolygon"
    assert features["dcsd-headquarters"]["properties"]["personnel"] == 60
    assert features["fs05-jrcc-tahiti"]["properties"]["personnel"] is None  # never a guess
    assert features["fs05-jrcc-tahiti"]["properties"]["source"] == "fs05"


def test_records_command_refuses_a_bad_view():
    result = run_app("records", "--view", "theme=maritime")
    assert result.returncode == 1
    assert "unknown theme 'maritime'" in result.stderr and result.stdout == ""


def test_a_data_command_does_not_load_the_dashboard_server():
    # Dash and the page's callbacks are a second of imports that `records` never uses:
    # app.py hands the command line to commands.py before importing them.
    result = subprocess.run([sys.executable, "-X", "importtime", APP, "records", "--view",
                             "theme=maritime-security"], capture_output=True, text=True,
                            cwd=GEODATA.parent, timeout=120)
    assert result.returncode == 0 and "fs05-ifc-singapore" in result.stdout
    loaded = {line.rpartition("|")[2].strip() for line in result.stderr.splitlines()
              if line.startswith("import time:")}
    assert "presence.views" in loaded  # what it uses is read
    assert not loaded & {"dash", "flask_compress", "callbacks.view", "layout", "app"}, \
        sorted(loaded & {"dash", "flask_compress", "callbacks.view", "layout", "app"})


def test_check_data_prints_a_summary(dataset):
    result = run_app("check-data")
    assert result.returncode == 0, result.stderr
    assert f"{len(dataset.records)} records from {len(dataset.sources)} sources" in result.stdout
    assert "maritime-security" in result.stdout and "project-footprint" in result.stdout


def test_check_data_fails_clearly_on_a_broken_copy(geodata_copy):
    geodata_copy.edit_record("fs05-jrcc-tahiti", theme="maritime", lat="95")
    result = run_app("--data", str(geodata_copy.folder), "check-data")
    assert result.returncode == 1
    assert "2 problems in" in result.stderr
    assert "record 'fs05-jrcc-tahiti' (line 39), field 'theme': unknown theme 'maritime'" in result.stderr
    assert "field 'lat': Input should be less than or equal to 90 (got '95')" in result.stderr


def test_check_data_names_records_that_break_the_rules_of_time_and_extent(geodata_copy):
    # A date the source cannot attest, a region turned into named countries, a sea drawn
    # as its shores.
    geodata_copy.edit_record("dcsd-acasa", as_of="2023", valid_from="2011-03")
    geodata_copy.edit_record("dcsd-sub-saharan-africa", extent="named")
    geodata_copy.edit_record("fs05-ctf150-command", layer="project-footprint")
    geodata_copy.edit_record("dcsd-headquarters", valid_from="2014-01")
    result = run_app("--data", str(geodata_copy.folder), "check-data")
    assert result.returncode == 1
    for record, field, words in (
            ("dcsd-acasa", "as_of", "2023 is after the date of source 'dcsd' (2013)"),
            ("dcsd-sub-saharan-africa", "regions", "a named extent lists each country"),
            ("fs05-ctf150-command", "regions", "a sea is not a set of states"),
            ("dcsd-headquarters", "valid_from", "2014-01 is after as_of 2013")):
        assert re.search(rf"record '{record}' \(line \d+\), field '{field}': [^\n]*"
                         rf"{re.escape(words)}", result.stderr), (record, result.stderr)


def test_check_data_names_a_source_document_missing_from_the_data_folder(geodata_copy):
    (geodata_copy.folder / "sources" / "dcsd-overview.txt").unlink()
    result = run_app("--data", str(geodata_copy.folder), "check-data")
    assert result.returncode == 1
    assert ("sources.csv: record 'dcsd' (line 3), field 'file': 'dcsd-overview.txt' is not in "
            "the data folder's sources/ folder") in result.stderr


def test_check_data_names_a_quote_its_source_does_not_hold(geodata_copy):
    geodata_copy.edit_record("fs05-jrcc-tahiti", source_quote="The Joint Rescue Centre in Tahiti")
    result = run_app("--data", str(geodata_copy.folder), "check-data")
    assert result.returncode == 1
    assert ("record 'fs05-jrcc-tahiti', field 'source_quote': not found word for word in "
            "factsheet-05-security-and-police-cooperation.txt") in result.stderr


def test_review_prints_each_record_beside_its_quote(dataset):
    result = run_app("review", "--view", "theme=maritime-security&region=pacific")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.strip().split("\n\n")
    chosen = dataset.records[dataset.records["theme"] == "maritime-security"]
    assert len(blocks) == 3 and blocks[0].startswith("fs05-crimaro-ii — CRIMARO II project")
    assert all("[quote found in the source]" in block for block in blocks)
    crimaro = " ".join(blocks[0].split())  # as read, whatever the line breaks
    assert "extent approximate; countries named: YEM, COK" in crimaro
    assert "more than 30 — Countries benefiting" in crimaro
    assert "benefiting over thirty countries in the Indo-Pacific, from Yemen" in crimaro  # quote
    assert len(chosen) > 3


def test_check_data_says_every_quote_was_found():
    result = run_app("check-data")
    assert result.returncode == 0, result.stderr
    assert "every record's, figure's and citation's quote is found word for word" in result.stdout
    assert "Readings: no country named only for the future" in result.stdout


def test_a_countrys_card_lists_every_record_touching_it_by_how_it_touches_it(dataset):
    """Seychelles: the ROCC is there, the anti-drug training names it; "70 % of its
    activities" in sub-Saharan Africa or CRIMARO II's Indian Ocean stand-in do not name it."""
    from figures.record_text import how_touching
    from panels.details import country_details

    records = dataset.records
    card = country_details(dataset, "SYC", records)
    listed: dict[str, set[str]] = {}
    relation = None
    for part in card:
        if part.__class__.__name__ == "H3":
            relation = part.children
        elif part.__class__.__name__ == "Ul":
            listed.setdefault(relation, set()).update(
                item.children[0].id["index"] for item in part.children)
    touching = set(records.index[records["places"].map(lambda places: "SYC" in places)])
    assert set().union(*listed.values()) == touching  # exactly the records touching it
    assert listed["Located here (1)"] == {"fs05-rocc-seychelles"}
    assert listed["The source names this country (1)"] == {"fs05-seychelles-antidrug-training"}
    stand_ins = next(ids for heading, ids in listed.items() if heading.startswith("Inside"))
    assert {"dcsd-sub-saharan-africa", "fs05-crimaro-ii"} <= stand_ins
    assert set(how_touching(records.loc[sorted(stand_ins)], "SYC")) == {"inside stand-ins"}
    text = str(card)
    # Each record with its dates, figures and the source's words, document and section.
    assert "The Centre régional opérationnel de surveillance et de sauvetage" not in text
    assert "Regional Operations Coordination Centre (ROCC) based in the Seychelles" in text
    assert "Maritime security, paragraph 4" in text and "Attested as of: 2013 (older source)" in text


def test_a_records_details_come_in_reading_order_without_empty_fields(dataset):
    """What, where, when, figures, the source and its words come first; nothing empty."""
    from panels.details import record_details

    found = record_details(dataset, "fs05-crimaro-ii", "en")
    rows = found[2].children.children
    fields = [row.children[1].className.removeprefix("field-") for row in rows]
    assert fields[:3] == ["theme", "category", "description"]
    assert fields.index("countries") < fields.index("as_of") < fields.index("figures") \
        < fields.index("source") < fields.index("source_quote")
    # How it is stored (its id, its names on the map) comes last, folded away.
    folded = next(part for part in found if getattr(part, "className", "") == "record-data")
    stored = [row.children[1].className.removeprefix("field-")
              for row in folded.children[1].children.children]
    assert "id" in stored and "id" not in fields
    assert all(row.children[1].children != "—" for row in rows)
    assert "host_iso3" not in fields + stored and "personnel" not in fields + stored
