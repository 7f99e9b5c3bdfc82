"""The audit log's query (pages, action, days) for the pages and the API, and its answers."""

from datetime import date

from pydantic import Field

from emolytics.accounts.audit import PAGE_SIZE, AuditFilters, EventPage
from emolytics.schemas.answers import Answer
from emolytics.schemas.fields import Timestamp
from emolytics.schemas.requests import MAX_PAGE, MAX_PER_PAGE, Query, QueryNumber

MAX_ACTION_CHARS = 60
DAY = "must be a day like 2026-03-01"


class AuditQuery(Query):
    refusals = {
        "page": ("invalid_parameter", f"page must be a whole number from 1 to {MAX_PAGE}."),
        "per_page": (
            "invalid_parameter",
            f"per_page must be a whole number from 1 to {MAX_PER_PAGE}.",
        ),
        "action": (
            "invalid_parameter",
            f"action is at most {MAX_ACTION_CHARS} characters long.",
        ),
        "since": ("invalid_parameter", f"since {DAY}."),
        "until": ("invalid_parameter", f"until {DAY}."),
    }

    page: QueryNumber = Field(1, ge=1, le=MAX_PAGE)
    per_page: QueryNumber = Field(PAGE_SIZE, ge=1, le=MAX_PER_PAGE)
    action: str = Field(
        "",
        max_length=MAX_ACTION_CHARS,
        description='Only this action, or this family of actions: "dataset" keeps '
        '"dataset.uploaded", "dataset.deleted" and the other "dataset." actions.',
    )
    since: date | None = Field(None, description="Only events on or after this day (UTC).")
    until: date | None = Field(
        None, lt=date.max, description="Only events on or before this day (UTC)."
    )

    def filters(self) -> AuditFilters:
        return AuditFilters(self.action.strip() or None, self.since, self.until)


class AuditEvent(Answer):
    id: int
    at: Timestamp
    actor_id: int | None = Field(description="The user who acted (null: the system).")
    actor_name: str = Field(description="Their username then; kept after they are deleted.")
    team_id: int | None
    action: str = Field(description='Dotted, e.g. "auth.sign_in", "dataset.deleted".')
    target: str = Field(description="What it acted on, e.g. 'dataset 12 \"Reviews\"'.")
    ip: str | None
    outcome: str = Field(description='"ok", "failed" or "refused".')


class AuditPage(Answer):
    events: list[AuditEvent] = Field(description="Newest first.")
    page: int
    pages: int
    per_page: int
    total: int

    @classmethod
    def of(cls, found: EventPage, per_page: int) -> "AuditPage":
        return cls.model_validate(
            {
                "events": found.events,
                "page": found.page,
                "pages": found.pages,
                "per_page": per_page,
                "total": found.total,
            }
        )
