"""The words around an exported map: its default title, the caption stating the view in plain
sentences, and the line naming the sources of the records shown. English and French, with
French typography (a non-breaking space before a colon and inside guillemets)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from i18n import MONTHS, PAGE_WORDS, date_text, label, list_separator, separator, tr, tr_count
from presence.dataset import Dataset
from presence.layer_registry import LAYERS
from presence.views import NOTHING, View, through_stand_in


def words(lang: str) -> dict[str, str]:
    return PAGE_WORDS.get(lang, PAGE_WORDS["en"])


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
    """The view in plain sentences: how many records are shown and where, then each filter
    that leaves some out, then the selection."""
    w = words(lang)
    colon = separator(lang)
    count, total = len(records), len(dataset.records)
    filtered = any((view.themes, view.categories, view.layers, view.actor, view.years,
                    view.attested))
    if count == 0:
        shown = w["no records"]
    elif count == total and not filtered:
        shown = w["all records"].format(n=total)
    else:
        shown = w["record of" if count == 1 else "records of"].format(n=count, total=total)
    where = where_text(dataset, view.region, lang) if view.region or not view.touching else ""
    sentences = [f"{shown}{where}"]
    if view.touching:  # a country's page: "…: those touching Madagascar"
        country = label(dataset.countries, view.touching, "name", lang)
        sentences[0] += f"{colon}{w['touching'].format(country=country)}"

    def chosen(key: str, values, names) -> None:
        if values == (NOTHING,):
            sentences.append(f"{w[key]}{colon}{w[key + ' none']}")
        elif values:
            sentences.append(f"{w[key]}{colon}{_join([names(v) for v in values], lang)}")

    chosen("themes", view.themes, lambda v: label(dataset.themes, v, "label", lang))
    chosen("categories", view.categories, lambda v: label(dataset.categories, v, "label", lang))
    chosen("layers", view.layers, lambda v: getattr(LAYERS[v], f"label_{lang}", v))
    if view.years:
        first, last = view.years
        sentences.append(w["in force in"].format(year=first) if first == last else
                         w["in force between"].format(first=first, last=last))
    if view.actor:
        sentences.append(w["actor contains"].format(text=view.actor))
    if view.attested:
        sentences.append(w["attested since"].format(year=view.attested))
    older = records["older_as_of"].dropna() if "older_as_of" in records else []
    if len(older):
        dates = _join([date_text(d, lang) for d in sorted(set(older))], lang)
        sentences.append(w["older one" if len(older) == 1 else "older some"].format(
            n=len(older), dates=dates))
    name = selection_name(dataset, selected, lang)
    if name and selected != f"country:{view.touching}":
        sentences.append(f"{w['selected']}{colon}{name}")
    return ". ".join(sentences) + "."


def where_text(dataset: Dataset, region: str | None, lang: str) -> str:
    """Where the records are shown, after the count: ", in the region Pacific", " dans le
    Pacifique" (French sets no comma there, and says "in" with the region's own article)."""
    w = words(lang)
    if lang == "fr":
        phrase = dataset.regions.at[region, "in_fr"] if region and "in_fr" in dataset.regions \
            else None
        if not isinstance(phrase, str) or not phrase:
            phrase = w["in region"].format(region=label(dataset.regions, region, "name", lang)) \
                if region else w["worldwide"]
        return f" {phrase}"
    return ", " + (w["in region"].format(region=label(dataset.regions, region, "name", lang))
                   if region else w["worldwide"])


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


def count_text(dataset: Dataset, view: View | None, records: pd.DataFrame,
               lang: str = "en") -> str:
    """"12 of 79 records shown", and in a region's view how many of them are there only
    through an approximate extent that mostly covers the region (presence.views.region_reach)."""
    text = tr_count("count", lang, len(records), total=len(dataset.records))
    stand_ins = through_stand_in(dataset, view, records) if view is not None else 0
    return text + tr("count stand-in", lang, n=stand_ins) if stand_ins else text


def source_line(dataset: Dataset, records: pd.DataFrame, lang: str = "en") -> str:
    """The documents the records shown come from, each with its title, publisher and date;
    then, briefly (publisher and year), the further sources they are read with
    (citations.csv), whose words the details, the card and the one-pager quote."""
    w = words(lang)
    # An empty map still says what was searched.
    own = set(records["source"]) or set(dataset.records["source"])
    described = source_entries(dataset, own, lang)
    line = (f"{w['sources'] if len(described) > 1 else w['source']}{separator(lang)}"
            + list_separator(lang).join(described) + ".")
    further = set(dataset.citations_of(records.index)["source"]) - own
    if further:
        line += (f" {w['further sources']}{separator(lang)}"
                 + list_separator(lang).join(brief_source_entries(dataset, further, lang)) + ".")
    return line


def source_entries(dataset: Dataset, used: set[str], lang: str = "en") -> list[str]:
    """Each source of `used` with its publisher and date, in the data set's order."""
    sources = dataset.sources
    return [f"{label(sources, source_id, 'title', lang)}, "
            f"{label(sources, source_id, 'publisher', lang)} "
            f"({date_text(sources.at[source_id, 'data_as_of'], lang)})"
            for source_id in sources.index if source_id in used]


def brief_source_entries(dataset: Dataset, used: set[str], lang: str = "en") -> list[str]:
    """Each source of `used` by its publisher and year, in the data set's order."""
    sources = dataset.sources
    return [f"{label(sources, source_id, 'publisher', lang)} "
            f"({sources.at[source_id, 'data_as_of'][:4]})"
            for source_id in sources.index if source_id in used]


def export_date_line(day: date, lang: str = "en", dataset: Dataset | None = None) -> str:
    """"Exported on 2 December 2026", "Exporté le 2 décembre 2026": a date in words reads
    the same to every reader (2026-12-02 does not). With the data set, the state of the data
    too (data_state)."""
    line = words(lang)["exported"].format(day=day_text(day, lang))
    return line if dataset is None else f"{line}, {data_state(dataset, lang)}"


def data_state(dataset: Dataset, lang: str = "en") -> str:
    """The state of the data a page shows, so that it can be drawn again from the same data
    (`asof=` in the URL): "data at change 12", "data as of 1 March 2026 (change 9)"."""
    if dataset.as_of:
        return words(lang)["data as of"].format(
            day=day_text(date.fromisoformat(dataset.as_of[0]), lang), number=dataset.as_of[1])
    return words(lang)["data at"].format(number=dataset.change_number)


def day_text(day: date, lang: str = "en") -> str:
    """A day in words: "2 December 2026", "1er décembre 2026"."""
    months = MONTHS.get(lang, MONTHS["en"])
    first = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{first} {months[day.month - 1]} {day.year}"
