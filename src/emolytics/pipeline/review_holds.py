"""The texts reviewers have open in a dataset's review queue.

The queue's order is the same for every reviewer, so two reviewers of one dataset would be shown
the same text, and the second label would overwrite the first. A reviewer's page holds the text
it shows for HOLD, and the queue leaves it out for the others meanwhile. Showing the reviewer
another text of the dataset moves their hold to it; a hold nobody renews lapses, so a page left
open, or a tab closed, keeps its text from the others for HOLD at most.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from emolytics.extensions import db
from emolytics.tables import ReviewHold

HOLD_MINUTES = 10
HOLD = timedelta(minutes=HOLD_MINUTES)


@dataclass(frozen=True)
class Held:
    """The texts of a dataset other reviewers have open, and how many reviewers they are."""

    text_ids: list[int]
    reviewers: int


def others(dataset_id: int, user_id: int, now: datetime) -> Held:
    """What the dataset's reviewers other than `user_id` have open at `now`."""
    rows = db.session.execute(
        select(ReviewHold.text_id, ReviewHold.user_id).where(
            ReviewHold.dataset_id == dataset_id,
            ReviewHold.user_id != user_id,
            ReviewHold.until > now,
        )
    ).all()
    return Held([row.text_id for row in rows], len({row.user_id for row in rows}))


def claim(dataset_id: int, text_id: int, user_id: int, now: datetime) -> bool:
    """Hold `text_id` for `user_id` from `now` (ending their hold on any other text of the
    dataset); False if another reviewer holds it."""
    release(dataset_id, user_id)
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(ReviewHold).values(
        dataset_id=dataset_id, text_id=text_id, user_id=user_id, until=now + HOLD
    )
    statement = statement.on_conflict_do_update(
        index_elements=["dataset_id", "text_id"],
        set_={"user_id": statement.excluded.user_id, "until": statement.excluded.until},
        where=ReviewHold.until <= now,
    )
    return db.session.scalar(statement.returning(ReviewHold.user_id)) is not None


def release(dataset_id: int, user_id: int) -> None:
    """End `user_id`'s holds in the dataset."""
    db.session.execute(
        delete(ReviewHold).where(ReviewHold.dataset_id == dataset_id, ReviewHold.user_id == user_id)
    )
