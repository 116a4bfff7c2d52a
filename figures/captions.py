"""The words around an exported map: its default title, the caption stating the filters, and
the line naming the sources of the records shown. English and French."""

from __future__ import annotations

from datetime import date

import pandas as pd

from i18n import label
from layers import LAYERS
from presence.dataset import Dataset
from presence.views import NOTHING, View

WORDS = {
    "en": {
        "all themes": "Security and defence cooperation", "world": "World",
        "themes": "Themes", "categories": "Categories", "layers": "Layers", "region": "Region",
        "actor": "French actor", "years": "In force in", "all": "all", "none": "none",
        "records": "{n} records shown", "record": "1 record shown", "selected": "Selected",
        "sources": "Sources", "source": "Source", "no records": "No record shown",
        "exported": "Exported on {day}", "and": "and",
        "actor contains": "contains “{text}”",
        "footprints": "Project footprints",
        "approximate footprints": "Project footprints, approximate (dotted outline)",
        "coverage": "Coverage zones of regional services",
        "per country": "Records per country", "key": "Key",
        "small states": "Small state (shaded as its country)",
    },
    "fr": {
        "all themes": "Coopération de sécurité et de défense", "world": "Monde",
        "themes": "Thèmes", "categories": "Catégories", "layers": "Couches", "region": "Région",
        "actor": "Acteur français", "years": "En vigueur en", "all": "toutes", "none": "aucun",
        "records": "{n} éléments représentés", "record": "1 élément représenté",
        "selected": "Sélection", "sources": "Sources", "source": "Source",
        "no records": "Aucun élément représenté", "exported": "Exporté le {day}", "and": "et",
        "actor contains": "contient « {text} »",
        "footprints": "Emprises des projets",
        "approximate footprints": "Emprises approximatives (contour pointillé)",
        "coverage": "Zones de compétence des services régionaux",
        "per country": "Éléments par pays", "key": "Clé de lecture",
        "small states": "Petit État (teinté comme son pays)",
    },
}


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {words(lang)['and']} {items[-1]}"


def default_title(dataset: Dataset, view: View, lang: str = "en") -> str:
    """'<themes> — <region>', as the fact sheets title their maps."""
    w = words(lang)
    themes = [t for t in view.themes if t != NOTHING]
    if not themes or len(themes) == len(dataset.themes):
        what = w["all themes"]
    else:
        what = _join([label(dataset.themes, t, "label", lang) for t in themes], lang)
    where = label(dataset.regions, view.region, "name", lang) if view.region else w["world"]
    return f"{what} — {where}"


def caption(dataset: Dataset, view: View, records: pd.DataFrame, selected: str | None = None,
            lang: str = "en") -> str:
    """Every active filter, the number of records shown and the selection, in one sentence
    per filter."""
    w = words(lang)

    def listed(values, frame=None, column=None, every=None) -> str:
        if not values:
            return w["all"]
        if values == (NOTHING,):
            return w["none"]
        if frame is None:
            return ", ".join(getattr(every[v], f"label_{lang}", v) for v in values)
        return ", ".join(label(frame, v, column, lang) for v in values if v != NOTHING)

    colon = separator(lang)
    parts = [
        f"{w['themes']}{colon}{listed(view.themes, dataset.themes, 'label')}",
        f"{w['categories']}{colon}{listed(view.categories, dataset.categories, 'label')}",
        f"{w['layers']}{colon}{listed(view.layers, every=LAYERS)}",
        f"{w['region']}{colon}"
        + (label(dataset.regions, view.region, 'name', lang) if view.region else w["world"]),
    ]
    if view.actor:
        parts.append(f"{w['actor']}{colon}{w['actor contains'].format(text=view.actor)}")
    if view.years:
        first, last = view.years
        parts.append(f"{w['years']}{colon}{first}" + ("" if first == last else f"–{last}"))
    count = len(records)
    parts.append(w["no records"] if count == 0 else
                 w["record"] if count == 1 else w["records"].format(n=count))
    chosen = selection_name(dataset, selected, lang)
    if chosen:
        parts.append(f"{w['selected']}{colon}{chosen}")
    return ". ".join(parts) + "."


def selection_name(dataset: Dataset, selected: str | None, lang: str = "en") -> str | None:
    if not selected:
        return None
    if selected.startswith("country:"):
        iso3 = selected.removeprefix("country:")
        return label(dataset.countries, iso3, "name", lang) \
            if iso3 in dataset.countries.index else None
    if selected in dataset.records.index:
        return label(dataset.records, selected, "name", lang)
    return None


def source_line(dataset: Dataset, records: pd.DataFrame, lang: str = "en") -> str:
    """The documents the records shown come from, each with its publisher and date."""
    w = words(lang)
    used = [s for s in dataset.sources.index if s in set(records["source"])]
    if not used:
        used = list(dataset.sources.index)  # an empty map still says what was searched
    described = [f"{row.title}, {row.publisher} ({row.data_as_of})"
                 for row in dataset.sources.loc[used].itertuples()]
    return (f"{w['sources'] if len(described) > 1 else w['source']}{separator(lang)}"
            + "; ".join(described) + ".")


MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}


def separator(lang: str) -> str:
    """A label's colon: French sets a (non-breaking) space before it."""
    return "\u00a0: " if lang == "fr" else ": "


def export_date_line(day: date, lang: str = "en") -> str:
    """"Exported on 2 December 2026", "Exporté le 2 décembre 2026": a date in words reads
    the same to every reader (2026-12-02 does not)."""
    months = MONTHS.get(lang, MONTHS["en"])
    first = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return words(lang)["exported"].format(day=f"{first} {months[day.month - 1]} {day.year}")
