"""Text that comes from users (file cells, file names, layer names, briefing titles) made
safe to show: control characters and the invisible bidirectional controls, which can hide
or reverse what a name seems to say ("gpj.exe"), are removed."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls (tab and newline are kept where text may hold lines), DEL, and the
# Unicode bidirectional controls: embeddings, overrides, isolates and marks.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
                       "\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\t\n\r]")


def plain_text(text: str, lines: bool = False) -> str:
    """`text` without control or bidirectional characters; tabs and line breaks become
    spaces unless `lines` keeps them (a note, a cell)."""
    text = _CONTROLS.sub("", text)
    return text if lines else _LINE_BREAKS.sub(" ", text)


def one_line(text: str) -> str:
    """A name: plain text on one line, its Unicode composed (NFC) and trimmed."""
    return unicodedata.normalize("NFC", plain_text(text)).strip()
