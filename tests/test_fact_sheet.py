"""The exported page without drawing it: its size arithmetic, its words, and that the zoom on
screen carries over."""

import math

import pytest

from export.page import PAGES, PageError, check_resolution, layout_size, parse_page
from figures import captions, name_placement
from figures.fact_sheet import BY_NAME, SheetOptions, embed_geometry, fact_sheet
from figures.world_map import GeoSources, trace_names
from presence.views import filter_records, parse_query


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("dpi", [150, 300, 600])
def test_raster_layout_gives_exactly_size_times_dpi(name, dpi):
    width, height, scale = layout_size(PAGES[name], "png", dpi)
    # Chromium keeps the whole part of layout size × scale.
    assert (int(width * scale), int(height * scale)) == PAGES[name].pixels(dpi)


def test_custom_sizes_and_limits():
    assert parse_page("18x12cm").width_mm == 180 and parse_page("7x5in").height_mm == 127
    for bad in ("a3", "0x100", "100x5000mm", "wide"):
        with pytest.raises(PageError):
            parse_page(bad)
    with pytest.raises(PageError, match="outside 72–1200"):
        check_resolution(PAGES["a4-portrait"], 2400)


def test_title_and_caption_state_the_view(dataset):
    view = parse_query("theme=maritime-security,civil-security&region=pacific&year=2020-2023"
                       "&actor=navy", dataset)
    assert captions.default_title(dataset, view) == \
        "Maritime security and Civil security — Pacific"  # in the order the query gives
    records = dataset.records.iloc[:3]
    text = captions.caption(dataset, view, records, "country:FJI")
    # Plain sentences: what is shown and where, then each filter that leaves records out.
    assert text.startswith(f"3 of {len(dataset.records)} records are shown, in the region Pacific. Themes shown: "
                           "Maritime security and Civil security. In force between 2020 and "
                           "2023. The French actor’s name contains “navy”.")
    assert text.endswith("Selected: Fiji.")
    assert "Categories" not in text and "Layers" not in text  # no filter there
    french = captions.caption(dataset, view, records, None, "fr")
    assert "«\u00a0navy\u00a0»" in french and "Thèmes représentés\u00a0: " in french
    everything = parse_query("", dataset)
    # A record known only as of an older date (the 2013 overview, or the fact sheet's
    # secondment of 2022) says so on paper too.
    older = dataset.records["older_as_of"].dropna()
    assert set(older.str[:4]) == {"2013", "2022"}
    assert captions.caption(dataset, everything, dataset.records) == (
        f"All {len(dataset.records)} records are shown, worldwide. {len(older)} of them are "
        f"attested only as of 2013 and 2022.")
    recent = parse_query("attested=2023", dataset)
    assert captions.caption(dataset, recent, filter_records(dataset, recent)) == (
        f"{(dataset.records['attested_year'] >= 2023).sum()} of {len(dataset.records)} records "
        f"are shown, worldwide. Only records attested in 2023 or later.")
    assert captions.default_title(dataset, parse_query("", dataset), "fr") == \
        "Coopération de sécurité et de défense — Monde"


def test_zoom_on_screen_carries_over_and_geometry_is_only_what_is_drawn(dataset):
    view = parse_query("theme=maritime-security&region=indian-ocean", dataset)
    screen = {"projection.scale": 2.5, "center.lon": 55.5, "center.lat": -20.0}
    figure = fact_sheet(dataset, view, (1123, 794), screen=screen,
                        options=SheetOptions(show_legend=True))
    assert figure.layout.geo.projection.scale == 2.5
    assert (figure.layout.geo.center.lon, figure.layout.geo.center.lat) == (55.5, -20.0)
    drawn = embed_geometry(figure.to_plotly_json(), GeoSources.embedded(dataset))
    areas = [t for t in drawn["data"] if t.get("geojson") and t["name"].startswith("footprint")]
    for trace in areas:  # each area trace carries its own features and no other
        ids = [f["properties"]["id"] for f in trace["geojson"]["features"]]
        assert sorted(ids) == sorted(trace["locations"])
    assert all(not isinstance(t.get("geojson"), str) for t in drawn["data"])
    assert BY_NAME.countries == "countries"


def test_regional_page_carries_only_the_countries_its_frame_can_show(dataset):
    pacific = fact_sheet(dataset, parse_query("region=pacific", dataset), (1123, 794))
    shown = set(pacific.data[0].locations)
    assert {"AUS", "FJI", "NZL", "PNG", "KIR"} <= shown  # Kiribati spans the antimeridian
    # The frame is widened to fill the landscape page, not to the far side of the globe.
    assert not shown & {"BRA", "ZAF", "NOR"}  # France reaches in by Clipperton
    assert len(pacific.data[0].z) == len(shown)
    world = fact_sheet(dataset, parse_query("", dataset), (1123, 794))
    assert len(world.data[0].locations) == len(dataset.countries)
    # A view zoomed on screen may be panned past the frame: every country stays.
    zoomed = fact_sheet(dataset, parse_query("region=pacific", dataset), (1123, 794),
                        screen={"projection.scale": 2.0})
    assert len(zoomed.data[0].locations) == len(dataset.countries)


def legends_of(figure) -> dict:
    layout = figure.to_plotly_json()["layout"]
    return {key: value for key, value in layout.items()
            if key.startswith("legend") and value.get("orientation")}


def test_the_legend_goes_where_it_leaves_the_map_more_room(dataset):
    view = parse_query("theme=maritime-security&region=indian-ocean", dataset)
    # A slide is wide: the legend beside the map, right of it, from the top.
    slide = fact_sheet(dataset, view, PAGES["slide-16x9"].css_size())
    beside = legends_of(slide)
    assert all(legend["orientation"] == "v" for legend in beside.values())
    assert min(legend["x"] for legend in beside.values()) >= slide.layout.geo.domain.x[1]
    # A portrait page is tall: the legend under the map, in rows.
    portrait = fact_sheet(dataset, view, PAGES["a4-portrait"].css_size())
    under = legends_of(portrait)
    assert list(under) == ["legend"] and under["legend"]["orientation"] == "h"
    assert under["legend"]["y"] < portrait.layout.geo.domain.y[0]


def test_every_legend_entry_belongs_to_a_legend_the_page_lays_out(dataset):
    view = parse_query("region=indian-ocean", dataset)
    figure = fact_sheet(dataset, view, PAGES["a4-landscape"].css_size())
    laid_out = set(legends_of(figure))
    assert {trace.legend or "legend" for trace in figure.data if trace.showlegend} <= laid_out


def test_every_name_on_a_world_page_is_drawn_inside_the_globe(dataset):
    # Plotly clips what lies outside the globe's outline: a name moved out along a curved
    # meridian was drawn half outside it ("onga" for Tonga).
    width, height = PAGES["a4-landscape"].css_size()
    figure = fact_sheet(dataset, parse_query("", dataset), (width, height))
    geo = figure.layout.geo
    frame = name_placement.Frame((geo.domain.x[1] - geo.domain.x[0]) * width,
                         (geo.domain.y[1] - geo.domain.y[0]) * height,
                         {"lonaxis.range": list(geo.lonaxis.range),
                          "lataxis.range": list(geo.lataxis.range)})
    assert not frame.holds(0, 0, 10, 10)  # the globe's corner is not the map
    names = figure.data[trace_names(dataset).index("labels")]
    xs, ys = frame.project(names.lon, names.lat)
    for x, y, text, position, size in zip(xs, ys, names.text, names.textposition,
                                          names.marker.size):
        box = name_placement.text_box(x, y, text, position, size / 2, names.textfont.size)
        assert frame.holds(*box), text


def test_a_regional_page_has_a_true_scale_bar_and_a_locator_the_world_has_neither(dataset):
    from figures.map_furniture import nice_length, scale_bar
    assert [nice_length(km) for km in (7, 180, 999, 1000, 4200)] == [5, 100, 500, 1000, 2000]
    size = PAGES["a4-landscape"].css_size()
    africa = fact_sheet(dataset, parse_query("region=africa", dataset), size, lang="fr")
    texts = [a.text for a in africa.layout.annotations]
    label = next(text for text in texts if "km" in text)
    assert label.startswith(("500\u00a0km", "1\u202f000\u00a0km", "2\u202f000\u00a0km"))
    assert "à" in label or "équateur" in label
    # The bar's length: 1° of longitude at the middle parallel, measured on the frame.
    geo = africa.layout.geo
    width, height = size
    frame = name_placement.Frame((geo.domain.x[1] - geo.domain.x[0]) * width,
                         (geo.domain.y[1] - geo.domain.y[0]) * height,
                         {"lonaxis.range": list(geo.lonaxis.range),
                          "lataxis.range": list(geo.lataxis.range),
                          "projection.rotation.lon": geo.projection.rotation.lon})
    km, px, lat = scale_bar(frame, 150)
    middle = sum(geo.lonaxis.range) / 2
    x, _ = frame.project([middle, middle + 10], [lat, lat])
    km_per_px = 10 * 111.32 * math.cos(math.radians(lat)) / (x[1] - x[0])
    assert px * km_per_px == pytest.approx(km, rel=0.01)
    bar = [shape for shape in africa.layout.shapes if shape.type == "line"
           and shape.y0 == shape.y1]
    assert (bar[0].x1 - bar[0].x0) * width == pytest.approx(px, rel=0.01)
    assert africa.layout.geo2.domain.x[0] >= geo.domain.x[0]  # the inset is on the map
    assert any(trace.geo == "geo2" for trace in africa.data)
    world = fact_sheet(dataset, parse_query("", dataset), size)
    assert not any("km" in a.text for a in world.layout.annotations)
    assert not any(trace.geo == "geo2" for trace in world.data)
    bare = fact_sheet(dataset, parse_query("region=africa", dataset), size,
                      options=SheetOptions(show_scale_bar=False, show_locator=False))
    assert not any("km" in a.text for a in bare.layout.annotations)
    assert not any(trace.geo == "geo2" for trace in bare.data)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_world_page_on_a4_landscape_is_at_least_half_map(dataset, lang):
    """Every record on the world map, with its full legend of some thirty entries: the map
    still takes half the page, and the legend stays legible (5.7 pt on A4 at least)."""
    from figures.fact_sheet import _Type

    width, height = PAGES["a4-landscape"].css_size()
    figure = fact_sheet(dataset, parse_query("", dataset), (width, height), None, lang)
    (left, right), (low, high) = figure.layout.geo.domain.x, figure.layout.geo.domain.y
    # Half the page, less what the footer's key of numbers takes beyond its first line (a
    # name far from its place goes to that key: two lines in French, where it was one).
    assert (right - left) * (high - low) >= 0.48
    assert figure.layout.legend.font.size >= 0.7 * _Type.for_page(width, height).body
    assert figure.layout.legend.font.size * 0.75 >= 5.5  # points
