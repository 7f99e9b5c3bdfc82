"""What the numbers of a file's texts count: lines, a sheet's rows, a JSON array's records

Revision ID: 0027_numbered
Revises: 0026_places
Create Date: 2026-12-07 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0027_numbered"
down_revision = "0026_places"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # files stored before: their texts were numbered by line, whatever their format
    op.add_column(
        "dataset_files",
        sa.Column("numbered", sa.String(length=6), nullable=False, server_default="line"),
    )


def downgrade() -> None:
    op.drop_column("dataset_files", "numbered")  # plain DROP COLUMN, as 0012's
