"""The files a dataset's texts came from (the upload, each file added since), and each text's
file: the same file is not added twice by mistake, and a file's texts can be taken out again

Revision ID: 0023_dataset_files
Revises: 0022_alert_segments
Create Date: 2026-12-07 04:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0023_dataset_files"
down_revision = "0022_alert_segments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dataset_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("sheet", sa.String(length=200), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("texts", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["dataset_id"], ["datasets.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["added_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_dataset_files_dataset_id_sha256", "dataset_files", ["dataset_id", "sha256"])
    # none for the texts stored before: nothing recorded where they came from
    op.add_column("texts", sa.Column("file_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("texts", "file_id")  # plain DROP COLUMN, as 0012's
    op.drop_index("ix_dataset_files_dataset_id_sha256", table_name="dataset_files")
    op.drop_table("dataset_files")
