"""The map's traces as built once: geometry, styles, legend entries. A change of view only
sends each the data view_data.py computes for it.

TRACES holds one builder per kind of slot (figures.world_map.slots); a builder is given the
slot's key (its theme, outline number or category) and the words and sources of the map.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import plotly.graph_objects as go

from figures.world_map.areas import GeoSources, approximate_footprints, outline
from figures.world_map.room import wrapped
from figures.world_map.slots import slots
from figures.world_map.style import (
    APPROXIMATE_LINE,
    APPROXIMATE_OPACITY,
    CHOROPLETH_SCALE,
    CLUSTER_FILL,
    CLUSTER_OUTLINE,
    COLOURBAR,
    COUNTRY_LABEL_COLOUR,
    COVERAGE,
    FOOTPRINT_OPACITY,
    HALO,
    LABEL_COLOUR,
    SELECTION,
    SIZES,
    SYMBOL_OUTLINE,
)
from i18n import LANGUAGES, tr
from presence.dataset import Dataset
from presence.memo import per_dataset

# The legend lists the themes first, then the key to outlines, lines and dots, then the
# numbers: Plotly orders groups by the rank of their entries (1000 by default).
KEY_RANK = {"key": 2000, "numbered": 2001}


def as_text(values) -> list[str]:
    """Data text for Plotly, which reads tags in text (<b>, <a href>…): escaped, so a name is
    shown as written, whatever it holds."""
    return [escape(str(value), quote=False) for value in values]


@per_dataset
def theme_labels(dataset: Dataset) -> dict[str, dict[str, str]]:
    """By language, each theme's name by id, escaped, in the themes' order."""
    return {lang: dict(zip(dataset.themes.index, as_text(dataset.themes[f"label_{lang}"])))
            for lang in LANGUAGES}


@dataclass
class _Map:
    """What the builders share: the data set, where the polygons are, the language."""

    dataset: Dataset
    sources: GeoSources
    lang: str

    def words(self, key: str) -> str:
        return tr(key, self.lang)

    @property
    def themes(self) -> dict[str, str]:
        """Each theme's name, escaped."""
        return theme_labels(self.dataset)[self.lang]

    def key_entry(self, name: str, group: str = "key", title: str | None = None) -> dict:
        title = self.words("map key") if title is None else title
        return {"name": wrapped(name), "legendgroup": group,
                "legendgrouptitle": {"text": title}, "legendrank": KEY_RANK[group]}


def fixed_traces(dataset: Dataset, sources: GeoSources, lang: str) -> list:
    """Every trace of the map, in slot order, without the view's data."""
    drawn = _Map(dataset, sources, lang)
    return [TRACES[slot.kind.name](drawn, slot.key) for slot in slots(dataset)]


def _area_trace(geojson, key: str, name: str, hover: str | None, fill: str, line: str,
                line_width: float, opacity: float = 1.0) -> go.Choropleth:
    # One fill colour whatever z is: z is only there because a choropleth needs it.
    return go.Choropleth(
        geojson=geojson, featureidkey=f"properties.{key}", name=name,
        colorscale=[[0, fill], [1, fill]], showscale=False, zmin=0, zmax=1,
        marker={"line": {"color": line, "width": line_width}, "opacity": opacity},
        hovertemplate=hover, showlegend=False,
    )


def _label_trace(name: str, colour: str, size: float) -> go.Scattergeo:
    # Invisible markers as large as the symbols named: Plotly offsets a name from its point
    # by the marker's size, as the placement (figures.name_placement) counts.
    return go.Scattergeo(mode="markers+text", name=name, hoverinfo="skip", showlegend=False,
                         marker={"opacity": 0, "color": colour},
                         textfont={"size": size, "color": colour, "shadow": HALO})


def _countries(drawn: _Map, _) -> go.Choropleth:
    countries = drawn.dataset.countries
    return go.Choropleth(
        geojson=drawn.sources.countries,
        featureidkey="properties.iso3",
        locations=countries["iso3"].tolist(),
        text=as_text(countries[f"name_{drawn.lang}"]),
        customdata=[f"country:{code}" for code in countries.index],
        zmin=0,
        colorscale=CHOROPLETH_SCALE,
        marker_line_color="#ffffff",
        marker_line_width=0.4,
        # Inside the map's lower left corner, off the legend's way.
        colorbar={"title": {"text": drawn.words("map per country"), "side": "top",
                            "font": {"size": SIZES["legend"]}},
                  "orientation": "h", "thickness": 10, "len": COLOURBAR[0],
                  "lenmode": "pixels", "x": 0.005, "xanchor": "left", "y": 0.01,
                  "yanchor": "bottom",
                  "bgcolor": "rgba(255,255,255,0.8)", "tickfont": {"size": SIZES["legend"]},
                  "outlinewidth": 0},
        # hovertext: the stand-ins covering the country in view (view_data.stand_in_lines).
        hovertemplate="%{text}: %{z}%{hovertext}<extra></extra>",
        name="countries",
        showlegend=False,
    )


def _footprint(drawn: _Map, theme_id: str) -> go.Choropleth:
    colour = drawn.dataset.themes.at[theme_id, "colour"]
    theme = drawn.themes[theme_id]
    trace = _area_trace(drawn.sources.areas, "id", f"footprint:{theme_id}",
                        f"%{{text}}<extra>{theme}</extra>", colour, colour, 0.6,
                        FOOTPRINT_OPACITY)
    # Its swatch heads its theme's entries in the legend.
    trace.update(legendgroup=theme_id, legendgrouptitle={"text": wrapped(theme)},
                 name=drawn.words("map footprints"))
    return trace


def _approximate(drawn: _Map, theme_id: str) -> go.Choropleth:
    hover = (f"%{{text}}<extra>{drawn.themes[theme_id]} — "
             f"{drawn.words('map approximate hover')}</extra>")
    return _area_trace(drawn.sources.areas, "id", f"approximate:{theme_id}", hover,
                       drawn.dataset.themes.at[theme_id, "colour"], "rgba(0,0,0,0)", 0,
                       APPROXIMATE_OPACITY)


def _stand_ins(drawn: _Map, theme_id: str) -> go.Choropleth:
    trace = _area_trace(drawn.sources.areas, "id", f"stand-ins:{theme_id}", None,
                        drawn.dataset.themes.at[theme_id, "colour"], "rgba(0,0,0,0)", 0,
                        APPROXIMATE_OPACITY)
    # The pointer goes through to the country under it, as through a coverage zone: a
    # stand-in cannot say which country a click meant, and the country's hover names the
    # stand-ins that cover it.
    trace.update(hoverinfo="skip")
    return trace


def _outline(drawn: _Map, number: str) -> go.Scattergeo:
    lons, lats = outline(drawn.dataset, approximate_footprints(drawn.dataset)[int(number)])
    return go.Scattergeo(lon=lons, lat=lats, mode="lines", hoverinfo="skip",
                         line={"color": APPROXIMATE_LINE, "width": 1.3, "dash": "dot"},
                         **drawn.key_entry(drawn.words("map approximate")))


def _coverage(drawn: _Map, _) -> go.Choropleth:
    coverage = _area_trace(drawn.sources.areas, "id", "coverage", "%{text}<extra></extra>",
                           "rgba(0,0,0,0)", COVERAGE, 1.2)
    # A zone is an outline over its countries: the pointer reaches the country under it
    # (its hover and its click), and the country's panel lists the zone.
    coverage.update(hoverinfo="skip", hovertemplate=None)
    coverage.update(drawn.key_entry(drawn.words("map coverage")))
    return coverage


def _spokes(drawn: _Map, _) -> go.Scattergeo:
    return go.Scattergeo(mode="lines", hoverinfo="skip", line={"color": COVERAGE, "width": 1.0},
                         **drawn.key_entry(drawn.words("map spokes")))


def _selection_areas(drawn: _Map, _) -> go.Choropleth:
    return _area_trace(drawn.sources.countries, "iso3", "selection-areas",
                       f"{drawn.words('map selected')}<extra></extra>", "rgba(0,0,0,0)",
                       SELECTION, 2.5)


def _small_states(drawn: _Map, _) -> go.Scattergeo:
    # Small island states as dots shaded like the choropleth, so they stay visible.
    return go.Scattergeo(
        mode="markers",
        marker={"size": SIZES["small-states"], "colorscale": CHOROPLETH_SCALE, "cmin": 0,
                "line": {"color": "#4d4a44", "width": 1}},
        hovertemplate="%{text}<extra></extra>",
        **drawn.key_entry(drawn.words("map small states")),
    )


def _category(drawn: _Map, category_id: str) -> go.Scattergeo:
    # One trace per legend category, so each keeps its own symbol, colour and legend entry.
    category = drawn.dataset.categories.loc[category_id]
    return go.Scattergeo(
        mode="markers",
        marker={"symbol": category["symbol"], "color": category["colour"],
                "size": SIZES["category"], "line": SYMBOL_OUTLINE},
        name=wrapped(as_text([category[f"label_{drawn.lang}"]])[0]),
        legendgroup=category["theme"],
        legendgrouptitle={"text": wrapped(drawn.themes[category["theme"]])},
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _clusters(drawn: _Map, _) -> go.Scattergeo:
    return go.Scattergeo(
        mode="markers+text", textposition="middle center",
        marker={"color": CLUSTER_FILL, "opacity": 0.9, "line": CLUSTER_OUTLINE},
        textfont={"color": "#ffffff", "size": 10},
        hovertemplate="%{hovertext}<extra></extra>",
        **drawn.key_entry(drawn.words("map clusters")),
    )


def _leaders(drawn: _Map, _) -> go.Scattergeo:
    return go.Scattergeo(mode="lines", name="leaders", hoverinfo="skip", showlegend=False,
                         line={"color": LABEL_COLOUR, "width": 0.7})


def _numbered(drawn: _Map, _) -> go.Scattergeo:
    # Its legend entry lists the places whose name found no room, by the number drawn.
    return go.Scattergeo(lon=[None], lat=[None], mode="markers", hoverinfo="skip",
                         marker={"color": "rgba(0,0,0,0)", "size": 1},
                         **drawn.key_entry(" ", "numbered", drawn.words("map numbered")))


def _selection_point(drawn: _Map, _) -> go.Scattergeo:
    return go.Scattergeo(
        mode="markers", name="selection-point", hoverinfo="skip", showlegend=False,
        marker={"symbol": "circle-open", "size": SIZES["selection-point"], "color": SELECTION,
                "line": {"width": 3}})


TRACES = {
    "countries": _countries,
    "footprint": _footprint,
    "stand-ins": _stand_ins,
    "approximate": _approximate,
    "outline": _outline,
    "coverage": _coverage,
    "spokes": _spokes,
    "selection-areas": _selection_areas,
    "country-labels": lambda drawn, _: _label_trace("country-labels", COUNTRY_LABEL_COLOUR,
                                                    SIZES["country-label"]),
    "small-states": _small_states,
    "category": _category,
    "clusters": _clusters,
    "leaders": _leaders,
    "labels": lambda drawn, _: _label_trace("labels", LABEL_COLOUR, SIZES["label"]),
    "numbered": _numbered,
    "selection-point": _selection_point,
}
