"""The store's tables, as SQLAlchemy Core knows them (the migrations in migrations/ create
them; these name them for the queries). The same tables serve the GeoPackage file and
PostgreSQL; each has an integer key, so that QGIS and GDAL open every one of them.

- `changes`: every change, numbered in the order made: who, when (UTC), why, the document,
  section and words that support it, what it did (`add`, `edit`, `revert`, `release`) and the
  record's fields before and after it (JSON; `after` empty: the record was taken out).
- `record_versions`: every state every record has had, by the change that made it (change 0:
  the data as shipped, dated before any change made on the machine).
- `record_state`: each record as it is now, with its version (what an edit must have seen).
  PostgreSQL adds its point (`geom`, PostGIS), so that GIS colleagues open the table in QGIS;
  the GeoPackage file has the `records` layer for them (presence.store.store).
- `documents`: the source library, each document's extracted text and its SHA-256.
- `store_info`: what the store was made from (the shipped records' SHA-256).
- `briefings` (schema 0002): with PostgreSQL, the briefings every server shares, each as
  the JSON its file would hold (presence.store.briefings); the GeoPackage store keeps them
  as the data folder's files.
- `imported_files` (schema 0003): with PostgreSQL, the imported layers' files every server
  shares (presence.store.imports), base64; the GeoPackage store leaves it empty.

Text columns are TEXT: the type a GeoPackage knows (GDAL warns of VARCHAR's length).
"""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import Column, Integer, MetaData, Table, Text

metadata = MetaData()

changes = Table(
    "changes", metadata,
    Column("number", Integer, primary_key=True),
    Column("record_id", Text, nullable=False, index=True),
    Column("made_at", Text, nullable=False, index=True),
    Column("made_by", Text, nullable=False),
    Column("why", Text, nullable=False),
    Column("document", Text, nullable=False),
    Column("section", Text, nullable=False),
    Column("quote", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("reverts", Integer, nullable=True),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
)

record_versions = Table(
    "record_versions", metadata,
    Column("fid", Integer, primary_key=True),
    Column("record_id", Text, nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("change", Integer, nullable=False, index=True),
    Column("fields", Text, nullable=True),  # empty: taken out by this change
)

record_state = Table(
    "record_state", metadata,
    Column("fid", Integer, primary_key=True),
    Column("record_id", Text, nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("fields", Text, nullable=False),
)

# The same table in PostgreSQL, as its PostGIS point is written (GeoAlchemy2 binds it).
record_points = Table(
    "record_state", MetaData(),
    Column("record_id", Text, primary_key=True),
    Column("geom", Geometry("POINT", srid=4326, spatial_index=False)),
)

documents = Table(
    "documents", metadata,
    Column("fid", Integer, primary_key=True),
    Column("id", Text, nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("publisher", Text, nullable=False),
    Column("date", Text, nullable=False),
    Column("language", Text, nullable=False),
    Column("url", Text, nullable=True),
    Column("file_name", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("added_at", Text, nullable=False),
    Column("added_by", Text, nullable=False),
)

store_info = Table(
    "store_info", metadata,
    Column("fid", Integer, primary_key=True),
    Column("key", Text, nullable=False, unique=True),
    Column("value", Text, nullable=False),
)

briefings = Table(
    "briefings", metadata,
    Column("fid", Integer, primary_key=True),
    Column("briefing_id", Text, nullable=False, unique=True),
    Column("body", Text, nullable=False),
    Column("changed_at", Text, nullable=False),
)

imported_files = Table(
    "imported_files", metadata,
    Column("fid", Integer, primary_key=True),
    Column("path", Text, nullable=False, unique=True),
    Column("body", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("changed_at", Text, nullable=False),
)
