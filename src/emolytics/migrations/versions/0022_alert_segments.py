"""Alert rules that watch one segment of a dataset (a product, a channel, a store)

Revision ID: 0022_alert_segments
Revises: 0021_segments
Create Date: 2026-12-07 04:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_alert_segments"
down_revision = "0021_segments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alert_rules", sa.Column("segment", sa.String(length=200)))


def downgrade() -> None:
    op.drop_column("alert_rules", "segment")  # plain DROP COLUMN, as 0012's
