"""The texts whose place column named no known place, per dataset

Revision ID: 0026_places
Revises: 0025_retention
Create Date: 2026-12-07 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0026_places"
down_revision = "0025_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("datasets", sa.Column("unplaced", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("datasets", "unplaced")  # plain DROP COLUMN, as 0012's
