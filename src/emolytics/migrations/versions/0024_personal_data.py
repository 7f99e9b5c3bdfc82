"""A dataset may mask personal data in its texts and pseudonymise their authors: the sealed key
of its pseudonyms

Revision ID: 0024_personal_data
Revises: 0023_dataset_files
Create Date: 2026-12-07 06:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_personal_data"
down_revision = "0023_dataset_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("datasets", sa.Column("author_key", sa.String(length=255), nullable=True))


def downgrade() -> None:
    op.drop_column("datasets", "author_key")  # plain DROP COLUMN, as 0012's
