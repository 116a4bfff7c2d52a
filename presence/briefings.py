"""Briefings: named sequences of views (a URL query, a title, an optional note), one JSON file
each in the data folder's `briefings/`, written by hand or saved from the dashboard.

Saves are safe: each change re-reads the file under an exclusive lock (several server
workers may save at once, and none loses another's change) and replaces it whole through a
rename (a crash leaves the old file or the new one, never half of one).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from stat import S_ISREG
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from presence.errors import Problem
from presence.files import folder_lock, write_whole
from presence.text import one_line, plain_text

FOLDER = "briefings"
# \Z, not $: "$" also matches before a final newline ("fs05\n").
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}\Z")
MAX_SLIDES = 200
MAX_BRIEFING_BYTES = 1024 * 1024
MAX_BRIEFINGS = 100  # the panel lists them all on every change of view  # 200 slides of views and notes fit in far less


class Slide(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    view: str = Field(default="", max_length=2000)  # the dashboard's URL query
    note: str = Field(default="", max_length=2000)
    # The title and note in French, for a French page (empty: the title and note as written).
    title_fr: str = Field(default="", max_length=200)
    note_fr: str = Field(default="", max_length=2000)

    def title_in(self, lang: str) -> str:
        return self.title_fr if lang == "fr" and self.title_fr else self.title

    def note_in(self, lang: str) -> str:
        return self.note_fr if lang == "fr" and self.note_fr else self.note

    @field_validator("view")
    @classmethod
    def _no_question_mark(cls, view: str) -> str:
        return view.strip().lstrip("?")

    @field_validator("title", "title_fr", mode="before")
    @classmethod
    def _title(cls, value):
        return one_line(value) if isinstance(value, str) else value

    @field_validator("note", "note_fr", mode="before")
    @classmethod
    def _note(cls, value):
        return plain_text(value, lines=True).strip() if isinstance(value, str) else value


class Briefing(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    title_fr: str = Field(default="", max_length=200)
    slides: list[Slide] = Field(default_factory=list, max_length=MAX_SLIDES)

    @field_validator("title", "title_fr", mode="before")
    @classmethod
    def _title(cls, value):
        # Shown in every user's panel: no control or bidirectional characters in it.
        return one_line(value) if isinstance(value, str) else value

    def title_in(self, lang: str) -> str:
        return self.title_fr if lang == "fr" and self.title_fr else self.title


def _without_empty_french(data: dict) -> dict:
    """A briefing as written to its file: French titles and notes only where given."""
    def kept(item: dict) -> dict:
        return {key: value for key, value in item.items()
                if not (key.endswith("_fr") and not value)}
    return kept(data) | {"slides": [kept(slide) for slide in data["slides"]]}


class BriefingError(ValueError):
    """A briefing that cannot be read or changed; `problems` names file, slide and field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def slug(title: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:64].strip("-")
    return text or "briefing"


class BriefingStore:
    """The briefings of one folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        # Parsed briefings by file, with the (mtime, size) they were read at: the panel lists
        # them on every change of view, and a stat costs far less than reading and checking.
        self._parsed: dict[Path, tuple[tuple[int, int], Briefing]] = {}

    def _path(self, briefing_id: str) -> Path:
        if not isinstance(briefing_id, str) or not ID.match(briefing_id):
            raise BriefingError([Problem(f"{FOLDER}/", str(briefing_id)[:80], "id",
                                         "not a briefing id (lower-case letters, digits, -)")])
        return self.folder / f"{briefing_id}.json"

    def read(self, briefing_id: str, fresh: bool = False) -> Briefing:
        """The briefing as its file holds it; `fresh` skips the cache (read-modify-write)."""
        path = self._path(briefing_id)
        try:
            stat = path.stat()
            if not S_ISREG(stat.st_mode):  # a folder or a pipe would hang or fail the read
                raise BriefingError([Problem(path.name, briefing_id, "-",
                                             "not a regular file: left out")])
            if stat.st_size > MAX_BRIEFING_BYTES:
                raise BriefingError([Problem(path.name, briefing_id, "-", f"{stat.st_size:,} "
                                             f"bytes: a briefing is at most "
                                             f"{MAX_BRIEFING_BYTES:,}")])
            stamp = (stat.st_mtime_ns, stat.st_size)
            cached = self._parsed.get(path)
            if cached and cached[0] == stamp and not fresh:
                return cached[1]
            briefing = Briefing.model_validate_json(path.read_bytes())
            self._parsed[path] = (stamp, briefing)
            return briefing
        except OSError as error:
            if not isinstance(error, FileNotFoundError):
                raise BriefingError([Problem(path.name, briefing_id, "-", f"cannot be read: "
                                             f"{error.strerror}")]) from None
            raise BriefingError([Problem(path.name, briefing_id, "-",
                                         "no such briefing")]) from None
        except ValidationError as error:
            raise BriefingError([_problem(path.name, e) for e in error.errors()]) from None

    def all(self) -> tuple[dict[str, Briefing], list[Problem]]:
        """Every briefing that reads, by id and title order, and the problems of those that
        do not (a bad file hides itself, not the others)."""
        found, problems = {}, []
        for path in sorted(self.folder.glob("*.json")):
            try:
                found[path.stem] = self.read(path.stem)
            except BriefingError as error:
                problems += error.problems
        return dict(sorted(found.items(), key=lambda item: item[1].title.lower())), problems

    def _locked(self):
        return folder_lock(self.folder)

    def _write(self, briefing_id: str, briefing: Briefing) -> None:
        text = json.dumps(_without_empty_french(briefing.model_dump()), ensure_ascii=False,
                          indent=2) + "\n"
        write_whole(self._path(briefing_id), text.encode("utf-8"))

    def create(self, title: str) -> str:
        """A new, empty briefing; returns its id (from its title, numbered if taken)."""
        briefing = _valid(Briefing, {"title": (title or "").strip()})
        with self._locked():
            if len(list(self.folder.glob("*.json"))) >= MAX_BRIEFINGS:
                raise BriefingError([Problem(f"{FOLDER}/", briefing.title[:80], "title",
                                             f"{MAX_BRIEFINGS} briefings already: delete one "
                                             f"before creating another")])
            base = slug(briefing.title)
            briefing_id, number = base, 2
            while self._path(briefing_id).exists():
                briefing_id, number = f"{base[:60]}-{number}", number + 1
            self._write(briefing_id, briefing)
        return briefing_id

    def change(self, briefing_id: str, edit) -> Briefing:
        """Apply `edit(slides) -> slides` to the briefing as it is on disk now."""
        with self._locked():
            # From the disk, not the cache: another worker may have saved a moment ago.
            briefing = self.read(briefing_id, fresh=True)
            slides = edit(list(briefing.slides))
            changed = _valid(Briefing, briefing.model_dump() | {
                "slides": [s.model_dump() for s in slides]})
            self._write(briefing_id, changed)
        return changed

    def add_slide(self, briefing_id: str, title: str, view: str, note: str = "") -> Briefing:
        slide = _valid(Slide, {"title": (title or "").strip(), "view": view or "",
                               "note": (note or "").strip()})
        return self.change(briefing_id, lambda slides: [*slides, slide])

    def move_slide(self, briefing_id: str, index: int, step: int) -> Briefing:
        def move(slides):
            target = index + step
            if 0 <= index < len(slides) and 0 <= target < len(slides):
                slides[index], slides[target] = slides[target], slides[index]
            return slides
        return self.change(briefing_id, move)

    def delete_slide(self, briefing_id: str, index: int) -> Briefing:
        return self.change(briefing_id,
                           lambda slides: [s for i, s in enumerate(slides) if i != index])


def _valid(model, data: dict):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise BriefingError([_problem("(new)", e) for e in error.errors()]) from None


def _problem(file: str, error: Any) -> Problem:
    location = [str(part) for part in error["loc"]]
    record = f"slide {int(location[1]) + 1}" if location[:1] == ["slides"] and len(location) > 1 \
        else "briefing"
    return Problem(file, record, location[-1] if location else "-", error["msg"])
