"""The data stands on its sources: quotes found word for word, figures written in them, areas
that never reach where the words exclude, categories and names as the sources give them."""

from dataclasses import replace

import pandas as pd
import pytest
import shapely

from presence.quotes import figure_written, quote_problems, source_texts
from presence.views import filter_records, parse_query

FRENCH_TERRITORIES = {"FRA", "REU", "MYT", "ATF", "NCL", "PYF", "WLF", "GUF", "GLP", "MTQ",
                      "SPM", "BLM", "MAF"}
# Stand-ins for words about the sea ("coast", "ports", "ocean"): no landlocked country.
SEA_STAND_INS = ("east-african-coast", "south-and-south-east-asia-coast",
                 "crimaro-beneficiaries", "pacific-island-states")


@pytest.fixture(scope="module")
def texts(dataset):
    # The source documents ship in geodata/sources/: the check runs on a fresh clone.
    return source_texts(dataset)


def test_every_quote_and_figure_is_found_word_for_word_in_its_source(dataset, texts):
    assert dataset.records["source_quote"].str.len().gt(20).all()
    assert len(dataset.quantities) >= 25
    assert quote_problems(dataset, texts) == []


def test_a_quote_the_source_does_not_hold_is_named(dataset, texts):
    records = dataset.records.copy()
    records.loc["fs05-crimaro-ii", "source_quote"] = (
        "The flagship CRIMARO II project … benefiting over forty countries")
    problems = quote_problems(replace(dataset, records=records), texts)
    assert len(problems) == 1
    assert problems[0].record == "record 'fs05-crimaro-ii'" and problems[0].field == "source_quote"
    assert "benefiting over forty countries" in problems[0].message


def test_every_number_is_written_in_its_quote_with_its_qualifier(dataset):
    for record_id, record in dataset.records.dropna(subset=["personnel"]).iterrows():
        assert figure_written(record["personnel"], record["source_quote"]), record_id
    lecturers = dataset.records.loc["fs05-fle-lecturers"]
    assert (lecturers["personnel"], lecturers["personnel_qualifier"]) == (20, "about")  # "some twenty"
    figures = dataset.quantities.set_index("id")
    assert figures.loc["dcsd-cooperants", ["value", "qualifier"]].tolist() == [350, "about"]
    assert figures.loc["dcsd-students", ["value", "qualifier"]].tolist() == [3500, "more than"]
    assert figures.loc["dcsd-budget", ["value", "unit"]].tolist() == [100_000_000, "EUR"]
    assert not figure_written(40, "benefiting over thirty countries")


def test_a_number_the_source_does_not_give_stays_empty(dataset):
    # "three customs attachés in Beijing, Dubai and Bangkok": one each is a reading, not a figure.
    assert dataset.records.loc["fs05-customs-attache-dubai", "personnel"] is pd.NA
    assert dataset.records.loc["fs05-jrcc-tahiti", "personnel"] is pd.NA


def landlocked(countries) -> set[str]:
    """Countries whose whole border is shared with other countries. The buffers are a few
    hundredths of a degree wide: one segment per quarter circle is ample, and 4 times cheaper
    than shapely's default 8 (the same 47 countries)."""
    found = set()
    for iso3, shape in countries.geometry.items():
        others = countries.geometry.drop(iso3)
        near = others[others.intersects(shape.buffer(0.01, quad_segs=1))]
        if len(near) and shape.boundary.difference(shapely.union_all(
                near.boundary.values).buffer(0.02, quad_segs=1)).length < 0.05:
            found.add(iso3)
    return found


def test_stand_ins_never_reach_where_the_words_exclude(dataset):
    records = dataset.records
    areas = records[records["extent"].notna()]
    assert set(areas["layer"]) == {"project-footprint", "coverage-zone", "sea-area"}
    for record_id, record in areas.iterrows():
        # Cooperation abroad: no area of a record covers France or its territories.
        assert not record["footprint"] & FRENCH_TERRITORIES, record_id
        # An approximate area keeps to its source's words: an African project stays in
        # Africa, a maritime one on the coast.
        for region in record["regions"]:
            members = dataset.region_members[region]
            quote = record["source_quote"]
            if "Africa" in quote and not any(other in quote for other in
                                             ("Indo-Pacific", "Asia", "America")):
                assert set(dataset.countries.loc[list(members), "region_un"]) == {"Africa"}, record_id
    inland = landlocked(dataset.countries)
    assert {"ETH", "UGA", "LAO", "NPL", "AFG", "MWI"} <= inland and not {"KEN", "IND", "THA"} & inland
    for region in SEA_STAND_INS:
        assert not dataset.region_members[region] & inland, region
    # Every record whose words are about coasts, ports or seas draws on a sea stand-in only.
    for record_id in ("fs05-civipol-east-africa", "fs05-global-ports-safety",
                      "fs05-crimaro-ii", "fs05-navy-fisheries-policing", "fs05-operation-nasse"):
        assert set(records.at[record_id, "regions"]) <= set(SEA_STAND_INS), record_id


def test_a_sea_area_is_drawn_as_the_sea_and_names_no_country(dataset):
    """CTF 150's waters are the sea its second source words ("the Gulf of Oman, Arabian Sea
    and Gulf of Aden"), never the states on their shores; the Mozambique Channel of the 2022
    rescue is the sea between Mozambique and Madagascar."""
    from layers import layer_frame

    ctf150 = dataset.records.loc["fs05-ctf150-command"]
    assert ctf150["layer"] == "sea-area"
    assert ctf150["regions"] == ("gulf-of-oman-arabian-sea-gulf-of-aden",)
    assert ctf150["footprint"] == ctf150["places"] == ctf150["counted"] == frozenset()
    seas = layer_frame(dataset, "sea-area").geometry
    land = shapely.union_all(dataset.countries.geometry.to_numpy())
    for record_id in ("fs05-ctf150-command", "fs05-cross-mozambique-channel-rescue"):
        assert seas[record_id].intersection(land).area < 0.01 * seas[record_id].area  # sea
    shape = seas["fs05-ctf150-command"]
    for where in ((62, 15), (48, 12.5), (58.5, 24.5)):  # Arabian Sea, Gulf of Aden, of Oman
        assert shape.contains(shapely.Point(where)), where
    for where in ((88, 15), (51, 27), (38, 20)):  # not the Bay of Bengal, nor either Gulf
        assert not shape.contains(shapely.Point(where)), where
    channel = seas["fs05-cross-mozambique-channel-rescue"]
    assert channel.contains(shapely.Point(41, -18)) and not channel.contains(shapely.Point(52, -20))
    # It is found where its shores are, and nowhere else.
    for region, expected in (("indian-ocean", True), ("middle-east", True), ("south-asia", True),
                             ("south-east-asia", False), ("pacific", False), ("europe", False)):
        found = filter_records(dataset, parse_query(f"region={region}", dataset))
        assert ("fs05-ctf150-command" in found.index) is expected, region


def test_a_claim_about_a_region_or_an_aim_shades_no_country(dataset):
    """A region or an aim is drawn dotted as a stand-in, never as a list of named countries;
    a named area lists each country its source names (no record names more than five)."""
    records = dataset.records
    for record_id in ("dcsd-sub-saharan-africa", "dcsd-apsa-recamp", "fs05-operation-nasse",
                      "fs05-navy-fisheries-policing", "dcsd-ihedn-session-asia",
                      "dcsd-elysee-priority-sahel"):
        assert records.at[record_id, "extent"] == "approximate", record_id
        assert records.at[record_id, "counted"] == frozenset(), record_id
    named = records[records["extent"] == "named"]
    assert (named["regions"].map(len) == 0).all()
    assert named["footprint"].map(len).max() <= 5
    assert records.at["fs05-navy-fisheries-policing", "category"] == "fisheries-policing"
    assert records.at["fs05-operation-nasse", "category"] == "pacific-quad"
    assert "State action at sea through the FSP ASCEMAR" in records.at["dcsd-ascemar", "name_en"]


def test_approximate_areas_are_not_counted_as_certain(dataset):
    acasa = dataset.records.loc["dcsd-acasa"]  # "22 States" of Africa, none named
    assert acasa["extent"] == "approximate" and len(acasa["footprint"]) > 40
    assert acasa["counted"] == frozenset()
    crimaro = dataset.records.loc["fs05-crimaro-ii"]  # names only Yemen and the Cook Islands
    assert crimaro["counted"] == {"YEM", "COK"}
    coverage = dataset.records.loc["fs05-ssi-singapore-coverage"]
    assert coverage["extent"] == "named" and coverage["counted"] == coverage["places"]


def test_stand_in_regions_are_not_offered_as_filters(dataset):
    assert "east-african-coast" in dataset.regions.index
    assert "east-african-coast" not in dataset.filter_regions
    assert "pacific" in dataset.filter_regions
    with pytest.raises(ValueError, match="unknown region 'east-african-coast'"):
        parse_query("region=east-african-coast", dataset)


def test_categories_are_the_ones_the_fact_sheet_gives(dataset):
    records = dataset.records
    # The six schools "in which French development workers are integrated" are the legend's
    # cooperants; the one "national school with a regional vocation" is EI3PJ.
    assert set(records.index[records["category"] == "regional-school"]) == {"fs05-ei3pj"}
    assert len(records[(records["category"] == "cooperants") & (records["layer"] == "school")]) == 6
    legend = dataset.categories[dataset.categories["in_factsheet_legend"]]
    assert set(legend.index) <= set(records["category"])  # every printed category is on the map


def test_places_are_where_the_sources_put_them(dataset):
    eniap = dataset.records.loc["fs05-fle-eniap"]  # the school is in Antsirabe
    assert (eniap["city"], round(eniap["lon"], 1), round(eniap["lat"], 1)) == ("Antsirabe", 47.0, -19.9)
    ctf = filter_records(dataset, parse_query("region=south-asia&theme=domestic-security", dataset))
    assert "fs05-ctf150-command" in ctf.index  # the North-Eastern Indian Ocean
    assert "ZAF" not in dataset.records.at["fs05-ctf150-command", "footprint"]


# Hand-checked boxes (lon, lat) around the place each name denotes.
NAMED_PLACES = {
    "PGA": ("Spratly Islands", (111, 7, 117, 12)), "UMI": (None, (-180, -15, 180, 30)),
    "MAF": ("Saint Martin", (-63.2, 18.0, -63.0, 18.2)), "SXM": ("Sint Maarten", (-63.2, 17.9, -62.9, 18.1)),
    "REU": ("Réunion", (55.2, -21.4, 55.9, -20.8)), "MYT": ("Mayotte", (45.0, -13.1, 45.3, -12.6)),
    "ATF": ("French Southern and Antarctic Lands", (39, -50, 78, -11)),
    "IOT": ("British Indian Ocean Territory", (71, -8, 73, -5)), "COK": ("Cook Islands", (-166, -22, -157, -8)),
    "WLF": ("Wallis and Futuna", (-179, -15, -176, -13)), "TKL": (None, None),
    "SCR": ("Scarborough Shoal", (117.6, 15.0, 117.9, 15.3)), "HMD": ("Heard Island and McDonald Islands", (72, -54, 74.5, -52.9)),
}


def test_country_names_match_their_shapes(dataset):
    countries = dataset.countries
    for iso3, (name, box) in NAMED_PLACES.items():
        if box is None or iso3 not in countries.index:
            continue
        if name:
            assert countries.at[iso3, "name_en"] == name, iso3
        point = countries.geometry[iso3].representative_point()
        assert box[0] <= point.x <= box[2] and box[1] <= point.y <= box[3], (iso3, point)
    assert countries["name_fr"].is_unique and countries["name_en"].is_unique
