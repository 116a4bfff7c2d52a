"""Briefings in the store: a team's servers on PostgreSQL share them (one data folder's
briefings/ files are each server's own). The GeoPackage store keeps them as files and
leaves this table empty.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "briefings",
        sa.Column("fid", sa.Integer, primary_key=True),
        sa.Column("briefing_id", sa.Text, nullable=False, unique=True),
        sa.Column("body", sa.Text, nullable=False),  # the briefing's JSON, as its file holds it
        sa.Column("changed_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("briefings")
