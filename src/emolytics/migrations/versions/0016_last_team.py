"""The team a user last worked in: `users.last_team_id`

A browser works in the team its session chose; a new session (every sign-in) used to start in
the user's personal team, however much they work in a shared one. Choosing a team (switching,
joining, creating, a shared link) now also records it on the user, and a session that has not
chosen one starts there, while the user is still a member (else in the personal team). Deleting
the team clears it.

Revision ID: 0016_last_team
Revises: 0015_count_languages
Create Date: 2026-12-05 17:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_last_team"
down_revision = "0015_count_languages"
branch_labels = None
depends_on = None


CONSTRAINT = "fk_users_last_team_id_teams"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # In place, not by a batch copy of `users`: a copy would drop its lower(username)
        # index, which SQLite cannot reflect; SQLite adds a column with a REFERENCES clause.
        op.execute(
            "ALTER TABLE users ADD COLUMN last_team_id INTEGER "
            f"CONSTRAINT {CONSTRAINT} REFERENCES teams (id) ON DELETE SET NULL"
        )
        return
    op.add_column("users", sa.Column("last_team_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        CONSTRAINT, "users", "teams", ["last_team_id"], ["id"], ondelete="SET NULL"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(CONSTRAINT, "users", type_="foreignkey")
    op.drop_column("users", "last_team_id")
