"""Imported layers in the store: a team's servers on PostgreSQL share the files officers bring
(each file of the imports folder, its settings and the trash of removals), each server's
folder being a copy. The GeoPackage store leaves them as the data folder's files and this
table empty.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_files",
        sa.Column("fid", sa.Integer, primary_key=True),
        sa.Column("path", sa.Text, nullable=False, unique=True),  # in the imports folder
        sa.Column("body", sa.Text, nullable=False),  # the file's bytes, base64
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("changed_at", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("imported_files")
