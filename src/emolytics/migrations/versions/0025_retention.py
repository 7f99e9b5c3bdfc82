"""A dataset's retention: how many days its texts are kept after their time

Revision ID: 0025_retention
Revises: 0024_personal_data
Create Date: 2026-12-07 07:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0025_retention"
down_revision = "0024_personal_data"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("datasets", sa.Column("keep_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("datasets", "keep_days")  # plain DROP COLUMN, as 0012's
