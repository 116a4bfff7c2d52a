"""The view callback's pure parts: forged control values refused, and a filter change that
sends a few KB, never the country polygons."""

import gzip
import json
from dataclasses import replace

import plotly.io
import pytest
from plotly.utils import PlotlyJSONEncoder

from callbacks.guard import RefusedInput
from callbacks.view import map_patch, reframes, user_view, view_from_controls
from figures.fact_sheet import embed_geometry
from figures.region_fit import country_geo, region_geo, view_geo
from figures.world_map import (
    GeoSources,
    Room,
    build_map,
    countries_geojson,
    map_figure,
    trace_names,
)
from presence.layer_registry import LAYERS
from presence.views import ViewError, filter_records, parse_query


def test_controls_with_everything_ticked_mean_no_filter(dataset):
    view = view_from_controls(dataset, list(dataset.themes.index), "world", list(LAYERS))
    assert view.to_query() == ""


@pytest.mark.parametrize("themes,region,layers", [
    (["<script>"], "world", list(LAYERS)),
    (["maritime-security"], "atlantis", list(LAYERS)),
    (["maritime-security"], "world", ["bunker"]),
])
def test_forged_control_values_are_refused(dataset, themes, region, layers):
    with pytest.raises(ViewError):
        view_from_controls(dataset, themes, region, layers)


def test_unticking_every_theme_leaves_an_empty_view_not_everything(dataset):
    view = view_from_controls(dataset, [], "world", list(LAYERS))
    assert filter_records(dataset, view).empty
    assert view.to_query() == "theme=none"


def test_filter_patch_is_small_and_carries_no_geometry(dataset):
    view = view_from_controls(dataset, ["maritime-security"], "indian-ocean", list(LAYERS))
    patch = map_patch(dataset, view, None, refit=True)
    sent = json.dumps(patch.to_plotly_json(), cls=PlotlyJSONEncoder)
    whole = json.dumps(build_map(dataset, sources=GeoSources.embedded(dataset)).to_plotly_json(),
                       cls=PlotlyJSONEncoder)
    # Bytes on the wire: responses are compressed, and a footprint's name repeats in the
    # hover of every country it covers.
    assert len(gzip.compress(sent.encode())) < 4_000 and len(sent) < 20_000 < len(whole) / 50
    assert "coordinates" not in sent and "geojson" not in sent


ZOOMED = {"projection.scale": 2.3, "projection.rotation.lon": 65.8, "center.lon": 65.8,
          "center.lat": -10.6}


def test_a_new_frame_keeps_the_zoom_and_pan_the_user_made(dataset):
    view = parse_query("region=indian-ocean", dataset)
    size = {"width": 900, "height": 700, "view": ZOOMED}
    operations = map_patch(dataset, view, None, True, kept=user_view(size)).to_plotly_json()
    sent = {".".join(op["location"][2:]): op["params"]["value"]
            for op in operations["operations"]
            if op["location"][:2] == ["layout", "geo"] and op["operation"] == "Assign"}
    assert {key: sent[key] for key in ZOOMED} == ZOOMED
    # The frame is the region's, fitted to the room: only the view within it is the user's.
    fitted = map_patch(dataset, view, None, True).to_plotly_json()["operations"]
    assert [op for op in fitted if op["location"][2:] == ["lonaxis", "range"]][0][
        "params"]["value"] == sent["lonaxis.range"]
    assert user_view({"width": 900, "height": 700}) is None


# What the app serves: full polygons, and lighter ones for frames where a pixel spans 0.2° or
# 0.1° (app.GEOJSON_ROUTES).
SERVED = GeoSources("countries", "areas", screen=(
    (0.2, GeoSources("countries-0.2", "areas-0.2")), (0.1, GeoSources("countries-0.1", "areas"))))


def _sent_polygons(dataset, patch) -> tuple[dict, dict]:
    """The GeoJSON a patch sends each polygon slot, by slot name, and the layout's meta."""
    names = trace_names(dataset)
    operations = patch.to_plotly_json()["operations"]
    polygons = {names[op["location"][1]]: op["params"]["value"] for op in operations
                if op["location"][0] == "data" and op["location"][2:] == ["geojson"]}
    meta = [op["params"]["value"] for op in operations if op["location"] == ["layout", "meta"]]
    return polygons, meta[0] if meta else None


def test_a_world_map_draws_lighter_polygons_and_a_zoom_or_a_country_finer_ones(dataset):
    world = parse_query("", dataset)
    polygons, meta = _sent_polygons(dataset, map_patch(dataset, world, None, True,
                                                       sources=SERVED))
    assert polygons["countries"] == polygons["selection-areas"] == "countries-0.2"
    assert {polygons[f"footprint:{theme}"] for theme in dataset.themes.index} == {"areas-0.2"}
    assert polygons["coverage"] == "areas-0.2"
    # Past this zoom a pixel spans less than 0.2°: the browser asks for finer ones.
    assert 1 < meta["finer_past_zoom"] < 3
    zoomed = {"width": 1100, "height": 640,
              "view": ZOOMED | {"projection.scale": meta["finer_past_zoom"] * 1.1}}
    polygons, meta = _sent_polygons(dataset, map_patch(
        dataset, world, None, True, kept=user_view(zoomed), sized_only=True, sources=SERVED))
    assert polygons["countries"] == "countries-0.1" and polygons["coverage"] == "areas"
    # A country's frame: every detail, and no zoom past which finer ones would be needed.
    polygons, meta = _sent_polygons(dataset, map_patch(dataset, world, "country:MDG", True,
                                                       sources=SERVED))
    assert polygons["countries"] == "countries" and meta["finer_past_zoom"] is None
    # Every URL the map may draw, for the browser to fetch while idle.
    assert sorted(meta["polygons"]) == ["areas", "areas-0.2", "countries", "countries-0.1",
                                        "countries-0.2"]
    # A filter change keeps the frame, and the polygons drawn.
    polygons, meta = _sent_polygons(dataset, map_patch(dataset, world, None, False,
                                                       sources=SERVED))
    assert polygons == {} and meta is None
    # An export draws every detail: the full polygons, put in the figure it names them in.
    exported = embed_geometry(build_map(dataset).to_plotly_json(), GeoSources.embedded(dataset))
    drawn = exported["data"][0]["geojson"]["features"]
    full = {feature["properties"]["iso3"]: feature
            for feature in countries_geojson(dataset)["features"]}
    assert drawn and all(feature == full[feature["properties"]["iso3"]] for feature in drawn)


@pytest.mark.parametrize("view", [
    {"projection.scale": "big"},
    ZOOMED | {"projection.scale": 1e9},
    ZOOMED | {"center.lat": 200},
    ZOOMED | {"layout.images": "x"},
    "zoomed",
])
def test_a_forged_zoom_is_refused(view):
    with pytest.raises(RefusedInput):
        user_view({"width": 900, "height": 700, "view": view})


def test_region_fit_frames_the_pacific_across_the_antimeridian(dataset):
    geo = region_geo(dataset, "pacific-islands")
    west, east = geo["lonaxis.range"]
    assert 120 < west < 140 and 220 < east < 250  # one piece, not the whole globe
    assert region_geo(dataset, "west-africa")["lonaxis.range"][0] < 0


def test_a_frame_is_remembered_per_data_set_and_no_caller_can_change_it(dataset):
    first = view_geo(dataset, "indian-ocean", None)
    first["lonaxis.range"][0], first["center.lat"] = -999, 0  # a caller changing its copy
    assert view_geo(dataset, "indian-ocean", None) == region_geo(dataset, "indian-ocean")
    assert view_geo(dataset, "indian-ocean", "country:MDG") == country_geo(dataset, "MDG")
    # Another data set (an import makes a new one) gets its own frames.
    smaller = replace(dataset, region_members={**dataset.region_members,
                                               "indian-ocean": frozenset({"MDG"})})
    assert view_geo(smaller, "indian-ocean", None) == region_geo(smaller, "indian-ocean") \
        != region_geo(dataset, "indian-ocean")


def _sent_geo(patch) -> dict:
    return {".".join(op["location"][2:]): op["params"]["value"]
            for op in patch.to_plotly_json()["operations"]
            if op["location"][:2] == ["layout", "geo"] and op["operation"] == "Assign"}


@pytest.mark.parametrize("iso3", ["MDG", "VUT", "FJI", "AUS"])
def test_a_selected_country_is_framed_with_its_neighbourhood(dataset, iso3):
    sent = _sent_geo(map_patch(dataset, parse_query("", dataset), f"country:{iso3}", True))
    (west, east), (south, north) = sent["lonaxis.range"], sent["lataxis.range"]
    minx, miny, maxx, maxy = max(getattr(dataset.countries.geometry[iso3], "geoms", [
        dataset.countries.geometry[iso3]]), key=lambda part: part.area).bounds
    if minx < west:  # a country across the antimeridian is framed east of it
        minx, maxx = minx + 360, maxx + 360
    assert west < minx and maxx < east and south < miny and maxy < north
    assert east - west > 15.9 and north - south > 15.9  # its neighbours and seas too
    assert east - west < 120  # a country's frame, not the world's


def test_choosing_a_country_moves_the_map_and_a_record_keeps_the_frame():
    assert reframes(None, "country:MDG") and reframes("country:MDG", "country:MUS")
    assert reframes("country:MDG", None)  # cleared: back to the region's frame
    assert not reframes("country:MDG", "fs05-crfim-madagascar")  # a symbol clicked in the frame
    assert not reframes(None, "fs05-crfim-madagascar") and not reframes("country:MDG", "country:MDG")


def test_actor_years_and_categories_from_the_controls(dataset):
    first, last = 2003, 2023
    everything = view_from_controls(dataset, list(dataset.themes.index), "world", list(LAYERS),
                                    [], None, [first, last])
    assert everything.to_query() == ""  # the full year range is no year filter
    view = view_from_controls(dataset, list(dataset.themes.index), "world", list(LAYERS),
                              ["counter-drug-operation"], "DCSD", [2012, 2012])
    assert set(filter_records(dataset, view).index) == {"dcsd-alcao-mauritania"}


def test_legend_click_hides_and_shows_a_category(dataset):
    from callbacks.view import categories_after_legend_click
    from figures.world_map import trace_names

    view = view_from_controls(dataset, ["maritime-security"], "world", list(LAYERS))
    rescue = trace_names(dataset).index("category:rescue-coordination-centre")
    hidden = categories_after_legend_click(dataset, view, [{"visible": ["legendonly"]}, [rescue]])
    assert "rescue-coordination-centre" not in hidden and "liaison-officer" in hidden
    view = view_from_controls(dataset, ["maritime-security"], "world", list(LAYERS), hidden)
    shown_again = categories_after_legend_click(dataset, view, [{"visible": [True]}, [rescue]])
    assert shown_again == ()  # every category shown again: no category filter


def test_areas_geojson_has_every_country_and_each_zone_valid_and_clockwise(dataset):
    from shapely import union_all
    from shapely.geometry import shape

    from figures.world_map import areas_geojson
    from figures.world_map.areas import stand_in_pieces

    features = areas_geojson(dataset)["features"]
    zones = set(dataset.records.index[dataset.records["layer"].isin(("coverage-zone",
                                                                      "sea-area"))])
    countries = {f"country:{code}" for code in dataset.countries.index}
    pieces = stand_in_pieces(dataset).pieces
    # Footprints are filled country by country: the file does not grow with their number;
    # zones and sea areas are their own shapes; the stand-ins' pieces are dissolved.
    assert {f["properties"]["id"] for f in features} == \
        countries | zones | {f"stand-in:{number}" for number in range(len(pieces))}
    shapes = {f["properties"]["id"]: shape(f["geometry"]) for f in features}
    for feature in features:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid and not geometry.is_empty
        assert not any(part.exterior.is_ccw for part in getattr(geometry, "geoms", [geometry]))
    assert len(pieces) > 5
    for number, piece in enumerate(pieces):
        # Its countries' land as one shape: neighbours merged, no border left between them.
        dissolved = shapes[f"stand-in:{number}"]
        land = union_all([shapes[f"country:{iso3}"] for iso3 in piece])
        assert dissolved.symmetric_difference(land).area < 1e-3 * land.area
        assert len(getattr(dissolved, "geoms", [0])) == len(getattr(land, "geoms", [0]))


def test_a_country_under_several_footprints_is_drawn_once_and_lists_them(dataset):
    # Guinea under two named footprints of one theme: SCAD and (moved to its theme) the UPC.
    records = dataset.records.copy()
    records.loc["dcsd-upc-guinea", "theme"] = "defence-cooperation"
    dataset = replace(dataset, records=records)
    traces = dict(zip(trace_names(dataset), build_map(dataset).data))
    civil = traces["footprint:defence-cooperation"]
    assert len(civil.locations) == len(set(civil.locations))
    named = records[(records["layer"] == "project-footprint") & (records["extent"] == "named")
                    & (records["theme"] == "defence-cooperation")]
    covered = {}
    for record_id, countries_in in named["footprint"].items():
        for iso3 in countries_in:
            covered.setdefault(iso3, []).append(record_id)
    assert set(civil.locations) == {f"country:{iso3}" for iso3 in covered}
    shared = next(iso3 for iso3, found in covered.items() if len(found) > 1)
    alone = next(iso3 for iso3, found in covered.items() if len(found) == 1)
    at = {location: n for n, location in enumerate(civil.locations)}
    for record_id in covered[shared]:
        assert records.at[record_id, "name_en"] in civil.text[at[f"country:{shared}"]]
    # A click on a country's land opens its card, which lists the footprints: a footprint
    # never takes the click, whether one or several cover the country.
    assert civil.customdata[at[f"country:{shared}"]] == f"country:{shared}"
    assert civil.customdata[at[f"country:{alone}"]] == f"country:{alone}"


@pytest.mark.parametrize("click,expected", [
    ({"points": [{"customdata": "fs05-jrcc-tahiti"}]}, "fs05-jrcc-tahiti"),  # a symbol
    ({"points": [{"location": "dcsd-scad"}]}, "dcsd-scad"),  # a footprint area
    ({"points": [{"location": "MDG", "customdata": "country:MDG"}]}, "country:MDG"),
    ({"points": [{"location": "ZZZ"}]}, None),
    ({"points": []}, None),
])
def test_what_a_click_selects(dataset, click, expected):
    from callbacks.selection import selection_from_click

    assert selection_from_click(dataset, click) == expected


def test_approximate_extents_are_drawn_apart_and_dotted(dataset):
    from figures.world_map import trace_names
    from figures.world_map.areas import approximate_footprints, stand_in_pieces

    figure = build_map(dataset, parse_query("theme=civil-security&region=africa", dataset))
    traces = dict(zip(trace_names(dataset), figure.data))
    # ACASA and APCA stand in for "in Africa": faint fill, not the named footprints' slot.
    acasa = dataset.records.at["dcsd-acasa", "name_en"]
    stand_ins, named = traces["stand-ins:civil-security"], traces["footprint:civil-security"]
    # Drawn as a few dissolved pieces, together exactly the stand-ins' countries, each once,
    # in the theme's colour; the pointer goes through them to the countries.
    pieces = stand_in_pieces(dataset).pieces
    shown = dataset.records.loc[["dcsd-acasa", "dcsd-apca"], "footprint"]
    drawn = [iso3 for location in stand_ins.locations
             for iso3 in pieces[int(location.removeprefix("stand-in:"))]]
    assert sorted(drawn) == sorted(frozenset().union(*shown)) and "NGA" in drawn
    assert len(stand_ins.locations) < len(drawn) / 4
    assert stand_ins.colorscale[0][1] == named.colorscale[0][1]  # the theme's colour
    assert stand_ins.hoverinfo == "skip"
    assert not any(trace.locations for name, trace in traces.items()
                   if name.startswith("stand-ins:") and name != "stand-ins:civil-security")
    # Nigeria's own hover says which stand-ins cover it (ACASA stands in for all Africa).
    countries = traces["countries"]
    nigeria = countries.hovertext[list(countries.locations).index("NGA")]
    assert acasa in nigeria and "Civil security — approximate extent" in nigeria
    assert not any(acasa in text for text in countries.text)
    guinea = list(named.locations).index("country:GIN")  # Guinea is named: UPC
    assert named.customdata[guinea] == "country:GIN"  # a click opens Guinea's card
    # Its footprint takes the pointer there, so its hover says the stand-ins too.
    assert acasa in named.text[guinea].split("approximate extent")[1]
    assert stand_ins.marker.opacity < named.marker.opacity
    outlines = [traces[f"outline:{n}"] for n in range(len(approximate_footprints(dataset)))]
    shown = [trace for trace in outlines if trace.visible is True]
    assert len(shown) == 1 and shown[0].line.dash == "dot" and len(shown[0].lon) > 20
    assert [trace.showlegend for trace in shown] == [True]  # one legend entry explains them
    assert "(approximate)" in shown[0].name
    world = dict(zip(trace_names(dataset), build_map(dataset).data))
    stand_ins_of_themes = [list(world[f"stand-ins:{theme}"].locations)
                           for theme in dataset.themes.index]
    assert sum(map(bool, stand_ins_of_themes)) > 2
    assert all(len(set(locations)) == len(locations) for locations in stand_ins_of_themes)
    nothing_approximate = build_map(dataset, parse_query("theme=civil-security&region=east-asia",
                                                         dataset))
    assert not any(trace.visible is True for name, trace in
                   zip(trace_names(dataset), nothing_approximate.data) if name.startswith("outline:"))


def test_a_selected_approximate_area_outlines_only_where_it_is_known_to_be(dataset):
    from figures.world_map.view_data import selected_places

    assert selected_places(dataset, "fs05-crimaro-ii") == (["COK", "YEM"], [])
    assert selected_places(dataset, "dcsd-acasa") == ([], [])  # its dotted outline says it all
    assert selected_places(dataset, "fs05-ssi-singapore-coverage")[0] == [
        "BRN", "IDN", "MYS", "PHL", "SGP", "TLS"]


def test_records_of_one_category_at_one_place_are_one_stack_with_their_number(dataset):
    from figures.world_map.view_data import stacks

    points = dataset.records[dataset.records["category"] == "liaison-officer"].copy()
    assert len(points) >= 3
    first, second = points.index[:2]
    points.loc[second, ["lon", "lat"]] = points.loc[first, ["lon", "lat"]].to_numpy()
    drawn = stacks(points, "en")
    assert len(drawn["lon"]) == len(points) - 1  # two records, one symbol
    stack = drawn["customdata"].index(first)  # a click selects the first of the stack
    assert "text" not in drawn  # the place's name on the map says how many (below)
    assert "2 records here" in drawn["hovertext"][stack]
    for record_id in (first, second):
        assert dataset.records.at[record_id, "name_en"] in drawn["hovertext"][stack]
    assert second not in drawn["customdata"]
    assert "2 éléments ici" in stacks(points, "fr")["hovertext"][stack]


def test_a_place_s_name_on_the_map_says_how_many_records_it_holds(dataset):
    from figures.world_map import Room, trace_names, view_data
    from presence.views import View

    drawn = view_data(dataset, View(region="southeast-asia") if "southeast-asia" in
                      dataset.filter_regions else View(), None, "en", Room(1400, 800))
    names = drawn[trace_names(dataset).index("labels")]["text"]
    # The SSI, the Information Fusion Centre and the civil protection cooperant.
    assert "Singapore (3)" in names
    # A single record goes by its acronym, as the source writes it, and its known site.
    assert "ENIAP, Antsirabe" in view_data(dataset, View(region="east-africa"), None, "en",
                                           Room(1400, 800))[
        trace_names(dataset).index("labels")]["text"]
    french = view_data(dataset, View(), None, "fr", Room(1400, 800))
    # On the map, or in its key of numbers where the dotted outlines leave it no room.
    named = " ".join([*french[trace_names(dataset).index("labels")]["text"],
                      french[trace_names(dataset).index("numbered")]["name"]])
    assert "CEDEAO" in named and "ECOWAS" not in named


def test_a_record_s_details_list_the_others_in_view_at_its_place(dataset):
    from panels.details import details

    panel = json.dumps(details(dataset, "fs05-ifc-singapore", dataset.records, "en"),
                       cls=PlotlyJSONEncoder)
    # The SSI, the hub of its coverage zone and the civil protection cooperant.
    others = ("fs05-ssi-singapore", "fs05-ssi-singapore-coverage",
              "fs05-civil-protection-cooperant-singapore")
    assert "Also here (3, in view)" in panel
    for other in others:
        assert json.dumps({"type": "select-record", "index": other})[1:-1] in panel
    alone = dataset.records.drop(list(others))
    assert "Also here" not in json.dumps(details(dataset, "fs05-ifc-singapore", alone, "en"),
                                         cls=PlotlyJSONEncoder)


def test_the_colour_bar_takes_the_lower_corner_with_fewer_symbols(dataset):
    from figures.name_placement import Frame
    from figures.world_map import Room
    from figures.world_map.view_data import emptier_corner
    geo = region_geo(dataset, "indian-ocean")
    frame = Frame(1000, 600, geo)
    (west, east), (south, _) = geo["lonaxis.range"], geo["lataxis.range"]
    grid = [(lon, lat) for lon in range(int(west), int(east)) for lat in range(int(south), 0)]
    xs, ys = frame.project([lon for lon, _ in grid], [lat for _, lat in grid])
    # Points drawn 30 px from the frame's lower left and lower right corners.
    def near(x, y):
        return min(grid, key=lambda p: (xs[grid.index(p)] - x) ** 2 + (ys[grid.index(p)] - y) ** 2)
    south_west, south_east = near(30, 570), near(970, 570)
    no_dots = dataset.countries.iloc[:0]
    at_south_west = [{"visible": True, "lon": [south_west[0]] * 2, "lat": [south_west[1]] * 2}]
    assert emptier_corner(frame, at_south_west, no_dots, Room()) == "right"
    at_south_east = [{"visible": True, "lon": [south_east[0]], "lat": [south_east[1]]}]
    assert emptier_corner(frame, at_south_east, no_dots, Room()) == "left"
    hidden = [{"visible": "legendonly", "lon": [south_west[0]], "lat": [south_west[1]]}]
    assert emptier_corner(frame, hidden, no_dots, Room()) == "left"


def test_a_resize_answer_carries_no_records_that_a_click_could_have_changed(dataset):
    # A resize's answer may arrive after a click's: it must not put back the old selection,
    # counts or symbols (a table click's outline was lost so in CI).
    view = parse_query("region=indian-ocean", dataset)
    sized = map_patch(dataset, view, "fs05-ssi-singapore-coverage", True, sized_only=True)
    names = trace_names(dataset)
    touched = {names[op["location"][1]] for op in sized.to_plotly_json()["operations"]
               if op["location"][0] == "data"}
    assert touched <= {"countries", "country-labels", "leaders", "labels", "numbered"}
    assert "labels" in touched
    slot_zero = [op for op in sized.to_plotly_json()["operations"]
                 if op["location"][:2] == ["data", 0]]
    assert slot_zero and all(op["location"][2] == "colorbar" for op in slot_zero)


@pytest.mark.parametrize("query", ["theme=domestic-security&region=south-east-asia", "",
                                   "theme=maritime-security&region=pacific"])
def test_the_key_comes_after_every_theme_in_the_legend(dataset, query):
    """Plotly orders legend groups by their entries' rank, then by trace order: a theme with
    no footprint in view (its first trace after the key's outlines) still comes first."""
    figure = build_map(dataset, parse_query(query, dataset))
    shown = [(trace.legendrank if trace.legendrank is not None else 1000, index,
              trace.legendgroup) for index, trace in enumerate(figure.data)
             if trace.showlegend is not False and trace.legendgroup]
    groups = list(dict.fromkeys(group for _, _, group in sorted(shown)))
    themes = [group for group in groups if group in dataset.themes.index]
    assert themes and groups[:len(themes)] == themes
    assert set(groups[len(themes):]) <= {"key", "numbered"}
    assert "key" not in groups or groups.index("key") == len(themes)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_acronym_on_the_map_says_its_city_where_it_is_known(dataset, lang):
    """"COSS, Nouméa", not a bare "COSS"; a record placed at a capital for want of a city
    keeps its bare acronym (the capital is not the source's word)."""
    from figures.world_map import Room, trace_names, view_data
    from presence.views import View

    names = view_data(dataset, View(region="pacific"), None, lang, Room(1400, 800))[
        trace_names(dataset).index("labels")]["text"]
    assert "COSS, Nouméa" in names and "COSS" not in names
    records = dataset.records
    at_capital = records[(records["place_basis"] == "capital") & records["short_en"].notna()]
    shown = view_data(dataset, View(), None, lang, Room(1400, 800))[
        trace_names(dataset).index("labels")]["text"]
    bare = [short for short in at_capital["short_en"] if short in shown]
    assert bare and not any(name.startswith(f"{short}, ") for short in bare for name in shown)


def _segments(trace: dict, frame) -> list[tuple]:
    """A lines trace's segments (lon/lat pairs with None between them), in px."""
    from figures import name_placement

    return name_placement.line_segments(frame, trace.get("lon") or [], trace.get("lat") or [], 1)


@pytest.mark.parametrize("paper", [False, True])
@pytest.mark.parametrize("query,size", [
    ("", (1400, 800)), ("", (900, 600)), ("region=south-east-asia", (1400, 800)),
    ("region=indian-ocean", (1400, 800)), ("region=pacific", (1400, 800)),
    ("region=africa&lang=fr", (1400, 800)), ("region=east-africa", (900, 700)),
    ("region=south-east-asia", (900, 700)), ("region=south-east-asia&lang=fr", (1100, 800)),
    ("region=indo-pacific", (900, 700))])
def test_no_leader_line_or_spoke_crosses_a_name(dataset, query, size, paper):
    """Nor, on paper (pages, one-pagers, slides: no halo breaks a line under a name), the
    dotted outline of an approximate extent."""
    from figures import name_placement
    from figures.world_map import SIZES, Room, in_legend, trace_names, view_data
    from figures.world_map.areas import approximate_footprints, outline, outlined
    from presence.views import filter_records

    view = parse_query(query, dataset)
    lang = "fr" if "lang=fr" in query else "en"
    drawn = view_data(dataset, view, None, lang, Room(*size), clear_of_outlines=paper)
    names = trace_names(dataset)
    room = in_legend(Room(*size), dataset, filter_records(dataset, view), lang)
    frame = room.frame(view_geo(dataset, view.region, None))
    leaders = _segments(drawn[names.index("leaders")], frame)
    spokes = name_placement.line_segments(frame, drawn[names.index("spokes")]["lon"],
                                  drawn[names.index("spokes")]["lat"])
    boxes = []
    for slot, size in (("labels", SIZES["label"]), ("country-labels", SIZES["country-label"])):
        trace = drawn[names.index(slot)]
        xs, ys = frame.project(trace["lon"], trace["lat"])
        radii = [m / 2 for m in trace.get("marker.size", [0] * len(xs))]
        for x, y, text, position, radius in zip(xs, ys, trace["text"], trace["textposition"],
                                                radii):
            boxes.append(((x, y), name_placement.text_box(x, y, text, position, radius, size), text))
    assert len(boxes) > 3
    if query in ("", "region=indian-ocean"):
        assert spokes  # the coverage zones' spokes are drawn in these views
    if size == (900, 600) and not query:
        assert len(leaders) >= 5  # a crowded world map: names moved out on leader lines
    outlines = []
    if paper:
        shown = set(outlined(filter_records(dataset, view)))
        for countries_in in approximate_footprints(dataset):
            if countries_in in shown:
                outlines += name_placement.polyline_segments(
                    frame, *outline(dataset, countries_in))
        assert outlines or query == "region=pacific"
        for covered in filter_records(dataset, view).query("layer == 'coverage-zone'")["footprint"]:
            outlines += name_placement.polyline_segments(
                frame, *outline(dataset, frozenset(covered)))
    for segment in spokes + leaders + outlines:
        for (x, y), box, text in boxes:
            if (round(segment[2], 3), round(segment[3], 3)) == (round(x, 3), round(y, 3)):
                continue  # the name's own leader line ends where its name starts
            assert not name_placement.crosses(segment, box), f"a line crosses {text!r}"


def test_a_click_filters_the_records_once(dataset, monkeypatch):
    """The controls' view travels as a View to the count, table, details, map and legend:
    the records are filtered once per change, not once per part."""
    import importlib

    import ids
    import presence.views
    from app import create_app
    from bench.payloads import payload, view_callback
    # The module, not the function the package exports under its name.
    view_data_module = importlib.import_module("figures.world_map.view_data")

    app = create_app()
    client = app.server.test_client()
    callback = view_callback(client.get("/_dash-dependencies").get_json())
    filtered = []
    real = presence.views.filter_mask

    def counted(data, view):
        filtered.append(view)
        return real(data, view)

    monkeypatch.setattr(presence.views, "filter_mask", counted)
    monkeypatch.setattr(view_data_module, "filter_mask", counted)
    values = {f"{ids.URL}.search": "", f"{ids.THEMES}.value": ["maritime-security"],
              f"{ids.REGION}.value": "indian-ocean", f"{ids.LAYERS}.value": list(LAYERS),
              f"{ids.MAP_SIZE}.data": {"width": 1200, "height": 700},
              f"{ids.DATA_VERSION}.data": dataset.version}
    answer = client.post("/_dash-update-component",
                         json=payload(callback, values, f"{ids.REGION}.value"))
    assert answer.status_code == 200
    assert "maritime" in answer.get_data(as_text=True)
    assert len(filtered) == 1, filtered


@pytest.mark.parametrize("query,size", [
    ("", (1400, 800)), ("", (900, 600)), ("region=south-east-asia", (1400, 800)),
    ("region=indian-ocean", (900, 700)), ("region=africa&lang=fr", (1400, 800))])
def test_a_name_is_never_farther_from_its_place_than_a_short_leader(dataset, monkeypatch,
                                                                    query, size):
    """A name moved off its place stays a few type sizes from its symbols (a name far off
    reads as another place's: "Phnom Penh" over Borneo); past that it is a number, which
    may go a little farther, and past a number's reach the place is listed in the key."""
    from figures import name_placement
    from figures.world_map import SIZES, Room, view_data
    from figures.world_map import names as names_module

    placed, place = [], name_placement.place

    def spying(frame, places, type_size, **options):
        placement = place(frame, places, type_size, **options)
        placed.append((places, placement, type_size))
        return placement

    monkeypatch.setattr(names_module.name_placement, "place", spying)
    view = parse_query(query, dataset)
    view_data(dataset, view, None, "fr" if "lang=fr" in query else "en", Room(*size))
    (places, placement, type_size), = placed
    assert type_size == SIZES["label"]
    moved = 0
    for place, text, (dx, dy) in zip(places, placement.text, placement.moved):
        if not text or (dx, dy) == (0, 0):
            continue
        moved += 1
        leader = (dx ** 2 + dy ** 2) ** 0.5 - place.radius
        longest = name_placement.NUMBER_LEADER_LENGTHS[-1] if text.isdigit() \
            else name_placement.LEADER_LENGTHS[-1]
        # (The diagonal directions are 0.4 % longer than a unit step.)
        assert leader <= longest * type_size * 1.01, (place.name, text, leader)
    if size == (900, 600):
        assert moved >= 3 and placement.key  # crowded: some moved, some numbered


def test_a_ring_covering_much_of_a_small_country_is_set_on_the_sea(dataset):
    """Antananarivo's symbols in the Indian Ocean view of a laptop: off Madagascar's land,
    on the sea, with a line back to the city; Nairobi's ring on Kenya in East Africa's
    view, a small share of the land there, stays."""
    import shapely

    from figures.world_map import Room, trace_names, view_data

    names = trace_names(dataset)
    symbol_slots = [i for i, name in enumerate(names) if name.startswith("category:")]
    madagascar = dataset.countries.geometry["MDG"]
    antananarivo = (47.508, -18.879)

    def symbols_of(drawn, place):
        """Where the symbols of the records at `place` are drawn."""
        there = dataset.records[(dataset.records["lon"] == place[0])
                                & (dataset.records["lat"] == place[1])].index
        return [(lon, lat) for i in symbol_slots for lon, lat, record in
                zip(drawn[i].get("lon", []), drawn[i].get("lat", []),
                    drawn[i].get("customdata", [])) if record in there]

    drawn = view_data(dataset, parse_query("region=indian-ocean", dataset), None, "en",
                      Room(700, 640))
    ring = symbols_of(drawn, antananarivo)
    assert len(ring) >= 2
    assert not any(madagascar.contains(shapely.Point(point)) for point in ring)
    leaders = drawn[names.index("leaders")]
    assert antananarivo[0] in leaders["lon"] and antananarivo[1] in leaders["lat"]

    nairobi = (36.822, -1.292)
    drawn = view_data(dataset, parse_query("region=east-africa", dataset), None, "en",
                      Room(1100, 800))
    kenya = dataset.countries.geometry["KEN"]
    ring = symbols_of(drawn, nairobi)
    assert len(ring) >= 2 and all(kenya.contains(shapely.Point(point)) for point in ring)


def test_the_numbers_key_stays_a_legend_entry_when_hundreds_of_names_share_a_place(
        geodata_copy):
    """A layer of 300 sessions in Antananarivo, the card of Madagascar open: the key's
    "Unlabelled" line lists a dozen names and counts the rest, in lines of the legend's
    width (one line of all 300 names was 12,500 px wide, and Plotly left the map 64 px)."""
    import random

    from bench.imports import points_csv
    from figures.world_map import view_data
    from figures.world_map.room import LEGEND_CHARACTERS, Room
    from figures.world_map.view_data import MOST_UNNAMED
    from presence.imported.folder import FOLDER, save_layer
    from presence.imported.reading import read_table
    from presence.imported.rows import default_settings
    from presence.loader import load_dataset
    from presence.views import View

    data = points_csv(300, random.Random(7), [(47.5, -18.9)])
    save_layer(geodata_copy.folder / FOLDER, data,
               default_settings(read_table(data, "sessions.csv"), "sessions.csv"))
    dataset = load_dataset(geodata_copy.folder)
    changes = view_data(dataset, View(), "country:MDG", "en", Room(840, 700))
    key = changes[trace_names(dataset).index("numbered")]["name"]
    unlabelled = key[key.index("Unlabelled (too crowded)"):].replace("<br>", " ")
    more = int(unlabelled.rsplit(" and ", 1)[1].split(" more")[0])
    assert unlabelled.count("Session ") == MOST_UNNAMED and more > 150
    assert max(len(line) for line in key.split("<br>")) <= LEGEND_CHARACTERS + 10


@pytest.mark.parametrize("query,selected,lang,presenting", [
    ("", None, "en", False),
    ("region=indian-ocean&theme=maritime-security", None, "fr", False),
    ("region=africa", "country:NGA", "en", False),
    ("region=pacific", None, "en", True),
])
def test_the_page_s_whole_map_is_the_figure_plotly_itself_would_build(dataset, query,
                                                                      selected, lang,
                                                                      presenting):
    """The page's figure is set in plain dicts, not through plotly's graph objects (which
    check every value): checked by them, it must come out unchanged. And the blank map its
    figures share is never written to: a figure built between two of the same view leaves
    the second identical to the first."""
    sources = GeoSources("/countries", "/areas?v=1",
                         screen=((0.2, GeoSources("/countries-0.2", "/areas-0.2")),))
    room = Room(1300, 800)

    def page_figure(view_query, chosen, in_presentation):
        figure = map_figure(dataset, parse_query(view_query, dataset), chosen, lang, sources,
                            room, in_presentation)
        return json.loads(plotly.io.to_json(figure, validate=False))

    first = page_figure(query, selected, presenting)
    checked = build_map(dataset, parse_query(query, dataset), selected, lang, sources, room,
                        presenting)
    assert first == json.loads(checked.to_json())
    # Between them, a figure that sets what this one does not (the presentation's sizes, or
    # the screen's): it leaves nothing behind.
    other = page_figure("theme=none", "country:FJI", not presenting)
    assert other["data"][0]["z"] != first["data"][0]["z"]
    assert page_figure(query, selected, presenting) == first
