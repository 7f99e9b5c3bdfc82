"""Languages in the counts: `job_counts.language` and `job_points.language`

The dashboard's numbers and map under a language filter are read from the counts, as under
any other filter but a text search: each count row and map point carries its texts' language
(ISO 639-1, or 'und'). Rows made before this revision keep '' there; an analysis whose counts
do not know languages is counted from its texts under a language filter, until its dataset is
counted again (a keyword edit or a new analysis).

Revision ID: 0015_count_languages
Revises: 0014_alerts
Create Date: 2026-12-05 03:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_count_languages"
down_revision = "0014_alerts"
branch_labels = None
depends_on = None

TABLES = ("job_counts", "job_points")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table, sa.Column("language", sa.String(length=8), server_default="", nullable=False)
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "language")
