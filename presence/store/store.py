"""The store of living data: the records as officers correct, end and add them, every change
kept with its source, and the data as it stood on any date.

One machine: a GeoPackage file in the data folder (`store.gpkg`), made from the shipped
records.csv at first use; QGIS and GDAL open its `records` layer and its tables. A team:
DATABASE_URL=postgresql://… puts the same tables in PostgreSQL with PostGIS, shared by every
app server. SQLAlchemy speaks to both; Alembic migrates their schema (migrations/); GDAL
(pyogrio) writes the GeoPackage's layer; GeoAlchemy2 the PostGIS points.

A change is one transaction: it is checked by the rules `check-data` applies (the loader's,
the quotes', the readings'), against the record's version the editor saw, and written with
the record's new version, or refused whole, with nothing written.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import gzip
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine

from presence.dataset import RECORD_COLUMNS, SOURCES_FOLDER, Dataset
from presence.errors import DataError, Problem
from presence.quotes import missing_excerpts, normalise
from presence.store import tables as t
from presence.store.change import ChangeRequest, SourceRef, plain_text_problem
from presence.store.layer import point_of

STORE_FILE = "store.gpkg"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The name problems give the store's records, as they give records.csv for the shipped file.
RECORDS_NAME = "record store"
# The user a change is recorded under when none is named (the command line's default).
SYSTEM_USER = "system"


@dataclass(frozen=True)
class Change:
    """A change as the history gives it."""

    number: int
    record_id: str
    made_at: str
    made_by: str
    why: str
    document: str
    section: str
    quote: str
    action: str
    reverts: int | None
    before: dict | None
    after: dict | None

    def fields_changed(self) -> list[tuple[str, str, str]]:
        """(field, before, after) for each field the change set to another value."""
        before, after = self.before or {}, self.after or {}
        return [(field, before.get(field) or "", after.get(field) or "")
                for field in RECORD_COLUMNS if (before.get(field) or "") != (after.get(field) or "")]

    def as_dict(self) -> dict:
        return {"number": self.number, "record": self.record_id, "made_at": self.made_at,
                "made_by": self.made_by, "why": self.why, "action": self.action,
                "reverts": self.reverts,
                "source": {"document": self.document, "section": self.section,
                           "quote": self.quote},
                "fields": [{"field": f, "before": b, "after": a}
                           for f, b, a in self.fields_changed()]}


def store_file(folder: Path | str) -> Path:
    """The data folder's GeoPackage store: `store.gpkg`, or DASHBOARD_STORE_NAME (the tests
    keep their own store beside a developer's)."""
    return Path(folder).resolve() / (os.environ.get("DASHBOARD_STORE_NAME") or STORE_FILE)


def store_url(folder: Path, url: str | None = None) -> str:
    """Where the store is: `url`, else DATABASE_URL, else the data folder's GeoPackage."""
    url = url or os.environ.get("DATABASE_URL") or f"sqlite:///{store_file(folder)}"
    # psycopg 3 is the driver for PostgreSQL; a plain postgresql:// URL means it.
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


def has_store(folder: Path | str) -> bool:
    """Whether a store is in use for the data folder: DATABASE_URL, or its GeoPackage."""
    return bool(os.environ.get("DATABASE_URL")) or store_file(folder).exists()


def now() -> str:
    """The current time, UTC, as the store writes it (sorts as it reads)."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def end_of_day(day: str) -> str:
    """The first instant after `day` (YYYY-MM-DD), as the store writes times: the data as it
    stood on a day is the data after every change made that day (UTC)."""
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise DataError([Problem("as of", "date", "-", f"'{day}' is not a date (2026-03-01)")]) \
            from None
    return (date + dt.timedelta(days=1)).strftime("%Y-%m-%dT00:00:00.000000Z")


class Store:
    def __init__(self, folder: Path | str, url: str | None = None):
        self.folder = Path(folder)
        self.url = store_url(self.folder, url)
        self.is_geopackage = self.url.startswith("sqlite")
        self.path = Path(self.url.removeprefix("sqlite:///")) if self.is_geopackage else None
        self.engine = _engine(self.url)
        self._layer = None
        if self.is_geopackage:
            from presence.store.layer import LayerWriter

            self._layer = LayerWriter(self.path, self.rows)
        self._prepare()

    def flush(self) -> None:
        """Wait for the GeoPackage's `records` layer to hold every change made here."""
        if self._layer is not None:
            self._layer.flush()

    # --- reading -------------------------------------------------------------------------

    def number(self) -> int:
        """The latest change's number: the data's version (0, the data as shipped)."""
        with self.engine.connect() as connection:
            return connection.execute(select(func.max(t.changes.c.number))).scalar() or 0

    def rows(self, as_of: str | None = None) -> list[dict]:
        """Every record's fields (records.csv's columns, as text), now or as they stood at
        the end of the day `as_of` (YYYY-MM-DD)."""
        with self.engine.connect() as connection:
            if as_of is None:
                found = connection.execute(select(t.record_state.c.fields)
                                           .order_by(t.record_state.c.fid))
                return [json.loads(fields) for (fields,) in found]
            versions = t.record_versions
            made = select(t.changes.c.number).where(t.changes.c.made_at < end_of_day(as_of))
            found = connection.execute(
                select(versions.c.record_id, versions.c.version, versions.c.fields)
                .where((versions.c.change == 0) | versions.c.change.in_(made))
                .order_by(versions.c.fid))
            latest: dict[str, tuple[int, str | None]] = {}
            for record_id, version, fields in found:
                if record_id not in latest or version > latest[record_id][0]:
                    latest[record_id] = (version, fields)
            return [json.loads(fields) for _, fields in latest.values() if fields]

    def number_as_of(self, as_of: str) -> int:
        """The number of the last change made by the end of the day `as_of`."""
        with self.engine.connect() as connection:
            return connection.execute(select(func.max(t.changes.c.number)).where(
                t.changes.c.made_at < end_of_day(as_of))).scalar() or 0

    def fields_of(self, record_id: str) -> dict | None:
        """A record's fields as they are now (None: no such record)."""
        with self.engine.connect() as connection:
            found = _state(connection, record_id)
        return found[1] if found else None

    def version_of(self, record_id: str) -> int | None:
        with self.engine.connect() as connection:
            return connection.execute(select(t.record_state.c.version).where(
                t.record_state.c.record_id == record_id)).scalar()

    def library(self, texts: bool = True) -> list[dict]:
        """The source library: each document as sources.csv's columns, with its `text`
        (`texts=False`: without it, for the lists and forms that show only what it is; a
        report's text is megabytes)."""
        columns = [column for column in t.documents.c if texts or column.name != "text"]
        with self.engine.connect() as connection:
            found = connection.execute(select(*columns).order_by(t.documents.c.fid))
            return [_as_source(row._mapping) for row in found]

    def dataset(self, as_of: str | None = None) -> Dataset:
        """The data set with the store's records (now, or as they stood on `as_of`)."""
        from presence.loader import load_base

        return load_base(self.folder, records_rows=self.rows(as_of), library=self.library())

    def history(self, record_id: str | None = None, limit: int | None = 200,
                until: int | None = None) -> list[Change]:
        """The changes, newest first: of one record, or of every record."""
        query = select(t.changes).order_by(t.changes.c.number.desc())
        if record_id is not None:
            query = query.where(t.changes.c.record_id == record_id)
        if until is not None:
            query = query.where(t.changes.c.number <= until)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [_as_change(row._mapping) for row in connection.execute(query)]

    def change(self, number: int) -> Change | None:
        found = self.history(limit=1, until=number)
        return found[0] if found and found[0].number == number else None

    # --- changing ------------------------------------------------------------------------

    def apply(self, request: ChangeRequest, user: str = SYSTEM_USER) -> int:
        """Make the change; its number. DataError naming the field that breaks a rule, or
        the other change made since the version the editor saw: then nothing is written."""
        with self._writing() as connection:
            current = _state(connection, request.record) if request.record else None
            if request.record and current is None:
                raise DataError([Problem(RECORDS_NAME, f"record '{request.record}'", "record",
                                         "no such record (leave 'record' out for a new one)")])
            if current and request.version is not None and request.version != current[0]:
                raise DataError([self._overtaken(connection, request.record, request.version)])
            before = current[1] if current else None
            after = dict(before or {column: "" for column in RECORD_COLUMNS})
            after.update({field: _cell(value) for field, value in request.set.items()})
            if before is None:
                if not after.get("id"):
                    raise DataError([Problem(RECORDS_NAME, "new record", "set.id", "a new "
                                             "record needs an id (lower-case words joined by -)")])
                if _state(connection, after["id"]) is not None:
                    raise DataError([Problem(RECORDS_NAME, f"record '{after['id']}'", "set.id",
                                             "an id already used: edit that record instead")])
                for field, value in (("source", request.source.document),
                                     ("source_section", request.source.section),
                                     ("source_quote", request.source.quote)):
                    after[field] = after.get(field) or value
            elif after["id"] != before["id"]:
                raise DataError([Problem(RECORDS_NAME, f"record '{before['id']}'", "set.id",
                                         "a record's id never changes: links point at it")])
            elif after == before:
                raise DataError([Problem(RECORDS_NAME, f"record '{before['id']}'", "set",
                                         "changes nothing: every field already says so")])
            self._check(connection, after, request)
            return self._write(connection, before, after, request, user,
                               "add" if before is None else "edit", None)

    def revert(self, number: int, why: str, user: str = SYSTEM_USER) -> int:
        """Undo change `number` by a new change: the fields it set go back to what they were,
        or the record it added is taken out. Refused if a later change has set those fields
        again (revert that one first)."""
        problem = plain_text_problem(why, 2_000) if why.strip() else "missing: say why"
        if problem:
            raise DataError([Problem(RECORDS_NAME, f"change {number}", "why", problem)])
        with self._writing() as connection:
            row = connection.execute(select(t.changes).where(t.changes.c.number == number)).first()
            if row is None:
                raise DataError([Problem(RECORDS_NAME, f"change {number}", "-", "no such change")])
            undone = _as_change(row._mapping)
            current = _state(connection, undone.record_id)
            later = connection.execute(select(t.changes.c.number).where(
                (t.changes.c.record_id == undone.record_id) & (t.changes.c.number > number))
            ).scalars().all()
            now_fields = current[1] if current else None
            if undone.before is None:  # it added the record: take it out
                after = None
            else:
                after = dict(now_fields or undone.before)
                for field, _, set_to in undone.fields_changed():
                    if (after.get(field) or "") != set_to:
                        raise DataError([Problem(RECORDS_NAME, f"change {number}", field,
                                                 f"set again since, by change {max(later)}: "
                                                 f"revert that change first")])
                    after[field] = undone.before.get(field) or ""
            request = ChangeRequest(record=undone.record_id, why=why, source=SourceRef(
                document=undone.document, section=undone.section, quote=undone.quote))
            if after is not None:
                self._check(connection, after, request, check_source=False)
            return self._write(connection, now_fields, after, request, user, "revert", number)

    def add_document(self, data: bytes, file_name: str, title: str, publisher: str, date: str,
                     language: str = "en", url: str | None = None,
                     user: str = SYSTEM_USER, document_id: str | None = None) -> str:
        """Put a document in the source library (its text extracted in a bounded child); its
        id. DataError naming the field for a missing title, a bad date or language, or a file
        that is not the document its name says."""
        from presence.store.documents import extract_text, sha256

        problems = []
        for field, value in (("title", title), ("publisher", publisher), ("url", url or "")):
            message = plain_text_problem(value, 500) if value.strip() or field == "url" \
                else "missing: this field is required"
            if message:
                problems.append(Problem(file_name, "document", field, message))
        if not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", date or ""):
            problems.append(Problem(file_name, "document", "date", f"'{date}' is not a date "
                                    f"(2026, 2026-03 or 2026-03-01)"))
        if language not in ("en", "fr"):
            problems.append(Problem(file_name, "document", "language", "'en' or 'fr'"))
        if url and not re.fullmatch(r"https?://\S+", url):
            problems.append(Problem(file_name, "document", "url", "not a web address"))
        if problems:
            raise DataError(problems)
        body = extract_text(data, file_name)
        document_id = document_id or _slug(f"{publisher[:30]} {title[:50]} {date[:4]}")
        with self._writing() as connection:
            taken = set(connection.execute(select(t.documents.c.id)).scalars())
            base, number = document_id, 2
            while document_id in taken:
                document_id, number = f"{base}-{number}", number + 1
            connection.execute(insert(t.documents).values(
                id=document_id, title=title.strip(), publisher=publisher.strip(), date=date,
                language=language, url=url or None, file_name=Path(file_name).name,
                sha256=sha256(data), text=body, added_at=now(), added_by=user))
        return document_id

    # --- backup --------------------------------------------------------------------------

    def backup(self, path: Path) -> dict[str, int]:
        """Every table of the store into one file (gzipped JSON); rows per table."""
        with self.engine.connect() as connection:
            dump = {name: [dict(row._mapping) for row in connection.execute(
                select(*[c for c in table.c if c.name != "geom"]).order_by(list(table.c)[0]))]
                for name, table in _TABLES.items()}
        Path(path).write_bytes(gzip.compress(json.dumps(
            {"format": "security-cooperation-store", "version": 1, "tables": dump},
            ensure_ascii=False).encode()))
        return {name: len(rows) for name, rows in dump.items()}

    def restore(self, path: Path) -> dict[str, int]:
        """The store as a backup holds it: every table replaced whole, in one transaction."""
        try:
            dump = json.loads(gzip.decompress(Path(path).read_bytes()))
            tables = dump["tables"]
            assert dump.get("format") == "security-cooperation-store"
        except (OSError, ValueError, KeyError, AssertionError, EOFError) as error:
            raise DataError([Problem(str(path), "file", "-", f"not a backup of the store: "
                                     f"{error}")]) from None
        with self._writing() as connection:
            for name in reversed(list(_TABLES)):
                connection.execute(_TABLES[name].delete())
            for name, table in _TABLES.items():
                if tables.get(name):
                    connection.execute(insert(table), tables[name])
            if connection.dialect.name == "postgresql":
                for name, table in _TABLES.items():
                    key = list(table.c)[0].name
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', '{key}'), "
                        f"COALESCE((SELECT max({key}) FROM {name}), 0) + 1, false)"))
                self._set_points(connection, None)
        self._write_layer()
        return {name: len(tables.get(name) or []) for name in _TABLES}

    # --- inside --------------------------------------------------------------------------

    def _prepare(self) -> None:
        """Create the store if it is new (the GeoPackage file, its schema, the shipped data
        as its first state), or migrate it to the current schema; one process at a time."""
        from alembic import command
        from alembic.config import Config

        with self._preparing():
            if self.is_geopackage and not self.path.exists():
                from presence.store.layer import new_geopackage

                new_geopackage(self.path)  # GDAL's own GeoPackage, its records layer empty
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            writing = self.engine.execution_options(writing=True)
            with writing.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            with writing.begin() as connection:
                seeded = connection.execute(select(t.store_info.c.value).where(
                    t.store_info.c.key == "shipped_sha256")).scalar()
                if seeded is None:
                    self._seed(connection)
                    merged = True
                else:
                    merged = self._merge_release(connection, seeded)
                if connection.dialect.name == "postgresql" and connection.execute(
                        select(t.store_info.c.value).where(
                            t.store_info.c.key == "briefings_seeded")).scalar() is None:
                    from presence.store.briefings import seed_briefings

                    # Made by schema 0002, or on a new store: the folder's briefings, once.
                    seeded_count = seed_briefings(connection, self.folder, now())
                    connection.execute(insert(t.store_info).values(
                        key="briefings_seeded", value=str(seeded_count)))
        if merged:
            self._write_layer()

    def briefings(self):
        """Where briefings are kept: with PostgreSQL, in the store, shared by every server;
        with the GeoPackage, the data folder's briefings/ files."""
        from presence.briefings import FOLDER, BriefingStore

        if self.is_geopackage:
            return BriefingStore(self.folder / FOLDER)
        from presence.store.briefings import StoredBriefings

        return StoredBriefings(self)

    def conflicts(self, connection: Connection | None = None) -> list[dict]:
        """Records a release changed that officers had changed too: the local change kept,
        the release's fields listed for an editor to settle (a change to the record does)."""
        with contextlib.ExitStack() as stack:
            if connection is None:
                connection = stack.enter_context(self.engine.connect())
            found = connection.execute(select(t.store_info.c.value).where(
                t.store_info.c.key == "conflicts")).scalar()
        return json.loads(found) if found else []

    def _merge_release(self, connection: Connection, seeded: str) -> bool:
        """When the shipped records.csv has changed since the store last took it in: each
        record the officers have not changed takes the release's fields (added, changed or
        taken out by a `release` change); one they have changed keeps their change, and is
        listed in conflicts(). Whether anything changed."""
        raw = (self.folder / "records.csv").read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest == seeded:
            return False
        released = {row["id"]: {c: row.get(c) or "" for c in RECORD_COLUMNS}
                    for row in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))}
        shipped_by = {0} | set(connection.execute(select(t.changes.c.number).where(
            t.changes.c.action == "release")).scalars())
        versions: dict[str, list] = {}
        for record_id, version, change, fields in connection.execute(
                select(t.record_versions.c.record_id, t.record_versions.c.version,
                       t.record_versions.c.change, t.record_versions.c.fields)
                .order_by(t.record_versions.c.version)):
            versions.setdefault(record_id, []).append((change, fields))
        conflicts = [c for c in self.conflicts(connection) if c["record"] not in released]
        for record_id in list(dict.fromkeys([*versions, *released])):
            history = versions.get(record_id, [])
            baseline = next((json.loads(f) if f else None for change, f in reversed(history)
                             if change in shipped_by), None)
            local = any(change not in shipped_by for change, _ in history)
            new = released.get(record_id)
            if new == baseline:
                continue
            if local:
                conflicts.append({"record": record_id, "release": new})
                continue
            current = _state(connection, record_id)
            request = ChangeRequest(record=record_id, why=f"release {digest[:12]}", source=SourceRef(
                document="release", section="records.csv", quote="records.csv"))
            self._write(connection, current[1] if current else None, new, request,
                        "release", "release", None)
        connection.execute(update(t.store_info).where(t.store_info.c.key == "shipped_sha256")
                           .values(value=digest))
        connection.execute(t.store_info.delete().where(t.store_info.c.key == "conflicts"))
        if conflicts:
            connection.execute(insert(t.store_info).values(
                key="conflicts", value=json.dumps(conflicts, ensure_ascii=False)))
        return True

    @contextlib.contextmanager
    def _preparing(self):
        if self.is_geopackage:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                yield
        else:
            with self.engine.begin() as connection:
                connection.execute(text("SELECT pg_advisory_xact_lock(740342)"))
                yield

    def _seed(self, connection: Connection) -> None:
        """The shipped records.csv and source documents, as the store's first state."""
        raw = (self.folder / "records.csv").read_bytes()
        rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        for row in rows:
            fields = json.dumps({c: row.get(c) or "" for c in RECORD_COLUMNS}, ensure_ascii=False)
            connection.execute(insert(t.record_versions).values(
                record_id=row["id"], version=1, change=0, fields=fields))
            connection.execute(insert(t.record_state).values(
                record_id=row["id"], version=1, fields=fields))
        sources = csv.DictReader(io.StringIO(
            (self.folder / "sources.csv").read_text(encoding="utf-8-sig"), newline=""))
        for source in sources:
            data = (self.folder / SOURCES_FOLDER / source["file"]).read_bytes()
            connection.execute(insert(t.documents).values(
                id=source["id"], title=source["title"], publisher=source["publisher"],
                date=source["data_as_of"], language=source.get("language") or "en", url=source.get("url") or None,
                file_name=source["file"], sha256=hashlib.sha256(data).hexdigest(),
                text=data.decode("utf-8"), added_at="shipped", added_by="shipped"))
        connection.execute(insert(t.store_info), [
            {"key": "shipped_sha256", "value": hashlib.sha256(raw).hexdigest()},
            {"key": "created_at", "value": now()}])
        if connection.dialect.name == "postgresql":
            self._set_points(connection, None)

    @contextlib.contextmanager
    def _writing(self):
        """A write transaction; the GeoPackage's layer follows once it is committed."""
        with self.engine.execution_options(writing=True).begin() as connection:
            if connection.dialect.name == "postgresql":
                # Changes are made one at a time: the check of a record's version and the
                # write of the next are never interleaved with another server's.
                connection.execute(text("SELECT pg_advisory_xact_lock(740343)"))
            yield connection
        self._write_layer()

    def _overtaken(self, connection: Connection, record_id: str, seen: int) -> Problem:
        newer = connection.execute(
            select(t.changes).where(t.changes.c.record_id == record_id)
            .order_by(t.changes.c.number.desc()).limit(1)).first()
        other = _as_change(newer._mapping) if newer else None
        said = "" if other is None else (
            f": change {other.number} by {other.made_by} at {other.made_at} ('{other.why}') set "
            + "; ".join(f"{f} to '{a}'" for f, _, a in other.fields_changed()))
        return Problem(RECORDS_NAME, f"record '{record_id}'", "version",
                       f"changed since version {seen} you edited{said}. Nothing was saved: "
                       f"open the record again and make your change on what it says now")

    def _check(self, connection: Connection, after: dict, request: ChangeRequest,
               check_source: bool = True) -> None:
        """The rules check-data applies, on the data set with the changed record; the
        change's own words found in its document."""
        from presence.loader import load_base
        from presence.readings import reading_problems

        library = [_as_source(row._mapping) for row in
                   connection.execute(select(t.documents).order_by(t.documents.c.fid))]
        texts = {source["id"]: normalise(source["text"]) for source in library}
        problems = []
        if check_source:
            if request.source.document not in texts:
                problems.append(Problem(RECORDS_NAME, "change", "source.document",
                                        f"'{request.source.document}' is not in the source "
                                        f"library: add the document first"))
            else:
                problems += [Problem(RECORDS_NAME, "change", "source.quote",
                                     f"not found word for word in '{request.source.document}': "
                                     f"'{part[:80]}'")
                             for part in missing_excerpts(texts[request.source.document],
                                                          request.source.quote)]
        rows = [json.loads(fields) for (fields,) in connection.execute(
            select(t.record_state.c.fields).order_by(t.record_state.c.fid))]
        rows = [after if row["id"] == after["id"] else row for row in rows]
        if all(row["id"] != after["id"] for row in rows):
            rows.append(after)
        try:
            dataset = load_base(self.folder, records_rows=rows, library=library)
        except DataError as error:
            raise DataError(problems + [_for_change(p) for p in error.problems]) from None
        record = dataset.records.loc[after["id"]]
        source_text = texts.get(record["source"], "")
        problems += [Problem(RECORDS_NAME, f"record '{after['id']}'", "source_quote",
                             f"not found word for word in its source '{record['source']}': "
                             f"'{part[:80]}'")
                     for part in missing_excerpts(source_text, record["source_quote"])]
        problems += [p for p in reading_problems(dataset, texts)
                     if p.record == f"record '{after['id']}'"]
        if problems:
            raise DataError(problems)

    def _write(self, connection: Connection, before: dict | None, after: dict | None,
               request: ChangeRequest, user: str, action: str, reverts: int | None) -> int:
        record_id = (after or before)["id"]
        number = connection.execute(insert(t.changes).values(
            record_id=record_id, made_at=now(), made_by=user, why=request.why,
            document=request.source.document, section=request.source.section,
            quote=request.source.quote, action=action, reverts=reverts,
            before=json.dumps(before, ensure_ascii=False) if before else None,
            after=json.dumps(after, ensure_ascii=False) if after else None,
        ).returning(t.changes.c.number)).scalar_one()
        version = (connection.execute(select(func.max(t.record_versions.c.version)).where(
            t.record_versions.c.record_id == record_id)).scalar() or 0) + 1
        fields = json.dumps(after, ensure_ascii=False) if after else None
        connection.execute(insert(t.record_versions).values(
            record_id=record_id, version=version, change=number, fields=fields))
        if after is None:
            connection.execute(t.record_state.delete().where(
                t.record_state.c.record_id == record_id))
        elif before is None:  # a new record, or one taken out and put back by a revert
            connection.execute(insert(t.record_state).values(
                record_id=record_id, version=version, fields=fields))
        else:
            connection.execute(update(t.record_state).where(
                t.record_state.c.record_id == record_id).values(version=version, fields=fields))
        listed = self.conflicts(connection) if action != "release" else []
        if any(c["record"] == record_id for c in listed):  # an editor's change settles it
            connection.execute(update(t.store_info).where(
                t.store_info.c.key == "conflicts").values(value=json.dumps(
                    [c for c in listed if c["record"] != record_id], ensure_ascii=False)))
        if connection.dialect.name == "postgresql":
            self._set_points(connection, record_id)
            # Other app servers hear of it at once (presence.live polls the number too).
            connection.execute(text("SELECT pg_notify('record_changes', :number)"),
                               {"number": str(number)})
        return number

    def _set_points(self, connection: Connection, record_id: str | None) -> None:
        """PostGIS points of the records (one, or all), for QGIS."""
        from geoalchemy2.shape import from_shape
        from shapely.geometry import Point

        query = select(t.record_state.c.record_id, t.record_state.c.fields)
        if record_id is not None:
            query = query.where(t.record_state.c.record_id == record_id)
        for found_id, fields in connection.execute(query).all():
            point = point_of(json.loads(fields))
            connection.execute(update(t.record_points).where(
                t.record_points.c.record_id == found_id).values(
                geom=None if point is None else from_shape(Point(point), srid=4326)))

    def _write_layer(self) -> None:
        """The GeoPackage's `records` layer as the records are now, soon: what QGIS opens
        (written by GDAL in a child process: presence.store.layer says why)."""
        if self._layer is not None:
            self._layer.write_soon()


_TABLES = {"documents": t.documents, "changes": t.changes, "record_versions": t.record_versions,
           "record_state": t.record_state, "store_info": t.store_info,
           "briefings": t.briefings, "imported_files": t.imported_files}


def _engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        # SQLAlchemy's documented way to let the store, not pysqlite, begin transactions;
        # WAL lets readers read while a change is written.
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # A change takes the write lock as it begins (IMMEDIATE), so that two changes never
        # both read a record's version and then both write; a read takes none.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options()
                                   .get("writing") else "BEGIN")

    return engine


def _state(connection: Connection, record_id: str) -> tuple[int, dict] | None:
    found = connection.execute(select(t.record_state.c.version, t.record_state.c.fields).where(
        t.record_state.c.record_id == record_id)).first()
    return None if found is None else (found[0], json.loads(found[1]))


def _as_change(row) -> Change:
    return Change(row["number"], row["record_id"], row["made_at"], row["made_by"], row["why"],
                  row["document"], row["section"], row["quote"], row["action"], row["reverts"],
                  json.loads(row["before"]) if row["before"] else None,
                  json.loads(row["after"]) if row["after"] else None)


def _as_source(row) -> dict:
    """A library document as sources.csv's columns (and its text)."""
    shipped = row["added_at"] == "shipped"
    return {"id": row["id"], "title": row["title"], "title_fr": None,
            "publisher": row["publisher"], "publisher_fr": None, "data_as_of": row["date"][:7],
            "file": row["file_name"] if shipped else f"library/{row['file_name']}",
            "url": row["url"], "text": row.get("text"), "language": row["language"],
            "sha256": row["sha256"], "file_name": row["file_name"],
            "added_at": None if shipped else row["added_at"], "added_by": row["added_by"],
            "note": None if shipped else f"Source library: added {row['added_at'][:10]} by "
                                         f"{row['added_by']}; SHA-256 {row['sha256']}"}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _for_change(problem: Problem) -> Problem:
    """A loader's problem on the changed data set, as the change's (`set.<field>`)."""
    field = problem.field if problem.field == "-" else f"set.{problem.field}"
    return Problem(problem.file, problem.record, field, problem.message)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "document"
