"""The query plans of an analysis's chunks and of counting a few texts: index walks, no sorts."""

import pytest
from sqlalchemy import text

from emolytics.extensions import db
from emolytics.pipeline import chunks
from emolytics.pipeline import counts as job_counts


def test_analysis_chunks_walk_the_primary_key_without_sorting(app):
    """Each chunk of an analysis reads the next texts in id order from an index: a sort of the
    dataset's texts per chunk made a large analysis quadratic on SQLite."""
    with app.app_context():
        statement = chunks.chunk_statement(1, 100, 1000, until=5000)
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        if db.engine.dialect.name == "sqlite":
            plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
        else:
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = db.session.execute(text(f"EXPLAIN {compiled}")).all()
    steps = " ".join(str(row[-1]) for row in plan)
    assert "B-TREE" not in steps and "Sort" not in steps, steps


def test_counting_a_few_texts_finds_their_keywords_through_the_texts(app):
    """The live feed adding texts to the counts and a correction moving one read those texts'
    keyword tags through the tags' text index: walking every tag of the dataset (SQLite, which
    has no statistics, chose that) made a correction take 0.7 s at a million texts."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL plans from its statistics; SQLite's plan is the one at stake")
    with app.app_context():
        statements = job_counts.groups(1, 1, text_ids=[5, 6]) + job_counts.points(1, 1, [5, 6])
        steps = []
        for statement in statements:
            compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
            plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
            steps += [str(row[-1]) for row in plan]
    tag_steps = [step for step in steps if "text_keywords" in step]
    assert len(tag_steps) == 4, steps
    assert all("(text_id=?)" in step for step in tag_steps), tag_steps
