"""Teams: every user gets a personal team, which takes over their datasets, models, jobs and
API tokens (datasets, models and jobs lose their owner column; a token keeps its user)

Revision ID: 0008_teams
Revises: 0007_idempotency_keys
Create Date: 2026-12-03 12:00:00.000000
"""

import warnings

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import SAWarning

revision = "0008_teams"
down_revision = "0007_idempotency_keys"
branch_labels = None
depends_on = None

OWNED = {  # table -> the column naming the user it belonged to
    "datasets": "owner_id",
    "emotion_models": "owner_id",
    "jobs": "owner_id",
    "api_tokens": "user_id",
}
OWNER_ROLE = 4
# Downgrading: a row goes back to its team's personal user, else to the team's first owner.
TEAM_OWNER = (
    "COALESCE((SELECT teams.personal_user_id FROM teams WHERE teams.id = {table}.team_id), "
    "(SELECT MIN(memberships.user_id) FROM memberships WHERE memberships.team_id = "
    f"{{table}}.team_id AND memberships.role = {OWNER_ROLE}))"
)


def upgrade():
    with warnings.catch_warnings():
        # SQLite's batch mode reflects `users`, whose lower-cased username index it skips
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
        _upgrade()


def _upgrade():
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("personal_user_id", sa.Integer(), nullable=True),
        sa.Column("require_second_factor", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["personal_user_id"],
            ["users.id"],
            name=op.f("fk_teams_personal_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("personal_user_id", name=op.f("uq_teams_personal_user_id")),
    )
    op.create_table(
        "memberships",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_memberships_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "user_id", name=op.f("pk_memberships")),
    )
    op.create_index(op.f("ix_memberships_user_id"), "memberships", ["user_id"], unique=False)
    op.execute(
        "INSERT INTO teams (name, personal_user_id, require_second_factor, created_at) "
        "SELECT username, id, false, created_at FROM users"
    )
    op.execute(
        "INSERT INTO memberships (team_id, user_id, role, created_at) "
        f"SELECT id, personal_user_id, {OWNER_ROLE}, created_at FROM teams"
    )
    for table, user_column in OWNED.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
            if table == "api_tokens":
                batch.add_column(
                    sa.Column("scope", sa.String(length=8), nullable=False, server_default="write")
                )
        op.execute(
            f"UPDATE {table} SET team_id = "
            f"(SELECT teams.id FROM teams WHERE teams.personal_user_id = {table}.{user_column})"
        )
        with op.batch_alter_table(table) as batch:
            batch.alter_column("team_id", existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(
                op.f(f"fk_{table}_team_id_teams"), "teams", ["team_id"], ["id"], ondelete="CASCADE"
            )
            batch.create_index(op.f(f"ix_{table}_team_id"), ["team_id"], unique=False)
            if user_column == "owner_id":
                batch.drop_index(op.f(f"ix_{table}_owner_id"))
                batch.drop_constraint(op.f(f"fk_{table}_owner_id_users"), type_="foreignkey")
                batch.drop_column("owner_id")


def downgrade():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
        _downgrade()


def _downgrade():
    for table, user_column in OWNED.items():
        if user_column == "owner_id":
            with op.batch_alter_table(table) as batch:
                batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
            op.execute(f"UPDATE {table} SET owner_id = {TEAM_OWNER.format(table=table)}")
        with op.batch_alter_table(table) as batch:
            if user_column == "owner_id":
                batch.alter_column("owner_id", existing_type=sa.Integer(), nullable=False)
                batch.create_foreign_key(
                    op.f(f"fk_{table}_owner_id_users"),
                    "users",
                    ["owner_id"],
                    ["id"],
                    ondelete="CASCADE",
                )
                batch.create_index(op.f(f"ix_{table}_owner_id"), ["owner_id"], unique=False)
            batch.drop_index(op.f(f"ix_{table}_team_id"))
            batch.drop_constraint(op.f(f"fk_{table}_team_id_teams"), type_="foreignkey")
            batch.drop_column("team_id")
            if table == "api_tokens":
                batch.drop_column("scope")
    op.drop_index(op.f("ix_memberships_user_id"), table_name="memberships")
    op.drop_table("memberships")
    op.drop_table("teams")
