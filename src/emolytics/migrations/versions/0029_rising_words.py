"""The words that rose in an alert's window, kept with the alert

Revision ID: 0029_rising_words
Revises: 0028_subscriptions
Create Date: 2026-12-07 19:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_rising_words"
down_revision = "0028_subscriptions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alerts", sa.Column("rising_words", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("alerts", "rising_words")  # plain DROP COLUMN, as 0012's
