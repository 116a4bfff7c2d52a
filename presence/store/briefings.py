"""Briefings in the store's `briefings` table: with PostgreSQL, every app server of a team
reads and saves the same briefings (a data folder's briefings/ files would be each server's
own). Each row holds the JSON a briefing's file would hold, checked by the same model; a
save re-reads the row in its transaction, under the row's lock, so that two officers adding
slides at once both keep theirs. At the store's creation the data folder's briefings are
copied in (the shipped one among them)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from presence.briefings import (
    FOLDER,
    MAX_BRIEFING_BYTES,
    MAX_BRIEFINGS,
    Briefing,
    BriefingError,
    BriefingStore,
    _problem,
    _valid,
    _without_empty_french,
    slug,
)
from presence.errors import Problem
from presence.store import tables as t

WHERE = "briefings (store)"  # what a problem names for the file


def _json(briefing: Briefing) -> str:
    return json.dumps(_without_empty_french(briefing.model_dump()), ensure_ascii=False)


def _parsed(briefing_id: str, body: str) -> Briefing:
    if len(body.encode("utf-8")) > MAX_BRIEFING_BYTES:
        raise BriefingError([Problem(WHERE, briefing_id, "-", f"a briefing is at most "
                                     f"{MAX_BRIEFING_BYTES:,} bytes")])
    try:
        return Briefing.model_validate_json(body)
    except ValidationError as error:
        raise BriefingError([_problem(WHERE, e) for e in error.errors()]) from None


def seed_briefings(connection: Connection, folder: Path, changed_at: str) -> int:
    """The data folder's briefings into an empty table; how many (a bad file is left out,
    as the folder's own listing leaves it out)."""
    found, _ = BriefingStore(folder / FOLDER).all()
    for briefing_id, briefing in found.items():
        connection.execute(insert(t.briefings).values(
            briefing_id=briefing_id, body=_json(briefing), changed_at=changed_at))
    return len(found)


class StoredBriefings(BriefingStore):
    """The same briefings' interface as the files' (presence.briefings), on the store."""

    def __init__(self, store):
        super().__init__(store.folder / FOLDER)
        self.store = store

    def read(self, briefing_id: str, fresh: bool = False) -> Briefing:
        self._path(briefing_id)  # the id's rule, as for a file
        with self.store.engine.connect() as connection:
            body = connection.execute(select(t.briefings.c.body).where(
                t.briefings.c.briefing_id == briefing_id)).scalar()
        if body is None:
            raise BriefingError([Problem(WHERE, briefing_id, "-", "no such briefing")])
        return _parsed(briefing_id, body)

    def all(self) -> tuple[dict[str, Briefing], list[Problem]]:
        found, problems = {}, []
        with self.store.engine.connect() as connection:
            rows = connection.execute(select(t.briefings.c.briefing_id, t.briefings.c.body)
                                      .order_by(t.briefings.c.briefing_id)).all()
        for briefing_id, body in rows:
            try:
                found[briefing_id] = _parsed(briefing_id, body)
            except BriefingError as error:
                problems += error.problems
        return dict(sorted(found.items(), key=lambda item: item[1].title.lower())), problems

    def create(self, title: str) -> str:
        from presence.store.store import now

        briefing = _valid(Briefing, {"title": (title or "").strip()})
        with self.store._writing() as connection:
            taken = set(connection.execute(select(t.briefings.c.briefing_id)).scalars())
            if len(taken) >= MAX_BRIEFINGS:
                raise BriefingError([Problem(WHERE, briefing.title[:80], "title",
                                             f"{MAX_BRIEFINGS} briefings already: delete one "
                                             f"before creating another")])
            base = slug(briefing.title)
            briefing_id, number = base, 2
            while briefing_id in taken:
                briefing_id, number = f"{base[:60]}-{number}", number + 1
            self._path(briefing_id)
            connection.execute(insert(t.briefings).values(
                briefing_id=briefing_id, body=_json(briefing), changed_at=now()))
        return briefing_id

    def change(self, briefing_id: str, edit) -> Briefing:
        from presence.store.store import now

        self._path(briefing_id)
        with self.store._writing() as connection:
            # In the transaction, under its lock: another server's save is not lost.
            body = connection.execute(select(t.briefings.c.body).where(
                t.briefings.c.briefing_id == briefing_id).with_for_update()).scalar()
            if body is None:
                raise BriefingError([Problem(WHERE, briefing_id, "-", "no such briefing")])
            briefing = _parsed(briefing_id, body)
            slides = edit(list(briefing.slides))
            changed = _valid(Briefing, briefing.model_dump() | {
                "slides": [s.model_dump() for s in slides]})
            connection.execute(update(t.briefings).where(
                t.briefings.c.briefing_id == briefing_id).values(
                body=_json(changed), changed_at=now()))
        return changed
