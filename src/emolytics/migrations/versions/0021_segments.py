"""Segments: a text's category from a column of its file (a product, a channel, a store),
and the counts and map points that break the dashboard down by it

Revision ID: 0021_segments
Revises: 0020_training_sheet
Create Date: 2026-12-07 01:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_segments"
down_revision = "0020_training_sheet"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("texts", sa.Column("segment", sa.String(length=200)))
    # '' for the rows made before: their texts had no segment
    for table in ("job_counts", "job_points"):
        op.add_column(
            table,
            sa.Column("segment", sa.String(length=200), nullable=False, server_default=""),
        )


def downgrade() -> None:
    for table in ("job_points", "job_counts", "texts"):
        op.drop_column(table, "segment")  # plain DROP COLUMN, as 0012's
