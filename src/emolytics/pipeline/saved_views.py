"""A team's saved views of a dataset: the dashboard's filters under a name, for every member to
open with a click ("Anger about delays, March"). A view keeps the filters as the page's query
string spells them, so it opens as the link it was saved from; a label that a later analysis
no longer has is dropped with a notice there, as for any old link."""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from emolytics.extensions import db
from emolytics.pipeline import dataset_rows
from emolytics.pipeline.filters import Filters
from emolytics.pipeline.ingest import contains_nul
from emolytics.tables import Dataset, SavedView, User

MAX_VIEWS = 100  # per dataset


class ViewRefused(ValueError):
    """A view that cannot be saved, and why (a 422 in the API, the form's error on the page)."""


@dataclass(frozen=True)
class Listed:
    view: SavedView
    args: dict[str, str]  # its filters, as query arguments
    saved_by: str | None  # the username (None: the account is gone)


def listed(dataset: Dataset) -> list[Listed]:
    """The dataset's saved views by name, each with its filters and who saved it."""
    rows = db.session.execute(
        select(SavedView, User.username)
        .outerjoin(User, User.id == SavedView.user_id)
        .where(SavedView.dataset_id == dataset.id)
        .order_by(func.lower(SavedView.name), SavedView.id)
    ).all()
    return [Listed(view, args_of(view), username) for view, username in rows]


def save(dataset: Dataset, name: str, filters: Filters, user_id: int) -> SavedView:
    """Save the filters under `name` (trimmed): refused without a filter, under a name another
    of the dataset's views has (whatever its case), or past MAX_VIEWS."""
    name = name.strip()
    if not name:
        raise ViewRefused("Give the view a name.")
    if contains_nul(name):
        raise ViewRefused("A name cannot hold NUL characters.")
    if not (args := filters.as_args()):
        raise ViewRefused("Choose at least one filter: the whole dashboard needs no name.")
    views = select(SavedView.name).where(SavedView.dataset_id == dataset.id)
    names = {taken.casefold() for taken in db.session.scalars(views)}
    if name.casefold() in names:
        raise ViewRefused(f"A view named {name!r} is saved already: choose another name.")
    if len(names) >= MAX_VIEWS:
        raise ViewRefused(f"A dataset keeps {MAX_VIEWS} views at most: delete one first.")
    view = SavedView(dataset_id=dataset.id, name=name, query=urlencode(args), user_id=user_id)
    db.session.add(view)
    try:
        db.session.commit()
    except IntegrityError:  # a colleague saved one by that name a moment ago
        db.session.rollback()
        raise ViewRefused(f"A view named {name!r} is saved already: choose another name.") from None
    return view


def owned(dataset: Dataset, view_id: int) -> SavedView:
    return dataset_rows.owned(SavedView, dataset.id, view_id)


def delete(dataset: Dataset, view_id: int) -> str:
    """Delete the view; what it was, for the audit log."""
    return dataset_rows.delete(SavedView, dataset.id, view_id, described_view)


def args_of(view: SavedView) -> dict[str, str]:
    return dict(parse_qsl(view.query))


def described_view(view: SavedView) -> str:
    return f"view {view.id} ({view.name!r}: {view.query}) of dataset {view.dataset_id}"
