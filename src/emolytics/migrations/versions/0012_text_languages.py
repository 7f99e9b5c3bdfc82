"""Languages: each analysed text's language, and the languages a trained model reads

`results.language` is the ISO 639-1 code the analysis detected (`und`: undetermined). It is
detected by the analysis, which writes it with the result in the same row, so the texts of
analyses finished before this revision keep NULL: "not detected yet", until the dataset is
analysed again (detecting a million old texts here would hold the upgrade for minutes).
`emotion_models.languages` lists the languages of a model's training texts; NULL (models
trained before this revision): not recorded, and every text is scored.

Revision ID: 0012_text_languages
Revises: 0011_second_factor
Create Date: 2026-12-03 15:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_text_languages"
down_revision = "0011_second_factor"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("results", sa.Column("language", sa.String(length=8), nullable=True))
    op.add_column("emotion_models", sa.Column("languages", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+ has it): no copy of the results table, however large
    op.drop_column("emotion_models", "languages")
    op.drop_column("results", "language")
