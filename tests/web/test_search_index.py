"""`emolytics search-index`: PostgreSQL's trigram index, made, used by text searches, dropped;
a clear refusal on SQLite."""

from urllib.parse import urlencode

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from emolytics.extensions import db
from emolytics.pipeline import search_index
from emolytics.pipeline.search import contains
from emolytics.tables import TextRow
from tests.conftest import ApiClient
from tests.web.api_calls import upload

TEXTS = (
    "text\n"
    "The tram was DELAYED again\n"
    "delayed by 10% this morning\n"
    "Lovely ride, on time\n"
    "100_percent delayed_ish\n"
    "ÜBER-pünktlich, Straßenbahn\n"
    "Café über alles\n"
)


def _postgresql(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


@pytest.mark.parametrize("command", ["create", "drop", "status"])
def test_sqlite_says_the_index_is_postgresqls(app, runner, command):
    if _postgresql(app):
        pytest.skip("SQLite's refusal")
    result = runner.invoke(["search-index", command])
    assert result.exit_code == 1
    assert "The search index is PostgreSQL's (pg_trgm): this database is sqlite" in result.output
    assert "Traceback" not in result.output
    assert "Building" not in result.output  # refused before it starts


def test_a_search_ignores_case_and_takes_wildcards_literally(api: ApiClient):
    uploaded = upload(api, TEXTS.encode())
    assert uploaded.status_code == 201, uploaded.json
    _searches_find_their_texts(api, uploaded.json["id"])


def test_the_index_is_made_used_by_searches_and_dropped(app, runner, api: ApiClient):
    if not _postgresql(app):
        pytest.skip("PostgreSQL's index")
    uploaded = upload(api, TEXTS.encode())
    assert uploaded.status_code == 201, uploaded.json
    dataset_id = uploaded.json["id"]
    try:
        assert "No search index" in runner.invoke(["search-index", "status"]).output
        made = runner.invoke(["search-index", "create"])
        assert made.exit_code == 0, made.output
        assert "The search index is there" in made.output
        assert "The search index is there" in runner.invoke(["search-index", "status"]).output
        again = runner.invoke(["search-index", "create"])  # already there: nothing to do
        assert again.exit_code == 0 and "The search index is there" in again.output
        with app.app_context():
            assert _search_plan("delayed").count(search_index.INDEX) == 1
        _searches_find_their_texts(api, dataset_id)  # as without the index
        with app.app_context():  # autogenerate would drop it, but for the hook
            left_out = _schema_changes(None) - _schema_changes(search_index.autogenerate_compares)
        assert left_out == {("remove_index", search_index.INDEX)}
    finally:
        dropped = runner.invoke(["search-index", "drop"])
    assert dropped.exit_code == 0 and "No search index" in dropped.output
    assert "No search index" in runner.invoke(["search-index", "status"]).output
    with app.app_context():
        assert search_index.INDEX not in _search_plan("delayed")


def _schema_changes(include_name) -> set[tuple[str, str]]:
    """What autogenerate would change in the database to match the models, by kind and name."""
    with db.engine.connect() as connection:
        opts = {"include_name": include_name} if include_name else {}
        found = compare_metadata(MigrationContext.configure(connection, opts=opts), db.metadata)
    return {(item[0], item[1].name) for item in found if isinstance(item, tuple)}


def _search_plan(query: str) -> str:
    """PostgreSQL's plan of finding the texts a search keeps (`search.contains`), told to read
    no table whole, nor walk any other index: a handful of texts would be read whole else."""
    statement = select(TextRow.id).where(contains(TextRow.text, query))
    compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    db.session.execute(text("SET LOCAL enable_indexscan = off"))
    plan = " ".join(str(row[0]) for row in db.session.execute(text(f"EXPLAIN {compiled}")))
    db.session.rollback()
    return plan


def _searches_find_their_texts(api: ApiClient, dataset_id: int) -> None:
    assert _found(api, dataset_id, "delayed") == 3
    assert _found(api, dataset_id, "DeLaYeD") == 3
    assert _found(api, dataset_id, "10%") == 1
    assert _found(api, dataset_id, "0_p") == 1
    assert _found(api, dataset_id, "on time") == 1
    assert _found(api, dataset_id, "über") == 2  # beyond ASCII, whatever the case
    assert _found(api, dataset_id, "CAFÉ") == 1
    assert _found(api, dataset_id, "pÜnktlich") == 1


def _found(api: ApiClient, dataset_id: int, query: str) -> int:
    answer = api.get(f"/api/v1/datasets/{dataset_id}/texts?{urlencode({'q': query})}")
    assert answer.status_code == 200, answer.json
    return answer.json["total"]
