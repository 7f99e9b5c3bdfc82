"""Small write batches for the bulk import tests (see `small_batches`), and the rows they stored."""

from flask import Flask
from sqlalchemy import select

from emolytics.extensions import db
from emolytics.tables import TextKeyword, TextRow

BATCH = 3  # small, so that a few rows cross several batches
ID_BLOCK = 2  # PostgreSQL: and several blocks of text ids, which end apart from the batches


def stored_texts(app: Flask) -> list[TextRow]:
    with app.app_context():
        rows = list(db.session.scalars(select(TextRow).order_by(TextRow.id)))
        db.session.expunge_all()
        return rows


def stored_tags(app: Flask) -> set[tuple[int, str]]:
    with app.app_context():
        return set(db.session.execute(select(TextKeyword.text_id, TextKeyword.keyword)).all())
