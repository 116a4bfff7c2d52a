"""The choices that turn a brought file into a layer: its name, label and category columns,
source, date and owner, saved as `<file>.layer.json` beside the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, field_validator

from presence.errors import DataError, Problem
from presence.files import read_regular
from presence.text import one_line

SETTINGS_SUFFIX = ".layer.json"


class LayerSettings(BaseModel):
    """The choices that turn a file into a layer (the `.layer.json` beside it)."""

    name: str = Field(min_length=1, max_length=80)
    # Column names are bounded by the file's own caps (size, columns), not here.
    label: str = Field(min_length=1)  # the column naming each record
    category: str | None = None  # the column grouping them
    source: str = Field(min_length=1, max_length=300)  # where the file comes from
    file: str = Field(min_length=1, max_length=300)  # the file's name when it was brought
    imported: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    # The login of who added it (none without a login): only they or an administrator
    # (DASHBOARD_ADMINS) may remove it.
    owner: str | None = Field(default=None, max_length=200)

    @field_validator("name", "source", "file", "owner", mode="before")
    @classmethod
    def _plain(cls, value):
        # Names shown to every user: no control or bidirectional characters in them.
        return one_line(value) if isinstance(value, str) else value


def layer_settings(file: str, label: str | None, category: str | None, name: str = "",
                   source: str = "", imported: str | None = None,
                   owner: str | None = None) -> LayerSettings:
    """The choices for a file, with what is left blank filled in: the file's name as the
    layer's, "File <name>" as where it comes from, today as the import date."""
    return LayerSettings(name=name.strip()[:80] or Path(file).stem.replace("_", " ")[:80]
                         or "Imported layer", label=label or "-", category=category,
                         source=source.strip() or f"File {file}", file=file,
                         imported=imported or dt.date.today().isoformat(), owner=owner)


def settings_problems(error: ValidationError, name: str) -> list[Problem]:
    return [Problem(name, "settings", ".".join(map(str, item["loc"])) or "-", item["msg"])
            for item in error.errors()]


MAX_SETTINGS_BYTES = 64 * 1024


def read_settings(path: Path, name: str) -> LayerSettings | None:
    """The choices saved beside a layer file; None if there are none (a file put in the
    folder by hand: its columns are guessed). Only a small regular file is read."""
    try:
        raw = read_regular(path, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DataError([Problem(f"{name}{SETTINGS_SUFFIX}", "settings", "-",
                                 f"cannot be read: {error.strerror}")]) from None
    try:
        return LayerSettings.model_validate_json(raw)
    except ValidationError as error:
        raise DataError(settings_problems(error, f"{name}{SETTINGS_SUFFIX}")) from None
