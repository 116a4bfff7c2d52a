"""A change an officer asks for, as `python app.py change FILE.json` and the edit form send
it: which record (none: a new one), the fields to set (named as records.csv's columns), why,
and the source that supports it (a library document, a section, its words). Its text is
bounded and plain: no markup, no bidirectional controls, nothing past its length."""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from presence.dataset import RECORD_COLUMNS
from presence.errors import DataError, Problem

# The longest text each part of a change may hold (characters).
MAX_WHY = 2_000
MAX_QUOTE = 5_000
MAX_VALUE = 5_000
MAX_SECTION = 300
MAX_FILE_BYTES = 1024 * 1024
# Markup ("<b>", "</script>", "<!--") and the controls that turn text around (U+202A–U+202E,
# U+2066–U+2069, the marks U+200E, U+200F, U+061C): shown as text they would mislead a
# reader, or a spreadsheet a change is exported to.
MARKUP = re.compile(r"<\s*[/!?a-zA-Z]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SourceRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document: str = Field(min_length=1, max_length=200)
    section: str = Field(min_length=1, max_length=MAX_SECTION)
    quote: str = Field(min_length=1, max_length=MAX_QUOTE)


class ChangeRequest(BaseModel):
    """One change: `record` (an id; None for a new record), `set` (fields and values), `why`,
    `source`, and `version`, the record's version the editor saw (None: the current one)."""

    model_config = ConfigDict(extra="forbid")
    record: str | None = Field(default=None, max_length=200)
    set: dict[str, str | int | float | None] = Field(default_factory=dict)
    why: str = Field(min_length=1, max_length=MAX_WHY)
    source: SourceRef
    version: int | None = None


def parse_change(data: bytes | str | dict, name: str) -> ChangeRequest:
    """The change `data` holds (JSON text, or already a dict); DataError naming `name`, the
    field and what is wrong, for anything it cannot be."""
    if isinstance(data, (bytes, str)):
        if len(data) > MAX_FILE_BYTES:
            raise DataError([Problem(name, "change", "-", f"larger than "
                                     f"{MAX_FILE_BYTES // 1024} KB: a change is a few fields")])
        try:
            data = json.loads(data)
        except ValueError as error:
            raise DataError([Problem(name, "change", "-", f"not JSON: {error}")]) from None
    if not isinstance(data, dict):
        raise DataError([Problem(name, "change", "-", "not a JSON object")])
    try:
        change = ChangeRequest.model_validate(data)
    except ValidationError as error:
        raise DataError([Problem(name, "change", ".".join(str(p) for p in item["loc"]) or "-",
                                 item["msg"].removeprefix("Value error, "))
                         for item in error.errors()]) from None
    problems = []
    for field in change.set:
        if field not in RECORD_COLUMNS:
            problems.append(Problem(name, "change", f"set.{field}", "not a column of "
                                    "records.csv (expected: " + ", ".join(RECORD_COLUMNS) + ")"))
    texts = [("why", change.why), ("source.document", change.source.document),
             ("source.section", change.source.section), ("source.quote", change.source.quote)]
    texts += [(f"set.{field}", value) for field, value in change.set.items()
              if isinstance(value, str)]
    for field, value in texts:
        message = plain_text_problem(value, MAX_VALUE if field.startswith("set.") else None)
        if message:
            problems.append(Problem(name, "change", field, message))
    if problems:
        raise DataError(problems)
    return change


def plain_text_problem(value: str, limit: int | None = None) -> str | None:
    """What makes `value` unfit as a field's text, or None."""
    if limit is not None and len(value) > limit:
        return f"{len(value):,} characters: at most {limit:,}"
    if MARKUP.search(value):
        return "holds markup (a '<' opening a tag): write the text only"
    if BIDI.search(value):
        return "holds a bidirectional control character, which turns the text shown around"
    if CONTROL.search(value):
        return "holds a control character"
    return None
