"""Subscriptions to RSS and Atom feeds: read when subscribed and then on schedule, each entry a
text once, analysed; refused with the reason when the feed cannot be read; a failing read kept
with its reason; ended, the texts stay."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import datasets, feed_entries, jobs, subscriptions
from emolytics.pipeline.subscriptions import SubscriptionRefused
from emolytics.tables import Result, Subscription, SubscriptionEntry, TextRow, utcnow
from tests.conftest import team_of
from tests.feed_server import rss

FIRST = (
    ("tag:1", "Tram strike", "<p>Commuters are <b>furious</b> about the strike.</p>"),
    ("tag:2", "New line opens", "<p>Riders love the new line &amp; its trams.</p>"),
)
LATER = (("tag:3", "Night trams", "I am scared to ride the night tram alone."),)


def _texts(dataset_id: int) -> list[TextRow]:
    return list(
        db.session.scalars(
            select(TextRow).where(TextRow.dataset_id == dataset_id).order_by(TextRow.line)
        )
    )


def _feed(name: str = "News") -> int:
    return datasets.create_feed(team_of("ada"), name).id


def _dataset(dataset_id: int):
    return datasets.owned(team_of("ada"), dataset_id)


def test_subscribing_adds_the_feeds_entries_as_analysed_texts(app, feeds):
    url = feeds.serve("/news.rss", rss(*FIRST))
    with app.app_context():
        dataset_id = _feed()
        done = subscriptions.subscribe(_dataset(dataset_id), url, user_id=1)
        assert done.added == 2 and done.subscription.title == "Tram news"
        texts = _texts(dataset_id)
        assert [text.text for text in texts] == [
            "Tram strike\nCommuters are furious about the strike.",
            "New line opens\nRiders love the new line & its trams.",
        ]
        assert texts[0].posted_at.isoformat() == "2026-03-01T08:00:00+00:00"
        assert texts[0].author == "desk@example.com (News desk)"
        analysed = db.session.scalar(select(func.count()).select_from(Result))
        assert analysed == 2  # a first analysis of the new feed's texts


def test_a_read_adds_only_the_entries_not_read_before(app, feeds):
    url = feeds.serve("/news.rss", rss(*FIRST))
    with app.app_context():
        dataset_id = _feed()
        subscription = subscriptions.subscribe(_dataset(dataset_id), url, user_id=1).subscription
        assert subscriptions.read(subscription).added == 0  # unchanged: the server said 304
        assert feeds.requests[-1]["If-None-Match"] == feeds.etag
        feeds.serve("/news.rss", rss(*LATER, *FIRST))  # newest first, as feeds list them
        assert subscriptions.read(subscription).added == 1
        assert [text.text for text in _texts(dataset_id)][-1].startswith("Night trams")
        assert subscription.added == 3 and subscription.problem is None
        keys = select(func.count()).select_from(SubscriptionEntry)
        assert db.session.scalar(keys) == 3


def test_a_failing_read_keeps_its_reason_and_the_next_one_recovers(app, feeds):
    url = feeds.serve("/news.rss", rss(*FIRST))
    with app.app_context():
        dataset_id = _feed()
        subscription = subscriptions.subscribe(_dataset(dataset_id), url, user_id=1).subscription
        feeds.serve("/news.rss", b"busy", status=503)
        assert subscriptions.read(subscription).added == 0
        assert subscription.problem == "the feed's server answered 503"
        feeds.serve("/news.rss", rss(*LATER, *FIRST))
        assert subscriptions.read(subscription).added == 1
        assert subscription.problem is None and len(_texts(dataset_id)) == 3


@pytest.mark.parametrize(
    ("path", "body", "status", "reason"),
    [
        ("/gone.rss", b"", 404, "the feed's server answered 404"),
        ("/page.html", b"<html><body>Hello</body></html>", 200, "gives no RSS or Atom feed"),
        ("/loop", b"/loop", 302, "redirected more than 3 times"),
    ],
)
def test_a_feed_that_cannot_be_read_is_refused_and_nothing_is_kept(
    app, feeds, path, body, status, reason
):
    url = feeds.serve(path, body, status)
    with app.app_context():
        dataset_id = _feed()
        with pytest.raises(SubscriptionRefused, match=reason):
            subscriptions.subscribe(_dataset(dataset_id), url, user_id=1)
        assert db.session.scalar(select(func.count()).select_from(Subscription)) == 0
        assert _texts(dataset_id) == []


def test_a_feed_too_slow_to_answer_is_refused(app, feeds, monkeypatch):
    url = feeds.serve("/news.rss", rss(*FIRST))
    feeds.delay = 1.0
    monkeypatch.setattr(feed_entries, "TIMEOUT_SECONDS", 0.3)
    with app.app_context():
        with pytest.raises(SubscriptionRefused, match="did not answer in time"):
            subscriptions.subscribe(_dataset(_feed()), url, user_id=1)


def test_a_feed_larger_than_the_cap_is_refused(app, feeds, monkeypatch):
    url = feeds.serve("/news.rss", rss(*FIRST))
    monkeypatch.setattr(feed_entries, "MAX_FEED_BYTES", 100)
    with app.app_context():
        with pytest.raises(SubscriptionRefused, match="larger than"):
            subscriptions.subscribe(_dataset(_feed()), url, user_id=1)


def test_an_inside_address_is_refused_unless_allowed(app, feeds):
    url = feeds.serve("/news.rss", rss(*FIRST))
    app.config["SUBSCRIPTIONS_ALLOW_PRIVATE"] = False
    with app.app_context():
        with pytest.raises(SubscriptionRefused, match="public addresses only"):
            subscriptions.subscribe(_dataset(_feed()), url, user_id=1)


def test_a_redirect_is_followed_and_the_same_feed_is_not_subscribed_twice(app, feeds):
    url = feeds.serve("/news.rss", rss(*FIRST))
    moved = feeds.serve("/old.rss", url.encode(), status=301)
    with app.app_context():
        dataset = _dataset(_feed())
        assert subscriptions.subscribe(dataset, moved, user_id=1).added == 2
        with pytest.raises(SubscriptionRefused, match="subscribed to that feed already"):
            subscriptions.subscribe(dataset, f"  {moved} ", user_id=1)


def test_the_schedule_reads_the_subscriptions_due(app, feeds):
    url = feeds.serve("/news.rss", rss(*FIRST))
    with app.app_context():
        dataset_id = _feed()
        subscriptions.subscribe(_dataset(dataset_id), url, user_id=1)
        feeds.serve("/news.rss", rss(*LATER, *FIRST))
        assert subscriptions.read_due() == "0 feeds read (0 failed), 0 texts added"  # read just now
        later = utcnow() + timedelta(minutes=app.config["SUBSCRIPTION_MINUTES"])
        assert subscriptions.read_due(later) == "1 feed read (0 failed), 1 text added"
        assert len(_texts(dataset_id)) == 3


def test_ending_a_subscription_keeps_its_texts_and_deleting_the_dataset_ends_it(app, feeds):
    url = feeds.serve("/news.rss", rss(*FIRST))
    with app.app_context():
        dataset_id = _feed()
        dataset = _dataset(dataset_id)
        subscription_id = subscriptions.subscribe(dataset, url, user_id=1).subscription.id
        said = subscriptions.unsubscribe(dataset, subscription_id)
        assert said == f"subscription {subscription_id} ({url}) of dataset {dataset_id}"
        assert len(_texts(dataset_id)) == 2
        subscriptions.subscribe(dataset, url, user_id=1)
        jobs.delete_dataset(dataset)
        assert db.session.scalar(select(func.count()).select_from(Subscription)) == 0
        assert db.session.scalar(select(func.count()).select_from(SubscriptionEntry)) == 0


def test_the_command_line_reads_every_feed_now_and_says_what_each_added(app, feeds, runner):
    url = feeds.serve("/news.rss", rss(*FIRST))
    with app.app_context():
        dataset_id = _feed()
        subscription_id = subscriptions.subscribe(_dataset(dataset_id), url, 1).subscription.id
    feeds.serve("/news.rss", rss(*LATER, *FIRST))
    result = runner.invoke(["subscriptions", "read", "--dataset", str(dataset_id)])
    assert result.exit_code == 0, result.output
    line = f"[1/1] subscription {subscription_id} (dataset {dataset_id}) {url}: 1 text added"
    assert line in result.output and "Read 1 feed: 0 failed." in result.output
    feeds.serve("/news.rss", b"", status=410)
    failed = runner.invoke(["subscriptions", "read"])
    assert failed.exit_code == 1
    assert f"{url}: failed: the feed's server answered 410" in failed.output
    missing = runner.invoke(["subscriptions", "read", "--dataset", "999"])
    assert missing.exit_code == 1 and "No dataset 999." in missing.output
    bad = runner.invoke(["subscriptions", "read", "--dataset", "none"])
    assert bad.exit_code == 2 and "is not a valid integer" in bad.output
