"""The loader: the embedded data is valid; every kind of bad input is named precisely."""

import csv
import json

import pytest

from presence.errors import DataError
from presence.loader import load_dataset

RECORDS = "records.csv"


def problems_of(folder):
    with pytest.raises(DataError) as caught:
        load_dataset(folder)
    return caught.value.problems


def only_problem(folder):
    problems = problems_of(folder)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_embedded_data_set_loads_with_every_record(dataset):
    lines = (dataset.folder / RECORDS).read_text(encoding="utf-8").splitlines()
    assert len(dataset.records) == len(list(csv.DictReader(lines))) > 60
    assert dataset.records.index.is_unique
    assert set(dataset.themes.index) == {"defence-cooperation", "domestic-security",
                                         "civil-security", "maritime-security",
                                         "environmental-crime"}
    assert dataset.records["source"].notna().all()


def test_unknown_theme_names_file_record_and_field(geodata_copy):
    geodata_copy.edit_record("fs05-jrcc-tahiti", theme="maritime")
    problem = only_problem(geodata_copy.folder)
    assert problem.file.endswith("records.csv")
    assert problem.record == "record 'fs05-jrcc-tahiti' (line 39)"
    assert problem.field == "theme"
    assert "unknown theme 'maritime'" in problem.message
    assert "maritime-security" in problem.message  # says what would be right


def test_unknown_category(geodata_copy):
    geodata_copy.edit_record("fs05-jrcc-tahiti", category="lighthouse")
    problem = only_problem(geodata_copy.folder)
    assert (problem.field, problem.message.split(" (")[0]) == ("category", "unknown category 'lighthouse'")


def test_category_of_another_theme(geodata_copy):
    geodata_copy.edit_record("fs05-jrcc-tahiti", category="oclaesp-detachment")
    problem = only_problem(geodata_copy.folder)
    assert problem.field == "category"
    assert "belongs to theme 'environmental-crime', not 'maritime-security'" in problem.message


@pytest.mark.parametrize("field,value", [("host_iso3", "XYZ"), ("countries", "BRN;ZZZ")])
def test_unknown_iso3(geodata_copy, field, value):
    record = "fs05-ssi-singapore-coverage"
    geodata_copy.edit_record(record, **{field: value})
    problem = only_problem(geodata_copy.folder)
    assert problem.field == field and f"record '{record}'" in problem.record
    assert "unknown iso3" in problem.message


def test_malformed_iso3(geodata_copy):
    geodata_copy.edit_record("fs05-ssi-singapore-coverage", countries="BRN;idn")
    assert "'idn' is not an ISO 3166-1 alpha-3 code" in only_problem(geodata_copy.folder).message


@pytest.mark.parametrize("field,value,message", [
    ("lon", "190", "less than or equal to 180"),
    ("lat", "-91", "greater than or equal to -90"),
    ("lat", "north", "valid number"),
])
def test_coordinates_out_of_range_or_not_numbers(geodata_copy, field, value, message):
    geodata_copy.edit_record("fs05-jrcc-tahiti", **{field: value})
    problem = only_problem(geodata_copy.folder)
    assert problem.field == field and message in problem.message and value in problem.message


def test_coordinates_far_from_the_stated_country(geodata_copy):
    # Paris's coordinates left on a record hosted in Mongolia.
    geodata_copy.edit_record("fs05-nema-advisor", lon="2.35", lat="48.86")
    problem = only_problem(geodata_copy.folder)
    assert problem.field == "lon,lat"
    assert "km from MNG (Mongolia)" in problem.message


def test_duplicate_id(geodata_copy):
    rows = geodata_copy.rows(RECORDS)
    rows.append(dict(rows[3]))
    geodata_copy.write_rows(RECORDS, rows)
    problem = only_problem(geodata_copy.folder)
    assert problem.field == "id"
    assert problem.message == "duplicate id, first used on line 5"


@pytest.mark.parametrize("value,message", [("", "missing: this field is required"),
                                           ("fs99", "unknown source 'fs99'")])
def test_missing_or_unknown_source(geodata_copy, value, message):
    geodata_copy.edit_record("dcsd-headquarters", source=value)
    problem = only_problem(geodata_copy.folder)
    assert problem.field == "source" and message in problem.message


def test_point_layer_without_location(geodata_copy):
    geodata_copy.edit_record("fs05-jrcc-tahiti", lon="", lat="")
    problem = only_problem(geodata_copy.folder)
    assert problem.field == "lon" and "layer 'centre' draws a point" in problem.message


def test_area_layer_without_countries(geodata_copy):
    geodata_copy.edit_record("dcsd-scad", countries="")
    problem = only_problem(geodata_copy.folder)
    assert problem.field == "countries" and "draws an area" in problem.message


def test_estimate_in_a_number_field_is_refused(geodata_copy):
    geodata_copy.edit_record("dcsd-headquarters", personnel="about 60")
    problem = only_problem(geodata_copy.folder)
    assert problem.field == "personnel" and "valid integer" in problem.message


def test_validity_backwards(geodata_copy):
    geodata_copy.edit_record("dcsd-ghana-french-centres", valid_from="2013", valid_until="2003-05")
    problem = only_problem(geodata_copy.folder)
    assert problem.field == "valid_until" and "before valid_from 2013" in problem.message


@pytest.mark.parametrize("field,value,message", [
    ("valid_from", "March 2011", "should match pattern"),
    ("event_dates", "2022;spring", "'spring' is not a date"),
    ("personnel_qualifier", "roughly", "Input should be"),
    ("extent", "", "say whether its extent is 'named'"),
    ("source_quote", "", "missing: this field is required"),
])
def test_dates_qualifiers_extents_and_quotes_are_checked(geodata_copy, field, value, message):
    geodata_copy.edit_record("dcsd-acasa", **{field: value})
    problem = only_problem(geodata_copy.folder)
    assert problem.field == field and message in problem.message, problem


def test_a_qualifier_needs_its_number(geodata_copy):
    geodata_copy.edit_record("fs05-jrcc-tahiti", personnel_qualifier="about")
    problem = only_problem(geodata_copy.folder)
    assert problem.field == "personnel_qualifier" and "without a number" in problem.message


def test_an_approximate_extent_needs_its_stand_in(geodata_copy):
    geodata_copy.edit_record("dcsd-scad", extent="approximate")
    problem = only_problem(geodata_copy.folder)
    assert problem.field == "regions" and "stands in" in problem.message


def test_a_figure_of_an_unknown_record_is_named(geodata_copy):
    path = geodata_copy.folder / "quantities.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "dcsd-budget,dcsd-headquarters", "dcsd-budget,dcsd-hq"), encoding="utf-8")
    problem = only_problem(geodata_copy.folder)
    assert problem.file.endswith("quantities.csv") and problem.record.startswith("record 'dcsd-budget'")
    assert problem.field == "record" and "unknown record 'dcsd-hq'" in problem.message


def test_all_problems_of_a_file_are_reported_at_once(geodata_copy):
    geodata_copy.edit_record("fs05-jrcc-tahiti", theme="maritime")
    geodata_copy.edit_record("fs05-coss-new-caledonia", lat="95")
    geodata_copy.edit_record("dcsd-scad", source="")
    problems = problems_of(geodata_copy.folder)
    assert [(p.record.split("'")[1], p.field) for p in problems] == [
        ("fs05-jrcc-tahiti", "theme"), ("fs05-coss-new-caledonia", "lat"), ("dcsd-scad", "source")]


def test_missing_and_unknown_columns(geodata_copy):
    rows = geodata_copy.rows(RECORDS)
    for row in rows:
        row["colour"] = row.pop("source")
    geodata_copy.write_rows(RECORDS, rows)
    problems = problems_of(geodata_copy.folder)
    assert {(p.record, p.field) for p in problems} == {("header", "source"), ("header", "colour")}


def test_row_with_too_many_fields(geodata_copy):
    path = geodata_copy.folder / RECORDS
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = only_problem(geodata_copy.folder)
    assert problem.record.endswith("(line 3)") and "different number of fields" in problem.message


def test_missing_file(geodata_copy):
    (geodata_copy.folder / "sources.csv").unlink()
    problems = problems_of(geodata_copy.folder)
    assert any(p.file.endswith("sources.csv") and p.message == "file not found" for p in problems)


def test_unknown_theme_in_taxonomy_and_bad_symbol(geodata_copy):
    rows = geodata_copy.rows("categories.csv")
    rows[0]["symbol"] = "blob"
    geodata_copy.write_rows("categories.csv", rows)
    problems = problems_of(geodata_copy.folder)
    assert any(p.file.endswith("categories.csv") and p.field == "symbol"
               and "not a Plotly marker symbol" in p.message for p in problems)


def test_unknown_region_in_record_and_unknown_subregion_in_regions(geodata_copy):
    geodata_copy.edit_record("dcsd-jussec", regions="sahara")
    rows = geodata_copy.rows("regions.csv")
    rows[2]["subregions"] = "Atlantis"
    geodata_copy.write_rows("regions.csv", rows)
    problems = {(p.file.rsplit("/", 1)[-1], p.field): p.message for p in problems_of(geodata_copy.folder)}
    assert "unknown UN sub-region 'Atlantis'" in problems[("regions.csv", "subregions")]
    assert "unknown region 'sahara'" in problems[("records.csv", "regions")]


def edit_feature(folder, iso3, change):
    path = folder / "countries.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    feature = next(f for f in collection["features"] if f["properties"]["iso3"] == iso3)
    change(feature)
    path.write_text(json.dumps(collection), encoding="utf-8")


@pytest.mark.parametrize("change,message", [
    (lambda f: f.update(geometry={"type": "Polygon", "coordinates": [[[1, 2], [3]]]}),
     "malformed geometry"),
    (lambda f: f.update(geometry={"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}),
     "invalid geometry: Self-intersection"),
    (lambda f: f.update(geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}),
     "anticlockwise"),
    (lambda f: f.update(geometry={"type": "Point", "coordinates": [0, 0]}), "got Point"),
])
def test_bad_country_geometry(geodata_copy, change, message):
    edit_feature(geodata_copy.folder, "TUV", change)
    problems = problems_of(geodata_copy.folder)
    assert len(problems) == 1
    assert problems[0].file.endswith("countries.geojson")
    assert problems[0].record.endswith("(TUV)") and problems[0].field == "geometry"
    assert message in problems[0].message


def test_loading_is_all_or_nothing(geodata_copy):
    geodata_copy.edit_record("fs05-jrcc-tahiti", theme="maritime")
    with pytest.raises(DataError) as caught:
        load_dataset(geodata_copy.folder)
    assert "1 problem in" in str(caught.value)
    assert "records.csv: record 'fs05-jrcc-tahiti' (line 39), field 'theme'" in str(caught.value)


def test_a_header_column_with_no_name_is_named_by_its_position(geodata_copy):
    # Found by the bench's fuzz run: a file holding only "," gave a problem with no field.
    path = geodata_copy.folder / "themes.csv"
    header, _, rest = path.read_text(encoding="utf-8").partition("\n")
    path.write_text(f"{header},\n{rest}", encoding="utf-8")
    problem = only_problem(geodata_copy.folder)
    columns = header.count(",") + 2
    assert problem.record == "header" and problem.field == f"column {columns}"
    assert problem.message.startswith("unknown column")
