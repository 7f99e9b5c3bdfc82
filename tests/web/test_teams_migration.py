"""Migration 0008_teams with rows in every table: each user's data lands in their personal
team, and a downgrade gives every row back to a user (SQLite, and PostgreSQL with
TEST_DATABASE_URL)."""

import hashlib
from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, func, inspect, select

from emolytics.accounts import registration, teams
from emolytics.extensions import db
from emolytics.tables import ApiToken, Dataset, EmotionModel, Job, Membership, Role, Team
from tests.conftest import SETUP

# Reflecting `users` skips its lower-cased username index, which these tests do not need.
pytestmark = pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
GRACE_SECRET = "emo_grace-secret-from-before-teams"
OWNED_TABLES = ("datasets", "emotion_models", "jobs")


def _rows() -> dict[str, list[dict]]:
    """One or more rows for every table as it was at 0007 (ada, user 1, exists already)."""
    user = {"password_hash": "x", "active": True, "admin": False, "created_at": NOW}
    token = {"created_at": NOW, "last_used_at": None, "expires_at": None, "revoked_at": None}
    dataset = {
        "source": "upload",
        "keywords": ["tram"],
        "column_map": {"text": "text"},
        "row_count": 1,
        "skipped_count": 0,
        "skipped_rows": [],
        "created_at": NOW,
    }
    job = {"status": "done", "total": 1, "done": 1, "created_at": NOW}
    return {
        "users": [
            {"id": 2, "username": "grace", "alt_id": "grace-alt", **user},
            {"id": 3, "username": "hopper", "alt_id": "hopper-alt", **user},
        ],
        "user_sessions": [
            {
                "id": 1,
                "user_id": 2,
                "key_hash": "k" * 64,
                "remember": False,
                "created_at": NOW,
                "last_seen_at": NOW,
            }
        ],
        "session_addresses": [
            {"session_id": 1, "ip": "192.0.2.1", "first_seen_at": NOW, "last_seen_at": NOW}
        ],
        "login_events": [
            {
                "user_id": 2,
                "username": "grace",
                "username_key": "grace",
                "success": True,
                "throttled": False,
                "at": NOW,
            }
        ],
        "api_tokens": [
            {
                "id": 1,
                "user_id": 1,
                "name": "ada's",
                "token_hash": "a" * 64,
                "prefix": "emo_a",
                **token,
            },
            {
                "id": 2,
                "user_id": 2,
                "name": "grace's",
                "token_hash": hashlib.sha256(GRACE_SECRET.encode()).hexdigest(),
                "prefix": GRACE_SECRET[:12],
                **token,
            },
        ],
        "idempotency_keys": [
            {"user_id": 2, "key": "k1", "request_hash": "h" * 64, "created_at": NOW}
        ],
        "datasets": [
            {"id": 1, "owner_id": 1, "name": "Ada's texts", "current_job_id": 1, **dataset},
            {"id": 2, "owner_id": 2, "name": "Grace's texts", **dataset},
        ],
        "texts": [
            {"id": 1, "dataset_id": 1, "line": 1, "text": "I love the tram"},
            {
                "id": 2,
                "dataset_id": 2,
                "line": 1,
                "text": "The tram is late",
                "lat": 1.0,
                "lon": 2.0,
            },
        ],
        "text_keywords": [{"dataset_id": 1, "keyword": "tram", "text_id": 1}],
        "emotion_models": [
            {
                "id": 1,
                "owner_id": 2,
                "name": "Grace's model",
                "kind": "trained",
                "labels": [],
                "metrics": {},
                "training_rows": 0,
                "text_column": "text",
                "label_column": "label",
                "created_at": NOW,
            }
        ],
        "jobs": [
            {"id": 1, "owner_id": 1, "kind": "analysis", "dataset_id": 1, **job},
            {"id": 2, "owner_id": 2, "kind": "training", "model_id": 1, **job},
        ],
        "job_parts": [{"job_id": 1, "part": 0, "status": "done", "attempts": 1}],
        "results": [
            {
                "job_id": 1,
                "text_id": 1,
                "label": "joy",
                "confidence": 0.9,
                "valence": 0.8,
                "scores": "{}",
            }
        ],
        "job_terms": [
            {"job_id": 1, "chunk": 0, "label": "joy", "term": "love", "weight": 1.0, "texts": 1}
        ],
        "job_counts": [
            {
                "id": 1,
                "job_id": 1,
                "keyword": "",
                "also": "",
                "label": "joy",
                "texts": 1,
                "geotagged": 0,
            }
        ],
        "job_points": [
            {"job_id": 1, "keyword": "", "text_id": 1, "label": "joy", "lat": 1.0, "lon": 2.0}
        ],
    }


def _counts(tables: MetaData) -> dict[str, int]:
    return {
        name: db.session.scalar(select(func.count()).select_from(table))
        for name, table in tables.tables.items()
        if name != "alembic_version"
    }


def test_the_migration_moves_every_row_into_its_owners_personal_team(app):
    with app.app_context():
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="0007_idempotency_keys")
        old = MetaData()
        old.reflect(db.engine)
        rows = _rows()
        assert set(rows) | {"users", "alembic_version"} == set(old.tables)  # every table
        for name, values in rows.items():
            for row in values:
                db.session.execute(old.tables[name].insert().values(row))
        db.session.commit()
        before = _counts(old)
        assert all(before.values())
        db.session.rollback()  # PostgreSQL: no read of this session may hold the tables

        upgrade(directory=directory)

        new = MetaData()
        new.reflect(db.engine)
        assert {key: value for key, value in _counts(new).items() if key in before} == before
        personal = {team.personal_user_id: team for team in db.session.scalars(select(Team))}
        assert {user_id: team.name for user_id, team in personal.items()} == {
            1: "ada",
            2: "grace",
            3: "hopper",
        }
        memberships = db.session.scalars(select(Membership)).all()
        assert {(m.team_id, m.user_id, m.role) for m in memberships} == {
            (personal[user_id].id, user_id, Role.OWNER) for user_id in (1, 2, 3)
        }
        ada, grace = personal[1].id, personal[2].id
        assert dict(db.session.execute(select(Dataset.id, Dataset.team_id)).all()) == {
            1: ada,
            2: grace,
        }
        assert dict(db.session.execute(select(Job.id, Job.team_id)).all()) == {1: ada, 2: grace}
        assert db.session.execute(select(EmotionModel.id, EmotionModel.team_id)).all() == [
            (1, grace)
        ]
        assert set(
            db.session.execute(select(ApiToken.user_id, ApiToken.team_id, ApiToken.scope))
        ) == {
            (1, ada, "write"),
            (2, grace, "write"),
        }
        columns = inspect(db.engine)
        for table in OWNED_TABLES:
            names = {column["name"]: column for column in columns.get_columns(table)}
            assert "owner_id" not in names
            assert names["team_id"]["nullable"] is False
        token_columns = {column["name"]: column for column in columns.get_columns("api_tokens")}
        assert not token_columns["team_id"]["nullable"] and not token_columns["user_id"]["nullable"]

    # Grace's old token works in her personal team, and sees her dataset only.
    answer = app.test_client().get(
        "/api/v1/datasets", headers={"Authorization": f"Bearer {GRACE_SECRET}"}
    )
    assert answer.status_code == 200
    assert [dataset["name"] for dataset in answer.json["datasets"]] == ["Grace's texts"]


def test_a_downgrade_gives_a_shared_teams_rows_to_its_owner(app):
    with app.app_context():
        hopper = registration.register("hopper", "correct horse battery")
        shared = teams.create_team(hopper, "Research", SETUP)
        team_id = shared.id
        db.session.add(Membership(team_id=team_id, user_id=1, role=Role.ADMIN))
        db.session.add(
            Dataset(team_id=team_id, name="Shared", source="api", keywords=[], column_map={})
        )
        hopper_id = hopper.id
        db.session.commit()
        directory = app.extensions["migrate"].directory
        downgrade(directory=directory, revision="0007_idempotency_keys")
        old = MetaData()
        old.reflect(db.engine)
        datasets = old.tables["datasets"]
        assert db.session.execute(select(datasets.c.name, datasets.c.owner_id)).all() == [
            ("Shared", hopper_id)
        ]
        db.session.rollback()
        upgrade(directory=directory)
        back = db.session.scalar(select(Dataset))
        assert back.team_id == teams.personal_seat(hopper_id).team_id
