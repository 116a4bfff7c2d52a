"""The first schema: changes, record versions and state, the source library.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("number", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Text, nullable=False, index=True),
        sa.Column("made_at", sa.Text, nullable=False, index=True),
        sa.Column("made_by", sa.Text, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("reverts", sa.Integer, nullable=True),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after", sa.Text, nullable=True),
    )
    op.create_table(
        "record_versions",
        sa.Column("fid", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Text, nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("change", sa.Integer, nullable=False, index=True),
        sa.Column("fields", sa.Text, nullable=True),
        sa.UniqueConstraint("record_id", "version"),
    )
    op.create_table(
        "record_state",
        sa.Column("fid", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Text, nullable=False, unique=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("fields", sa.Text, nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("fid", sa.Integer, primary_key=True),
        sa.Column("id", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text, nullable=False),
        sa.Column("date", sa.Text, nullable=False),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("added_at", sa.Text, nullable=False),
        sa.Column("added_by", sa.Text, nullable=False),
    )
    op.create_table(
        "store_info",
        sa.Column("fid", sa.Integer, primary_key=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Each record's point, for QGIS (the GeoPackage file has its `records` layer instead).
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        op.execute("ALTER TABLE record_state ADD COLUMN geom geometry(Point, 4326)")


def downgrade() -> None:
    for table in ("store_info", "documents", "record_state", "record_versions", "changes"):
        op.drop_table(table)
