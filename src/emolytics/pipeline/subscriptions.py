"""A dataset's subscriptions to RSS and Atom feeds (a subreddit's, a hashtag's on Mastodon, an
app's reviews, a news alert): read when subscribed and then every few minutes, each entry not
read before becoming a text of the dataset, analysed at once as the live feed's are.

Subscribing reads the feed first, so that a wrong address is refused at once with the reason
and nothing is kept; the entries it has then are the dataset's first texts. A later read that
fails is kept with its reason on the subscription and tried again at the next read. The entries
a read adds and the keys that mark them read are stored in one transaction, so an entry is
never added twice nor lost.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from emolytics import outbound
from emolytics.extensions import db
from emolytics.pipeline import dataset_rows, feed_entries, pushes
from emolytics.pipeline.datasets import DatasetNotFound
from emolytics.pipeline.feed_entries import Feed, FeedUnread
from emolytics.pipeline.quotas import QuotaExceeded
from emolytics.tables import Dataset, Subscription, SubscriptionEntry, utcnow
from emolytics.wording import plural

MAX_SUBSCRIPTIONS = 20  # per dataset
READS_PER_RUN = 50  # of the periodic task: the longest unread first, the others at its next run


class SubscriptionRefused(ValueError):
    """A feed that cannot be subscribed to, and why (a 422 in the API, the form's error)."""


@dataclass(frozen=True)
class Read:
    subscription: Subscription
    added: int  # texts added by this read


def listed(dataset: Dataset) -> list[Subscription]:
    return every(dataset.id)


def every(dataset_id: int | None = None) -> list[Subscription]:
    """Every subscription (of the dataset), in the order they were made."""
    statement = select(Subscription).order_by(Subscription.id)
    if dataset_id is not None:
        statement = statement.where(Subscription.dataset_id == dataset_id)
    return list(db.session.scalars(statement))


def subscribe(dataset: Dataset, url: str, user_id: int) -> Read:
    """Subscribe the dataset to the feed at `url` (trimmed) and add its entries; refused for a
    URL the server may not ask, a feed it cannot read, one the dataset has, or past
    MAX_SUBSCRIPTIONS."""
    url = url.strip()
    taken = {subscription.url for subscription in listed(dataset)}
    if url in taken:
        raise SubscriptionRefused("The dataset is subscribed to that feed already.")
    if len(taken) >= MAX_SUBSCRIPTIONS:
        raise SubscriptionRefused(
            f"A dataset has {MAX_SUBSCRIPTIONS} subscriptions at most: end one first."
        )
    try:
        feed = feed_entries.read(url, _allow_private())
    except outbound.Refused as error:
        raise SubscriptionRefused(str(error)) from error
    except FeedUnread as error:
        raise SubscriptionRefused(f"The feed could not be read: {error}.") from error
    subscription = Subscription(dataset_id=dataset.id, url=url, user_id=user_id, added=0)
    try:
        added = _store(dataset, subscription, feed, utcnow())
    except QuotaExceeded as error:
        raise SubscriptionRefused(str(error)) from error
    except IntegrityError:  # a colleague subscribed to it a moment ago
        raise SubscriptionRefused("The dataset is subscribed to that feed already.") from None
    return Read(subscription, added)


def read(subscription: Subscription, now: datetime | None = None) -> Read:
    """Read the feed again and add its new entries; a failure is kept on the subscription."""
    now = now or utcnow()
    dataset = db.session.get(Dataset, subscription.dataset_id)
    if dataset is None:  # deleted since the subscriptions due were listed: it went with it
        return Read(subscription, 0)
    try:
        feed = feed_entries.read(
            subscription.url, _allow_private(), subscription.etag, subscription.modified, now
        )
        return Read(subscription, _store(dataset, subscription, feed, now))
    except (IntegrityError, DatasetNotFound):  # read at the same moment elsewhere; or deleted
        db.session.rollback()
        return Read(subscription, 0)
    except (outbound.Refused, FeedUnread, QuotaExceeded) as error:
        db.session.rollback()
        subscription.read_at, subscription.problem = now, str(error)[:300]
        db.session.commit()
        return Read(subscription, 0)


def read_due(now: datetime | None = None) -> str:
    """The periodic task: read the subscriptions not read for SUBSCRIPTION_MINUTES (the
    longest unread first, READS_PER_RUN at most); a line for the scheduler's record."""
    now = now or utcnow()
    since = now - timedelta(minutes=current_app.config["SUBSCRIPTION_MINUTES"])
    due = db.session.scalars(
        select(Subscription)
        .where(or_(Subscription.read_at.is_(None), Subscription.read_at <= since))
        .order_by(Subscription.read_at.nulls_first(), Subscription.id)
        .limit(READS_PER_RUN)
    ).all()
    reads = [read(subscription, now) for subscription in due]
    failed = sum(1 for done in reads if done.subscription.problem)
    added = sum(done.added for done in reads)
    return f"{plural(len(reads), 'feed')} read ({failed:,} failed), {plural(added, 'text')} added"


def owned(dataset: Dataset, subscription_id: int) -> Subscription:
    return dataset_rows.owned(Subscription, dataset.id, subscription_id)


def unsubscribe(dataset: Dataset, subscription_id: int) -> str:
    """End the subscription (the texts it added stay); what it was, for the audit log."""
    return dataset_rows.delete(Subscription, dataset.id, subscription_id, described)


def described(subscription: Subscription) -> str:
    return (
        f"subscription {subscription.id} ({subscription.url}) of dataset {subscription.dataset_id}"
    )


def _store(dataset: Dataset, subscription: Subscription, feed: Feed, now: datetime) -> int:
    """Add the feed's entries not read before, and mark them read, with the subscription's
    news, in one transaction; how many were added."""
    seen = set()
    if subscription.id is not None and feed.entries:
        seen = set(
            db.session.scalars(
                select(SubscriptionEntry.key).where(
                    SubscriptionEntry.subscription_id == subscription.id,
                    SubscriptionEntry.key.in_([entry.key for entry in feed.entries]),
                )
            )
        )
    new = {entry.key: entry for entry in feed.entries if entry.key not in seen}

    def record() -> None:
        subscription.read_at, subscription.problem = now, None
        if not feed.unchanged:
            subscription.title = feed.title
            subscription.etag, subscription.modified = feed.etag, feed.modified
        subscription.added += len(new)
        db.session.add(subscription)
        db.session.flush()
        db.session.add_all(
            SubscriptionEntry(subscription_id=subscription.id, key=key) for key in new
        )

    if not new:
        record()
        db.session.commit()
        return 0
    pushes.push(dataset, [entry.text for entry in new.values()], record)
    return len(new)


def _allow_private() -> bool:
    return current_app.config["SUBSCRIPTIONS_ALLOW_PRIVATE"]
