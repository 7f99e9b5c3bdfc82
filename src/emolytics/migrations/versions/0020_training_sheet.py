"""Models: the sheet of a training workbook that holds the labeled texts

Revision ID: 0020_training_sheet
Revises: 0019_annotations
Create Date: 2026-12-06 22:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_training_sheet"
down_revision = "0019_annotations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("emotion_models", sa.Column("training_sheet", sa.String(length=120)))


def downgrade() -> None:
    op.drop_column("emotion_models", "training_sheet")  # plain DROP COLUMN, as 0012's
