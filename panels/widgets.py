"""Dash components in the page's language where Dash's own words are English."""

from __future__ import annotations

from dash import dcc

# dcc.Dropdown's own words (its clear button's label, its search box, "No options found"),
# in French; Dash's English otherwise.
DROPDOWN_FR = {"select_all": "Tout sélectionner", "deselect_all": "Tout désélectionner",
               "selected_count": "{num_selected} sélectionnés", "search": "Rechercher",
               "clear_search": "Effacer la recherche", "clear_selection": "Effacer la sélection",
               "no_options_found": "Aucune option trouvée"}


def dropdown(lang: str, **props) -> dcc.Dropdown:
    """A dcc.Dropdown whose own words are in `lang`."""
    return dcc.Dropdown(**props, **({"labels": DROPDOWN_FR} if lang == "fr" else {}))
