"""The rules a fact-checker signs, each tried on the error it was written for: a stand-in
wider than its sentence, a figure read out of a list or without its unit, a participation to
come shown as present, a dated posting shown as later, a sea drawn against the source that
gives its extent; and one rule for what a region's view holds."""

import json
from dataclasses import replace

import pytest

from figures.captions import count_text
from figures.record_text import card_entry
from layers import countries as countries_layer
from panels.details import record_details
from presence.errors import DataError
from presence.loader import load_dataset
from presence.quotes import quote_problems, source_texts
from presence.readings import reading_problems
from presence.views import STAND_IN, filter_records, parse_query, region_reach


@pytest.fixture(scope="module")
def texts(dataset):
    return source_texts(dataset)


def problems_of(folder) -> list:
    with pytest.raises(DataError) as refused:
        load_dataset(folder)
    return refused.value.problems


def test_the_data_passes_every_reading(dataset, texts):
    assert reading_problems(dataset, texts) == []


def test_a_stand_in_taking_in_what_its_sentence_names_apart_is_refused(geodata_copy):
    """'international sessions about Asia (Middle East, South America, …)': Asia drawn as
    UN Asia takes in the Middle East, which the same sentence names as a session of its own,
    and the UK's bases on Cyprus and disputed reefs."""
    rows = geodata_copy.rows("regions.csv")
    for row in rows:
        if row["id"] == "asia":
            row.update(subregions="Central Asia;Eastern Asia;South-Eastern Asia;Southern Asia;"
                                  "Western Asia", exclude="")
    geodata_copy.write_rows("regions.csv", rows)
    found = problems_of(geodata_copy.folder)
    apart = [p for p in found if p.record.startswith("record 'dcsd-ihedn-session-middle-east'")]
    assert len(apart) == 1 and apart[0].field == "regions"
    assert apart[0].file.endswith("records.csv")
    assert "'dcsd-ihedn-session-asia'" in apart[0].message and "IRQ" in apart[0].message
    on_asia = {p.message.split(":")[0]: p for p in found if p.record.startswith("record 'asia'")}
    assert set(on_asia) == {"a stand-in takes in no disputed territory",
                            "a stand-in takes in no dependency of a state it leaves out (a "
                            "source that names one is quoted in the record's countries)"}
    assert all(p.file.endswith("regions.csv") and p.field == "exclude" for p in on_asia.values())
    assert "PGA" in on_asia["a stand-in takes in no disputed territory"].message
    assert "ESB, WSB" in on_asia["a stand-in takes in no dependency of a state it leaves out (a "
                                 "source that names one is quoted in the record's countries)"].message


def test_stand_ins_of_separate_statements_may_nest(dataset, geodata_copy):
    """Each of the Élysée summit's priorities quotes its own line: Africa's capabilities hold
    the Sahel, an aim within an aim, which the rule lets be. The IHEDN sessions quote one
    sentence: their stand-ins may not even nest."""
    members = dataset.region_members
    assert members["sahel"] <= members["african-states"]
    quotes = dataset.records.loc[["dcsd-elysee-priority-african-capabilities",
                                  "dcsd-elysee-priority-sahel"], "source_quote"]
    assert quotes.nunique() == 2
    geodata_copy.edit_record("dcsd-ihedn-session-middle-east", regions="gulf-of-guinea")
    geodata_copy.edit_record("dcsd-ihedn-session-africa", regions="african-states")
    found = problems_of(geodata_copy.folder)
    assert [p.record.split(" (")[0] for p in found] == ["record 'dcsd-ihedn-session-africa'"]


def test_a_dependency_of_a_european_state_in_south_america_is_refused(geodata_copy):
    rows = geodata_copy.rows("regions.csv")
    for row in rows:
        if row["id"] == "south-america":
            row["exclude"] = "GUF"
    geodata_copy.write_rows("regions.csv", rows)
    found = problems_of(geodata_copy.folder)
    assert [(p.record.split(" (")[0], p.field) for p in found] == [
        ("record 'south-america'", "exclude")]
    assert found[0].message.endswith("FLK")  # the Falklands, disputed


def test_a_figure_out_of_a_list_of_numbers_is_refused(dataset, texts):
    """"an overall budget of €100 million over 105 programs and 209": 105 and 209 are budget
    programmes. The quote cut before "and 209" is read with the words it left out."""
    quantities = dataset.quantities.copy()
    quantities.loc["dcsd-programmes"] = {
        "id": "dcsd-programmes", "record": "dcsd-headquarters", "what_en": "Programmes",
        "what_fr": "Programmes", "qualifier": None, "value": 105.0, "unit": None,
        "source_quote": "With an overall budget of €100 million over 105 programs"}
    found = reading_problems(replace(dataset, quantities=quantities), texts)
    assert [(p.file, p.record, p.field) for p in found] == [
        ("quantities.csv", "record 'dcsd-programmes'", "value")]
    assert "105 programs and 209" in found[0].message
    # The budget is read over budget programmes 105 and 209, with two sources that say so.
    budget = dataset.quantities.loc["dcsd-budget"]
    assert "programmes 105 and 209" in budget["what_en"]
    cited = dataset.citations[dataset.citations["quantity"] == "dcsd-budget"]
    assert set(cited["source"]) == {"senat-2009-avis-102", "an-intervention-620320"}
    assert all("programme 10" in quote or "programme 209" in quote
               for quote in cited["source_quote"])


@pytest.mark.parametrize(("figure", "unit", "written"), [
    ("fs05-fazsoi-methamphetamine", None, "kg"), ("fs05-fazsoi-heroin", "kg", "t"),
    ("dcsd-sub-saharan-share", None, "%"), ("dcsd-budget", None, "EUR")])
def test_a_figure_without_the_unit_its_words_give_is_refused(dataset, texts, figure, unit,
                                                             written):
    quantities = dataset.quantities.copy()
    quantities.loc[figure, "unit"] = unit
    found = reading_problems(replace(dataset, quantities=quantities), texts)
    assert [(p.record, p.field) for p in found] == [(f"record '{figure}'", "unit")]
    assert f"give the figure in {written}," in found[0].message


def test_a_participation_to_come_is_not_counted_as_present(dataset, texts):
    """"training courses in Indonesia, which will welcome participants from Malaysia, Papua
    New Guinea and the Philippines": as of September 2023 they have not come."""
    training = dataset.records.loc["fs05-indonesia-wildfire-training"]
    assert training["countries"] == ("IDN",) and "will welcome" in training["description"]
    records = dataset.records.copy()
    records.at["fs05-indonesia-wildfire-training", "countries"] = ("IDN", "MYS", "PNG", "PHL")
    found = reading_problems(replace(dataset, records=records), texts)
    assert [(p.record, p.field) for p in found] == [
        ("record 'fs05-indonesia-wildfire-training'", "countries")] * 3
    assert [p.message.split(" ")[0] for p in found] == ["MYS", "PNG", "PHL"]
    assert "will welcome participants" in found[0].message


def test_a_posting_the_source_dates_is_attested_as_of_that_year(dataset, texts):
    """"a French environmental crime expert was for the first time seconded … in 2022": the
    fact sheet of 2023 does not say the expert is still in post."""
    expert = dataset.records.loc["fs05-unodc-environmental-expert"]
    assert expert["as_of"] == "2022" and expert["older_as_of"] == "2022"
    in_2023 = filter_records(dataset, parse_query("year=2023", dataset))
    assert "fs05-unodc-environmental-expert" not in in_2023.index
    records = dataset.records.copy()
    records.loc["fs05-unodc-environmental-expert", "as_of"] = "2023-09"
    found = reading_problems(replace(dataset, records=records), texts)
    assert [(p.record, p.field) for p in found] == [
        ("record 'fs05-unodc-environmental-expert'", "as_of")]


def test_an_extent_drawn_against_its_second_source_is_refused(geodata_copy):
    """CTF 150's waters are drawn from the US Navy's release, which citations.csv cites for
    its extent: a sea drawn from the fact sheet's words instead is refused."""
    path = geodata_copy.folder / "sea_areas.geojson"
    seas = json.loads(path.read_text(encoding="utf-8"))
    for feature in seas["features"]:
        if feature["properties"]["id"] == "gulf-of-oman-arabian-sea-gulf-of-aden":
            feature["properties"]["source"] = "fs05"
    path.write_text(json.dumps(seas), encoding="utf-8")
    found = problems_of(geodata_copy.folder)
    assert [(p.record, p.field) for p in found] == [("record 'fs05-ctf150-command'", "regions")]
    assert "source 'fs05'" in found[0].message and "'navcent-2023-07'" in found[0].message


def test_a_sea_drawn_from_words_its_quote_lacks_is_named(dataset, texts):
    citations = dataset.citations.copy()
    citations.loc["ctf150-area-navcent", "source_quote"] = (
        "France assumed command of a multinational naval task force that patrols the Gulf of "
        "Oman and Indian Ocean")
    found = reading_problems(replace(dataset, citations=citations), texts)
    assert [(p.record, p.field) for p in found] == [("record 'fs05-ctf150-command'", "regions")]


def test_a_citation_whose_words_are_not_in_its_document_is_named(dataset, texts):
    citations = dataset.citations.copy()
    citations.loc["ctf150-area-navcent", "source_quote"] = "CTF 150 patrols the Bay of Bengal."
    found = quote_problems(replace(dataset, citations=citations), texts)
    assert [(p.file, p.record, p.field) for p in found] == [
        ("citations.csv", "record 'ctf150-area-navcent'", "source_quote")]


def test_the_record_says_where_its_area_comes_from(dataset):
    """The details and the card give the fact sheet's words and the release the area is
    drawn from, with its words and where they are."""
    text = str(record_details(dataset, "fs05-ctf150-command"))
    assert "North-Eastern Indian Ocean" in text  # the fact sheet's words
    assert "Gulf of Oman, Arabian Sea and Gulf of Aden to help ensure" in text  # the release's
    assert "US Navy (NAVCENT) (July 2023), Paragraphs 1 and 3" in text
    entry = card_entry(dataset, "fs05-ctf150-command", "fr")
    assert len(entry.readings) == 1
    assert entry.readings[0].note.startswith("La fiche place la CTF 150 dans le nord-est")
    assert entry.readings[0].cited.endswith("Marine américaine (juillet 2023), Paragraphes 1 et 3")


def test_one_rule_says_what_a_region_holds(dataset):
    """The Middle East shares only Egypt with Africa: the 2013 overview's Africa-wide aims
    are not in its view. East Africa lies mostly inside sub-Saharan Africa: they are, said
    to be there only through a stand-in, and they shade no country."""
    middle_east = parse_query("region=middle-east", dataset)
    shown = filter_records(dataset, middle_east)
    assert set(shown.index[shown["source"] == "dcsd"]) == {"dcsd-ihedn-session-middle-east"}
    east = parse_query("region=east-africa", dataset)
    records = filter_records(dataset, east)
    reach = region_reach(dataset, "east-africa").loc[records.index]
    through = set(reach.index[reach == STAND_IN])
    assert {"dcsd-sub-saharan-africa", "dcsd-apsa-recamp", "fs05-civipol-east-africa"} <= through
    assert count_text(dataset, east, records) == (
        f"{len(records)} of {len(dataset.records)} records shown; {len(through)} of them only "
        f"as an approximate extent (dotted)")
    shaded = countries_layer.build(dataset, records)
    named = records.drop(index=list(through))
    assert shaded["record_count"].sum() == sum(len(places) for places in named["counted"])
    assert count_text(dataset, parse_query("", dataset), dataset.records).endswith("shown")


# Acronyms whose French form differs, as French readers and the French edition write them.
FRENCH_ACRONYMS = {"UNODC": "ONUDC", "ROCC": "CRCO", "CROC": "CRCO", "IOC": "COI",
                   "EEZ": "ZEE", "ECOWAS": "CEDEAO", "ECCAS": "CEEAC", "AU": "UA", "EU": "UE"}


def test_french_text_says_no_more_than_the_source_and_in_french(dataset):
    import re

    records = dataset.records
    for column in [c for c in records.columns if c.endswith("_fr")]:
        for record_id, text in records[column].dropna().items():
            for english, french in FRENCH_ACRONYMS.items():
                assert not re.search(rf"\b{english}\b", text), (record_id, column, french)
    # The Air Transport Force is named as the fact sheet names it, no institution more.
    assert records.at["fs05-air-transport-force-training", "actor_fr"] == \
        "Force de transport aérien"
    assert records.at["fs05-wcpfc-support", "partner_fr"] == \
        "Commission des pêches pour le Pacifique occidental et central"
