"""Text broken into lines at spaces: legend entries, titles and paragraphs of exported pages."""

from __future__ import annotations

import unicodedata


def _broken(words, fits) -> list[str]:
    """The words in lines, each as long as `fits(line)` allows (a longer word keeps its own
    line)."""
    done, line = [], ""
    for word in words:
        longer = f"{line} {word}" if line else word
        if line and not fits(longer):
            done.append(line)
            line = word
        else:
            line = longer
    return [*done, line] if line else done


def lines(text: str, characters: int) -> list[str]:
    """`text` in lines of at most `characters` (a longer word keeps its own line)."""
    return _broken(text.split(" "), lambda line: len(line) <= characters)


def wrap(text: str, width_px: float, size: float) -> list[str]:
    """Lines of at most the characters that fit `width_px` in Arial at `size` (0.5 em is a
    generous mean width)."""
    return lines(text, max(int(width_px / (size * 0.5)), 8))


# Advance widths (thousandths of an em) of Helvetica's printable ASCII, from Adobe's core
# font metrics (Helvetica.afm), which Arial and Liberation Sans share: the type of slides.
_ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  # space-/
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  # 0-?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  # @-O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  # P-_
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  # `-o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)  # p-~
_OTHER_WIDTHS = {"’": 222, "‘": 222, "“": 333, "”": 333, "«": 556, "»": 556, "–": 556,
                 "—": 1000, "·": 278, "…": 1000, "°": 400, "\u00a0": 278, "\u202f": 278,
                 "œ": 944, "Œ": 1000, "æ": 889, "Æ": 1000, "ß": 611}
# A little more than measured: an office suite's line must never break where the plan's
# did not.
_SAFETY = 1.04


def arial_width(text: str, size: float) -> float:
    """The width of `text` in Arial at `size` (accented letters as their base letter)."""
    total = 0
    for character in text:
        if character in _OTHER_WIDTHS:
            total += _OTHER_WIDTHS[character]
            continue
        base = unicodedata.normalize("NFKD", character)[:1] or character
        code = ord(base) - 32
        total += _ASCII_WIDTHS[code] if 0 <= code < len(_ASCII_WIDTHS) else 556
    return total / 1000 * size * _SAFETY


def measured_lines(text: str, width_px: float, size: float) -> list[str]:
    """`text` in lines no wider than `width_px` in Arial at `size`, each measured (a little
    wider than drawn): for text an office suite breaks itself, whose room must hold its
    lines."""
    return _broken(text.split(), lambda line: arial_width(line, size) <= width_px)
