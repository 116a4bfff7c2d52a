"""The taxonomy follows fact sheet No.5's legend and stays readable for colour-blind readers."""

import itertools

import numpy as np
import pytest

LEGEND = {  # the printed map's legend, end of the fact sheet's source file
    # The legend's "Number of cooperants at the SDCD" sizes symbols by numbers the text never
    # gives: the data set's points are the schools the text names, and say so.
    "defence-cooperation": ["Schools with French development workers (DCSD)",
                            "Regionally focused school"],
    "domestic-security": ["Countries with a domestic security service",
                          "Countries also covered by SSI",
                          "Customs attachés with regional expertise", "Regional cybercrime advisor"],
    "civil-security": ["Regional civil protection advisor",
                       "Technical advisor in charge of airport security",
                       "Wildfire management training"],
    "maritime-security": ["Rescue coordination centre", "Attached liaison officer",
                          "Maritime security advisor"],
    "environmental-crime": ["Pacific Quad against illegal fishing",
                            "Support for regional organisations", "OCLAESP detachments"],
}


def test_every_legend_category_of_the_fact_sheet_is_in_the_taxonomy(dataset):
    legend = dataset.categories[dataset.categories["in_factsheet_legend"]]
    found = {theme: list(group["label_en"]) for theme, group in legend.groupby("theme")}
    assert found == LEGEND


def test_every_category_has_its_own_marker_symbol_and_french_label(dataset):
    assert dataset.categories["symbol"].is_unique
    assert dataset.categories["label_fr"].str.len().gt(0).all()


# Viénot, Brettel & Mollon (1999) dichromat simulation in linear RGB.
SIMULATIONS = {
    "protanopia": np.array([[0.11238, 0.88762, 0.0], [0.11238, 0.88762, 0.0],
                            [0.00401, -0.00401, 1.0]]),
    "deuteranopia": np.array([[0.29275, 0.70725, 0.0], [0.29275, 0.70725, 0.0],
                              [-0.02234, 0.02234, 1.0]]),
    "tritanopia": np.array([[1.0, 0.14461, -0.14461], [0.0, 0.85924, 0.14076],
                            [0.0, 0.85924, 0.14076]]),
}


def to_linear(hex_colour):
    rgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def to_lab(linear_rgb):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ np.clip(linear_rgb, 0, 1)
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", ["normal", *SIMULATIONS])
def test_theme_colours_stay_apart_under_colour_vision_deficiencies(dataset, vision):
    matrix = SIMULATIONS.get(vision, np.eye(3))
    labs = {theme: to_lab(matrix @ to_linear(colour))
            for theme, colour in dataset.themes["colour"].items()}
    for (a, lab_a), (b, lab_b) in itertools.combinations(labs.items(), 2):
        # CIE76 distance; about 10 is clearly different at marker size.
        assert np.linalg.norm(lab_a - lab_b) > 10, f"{a} and {b} look alike under {vision}"
