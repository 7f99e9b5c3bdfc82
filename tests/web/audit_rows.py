"""The audit log's rows as the tests read them."""

from typing import Any

from flask import Flask
from sqlalchemy import select

from emolytics.accounts import audit
from emolytics.extensions import db
from emolytics.tables import AuditEvent


def events(app: Flask, action: str | None = None) -> list[dict[str, Any]]:
    """The audit rows, oldest first, as dicts."""
    with app.app_context():
        statement = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            statement = statement.where(AuditEvent.action == action)
        return [audit.as_dict(event) for event in db.session.scalars(statement)]
