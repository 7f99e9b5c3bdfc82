"""Subscriptions on the dataset's page and through the API: subscribed with the first read's
texts, listed with what each read added or why it failed, ended when asked twice; refused with
the reason; another team's are not found."""

from html import unescape

from sqlalchemy import func, select

from emolytics.extensions import db
from emolytics.pipeline import datasets, subscriptions
from emolytics.tables import Subscription, TextRow
from tests.conftest import team_of
from tests.feed_server import rss
from tests.web.api_calls import call, error_code, new_feed
from tests.web.audit_rows import events

ITEMS = (
    ("tag:1", "Tram strike", "Commuters are furious about the strike."),
    ("tag:2", "New line opens", "Riders love the new line."),
)


def _page(auth, dataset_id: int) -> str:
    response = auth.client.get(f"/datasets/{dataset_id}")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def _subscribe(auth, dataset_id: int, url: str):
    return auth.post(
        f"/datasets/{dataset_id}/subscriptions", {"url": url}, f"/datasets/{dataset_id}"
    )


def _count(app, table) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(table))


def _feed(app) -> int:
    with app.app_context():
        return datasets.create_feed(team_of("ada"), "News").id


def test_an_analyst_subscribes_on_the_page_and_ends_it_when_asked_twice(app, auth, feeds):
    auth.login()
    dataset_id = _feed(app)
    assert "Subscribe to an RSS or Atom feed" in _page(auth, dataset_id)
    url = feeds.serve("/news.rss", rss(*ITEMS))
    response = _subscribe(auth, dataset_id, url)
    assert response.location == f"/datasets/{dataset_id}"
    page = _page(auth, dataset_id)
    assert "Subscribed to “Tram news”: 2 texts added." in page
    assert f'<a href="{url}" rel="noopener noreferrer">Tram news</a>' in page
    assert "· 2 texts added · read " in page
    assert _count(app, TextRow) == 2
    [added] = events(app, "subscription.added")
    assert url in added["target"]

    with app.app_context():
        subscription_id = db.session.scalar(select(Subscription.id))
    end = f"/datasets/{dataset_id}/subscriptions/{subscription_id}/end"
    assert "End the subscription to “Tram news”?" in unescape(auth.client.get(end).text)
    assert _count(app, Subscription) == 1
    assert auth.post(end, {}, token_from=end).status_code == 302
    assert "Ended the subscription to “Tram news”." in _page(auth, dataset_id)
    assert _count(app, Subscription) == 0 and _count(app, TextRow) == 2  # its texts stay
    assert len(events(app, "subscription.ended")) == 1


def test_a_feed_that_cannot_be_read_is_refused_on_the_page_with_the_reason(app, auth, feeds):
    auth.login()
    dataset_id = _feed(app)
    _subscribe(auth, dataset_id, feeds.serve("/page.html", b"<html><p>Hi</p></html>"))
    page = _page(auth, dataset_id)
    assert "Not subscribed: The feed could not be read: that address gives no RSS or Atom " in page
    _subscribe(auth, dataset_id, "ftp://example.com/news.rss")
    assert "Not subscribed: A feed URL starts with https:// (or http://) and a host name." in (
        _page(auth, dataset_id)
    )
    assert _count(app, Subscription) == 0 and _count(app, TextRow) == 0
    unchecked = auth.client.post(f"/datasets/{dataset_id}/subscriptions", data={"url": "x"})
    assert unchecked.status_code == 400  # no CSRF token: refused before anything is read


def test_a_failed_read_shows_why_on_the_page(app, auth, feeds):
    auth.login()
    dataset_id = _feed(app)
    url = feeds.serve("/news.rss", rss(*ITEMS))
    _subscribe(auth, dataset_id, url)
    feeds.serve("/news.rss", b"", status=500)
    with app.app_context():
        subscriptions.read(db.session.scalar(select(Subscription)))
    page = _page(auth, dataset_id)
    assert "The last read failed: the feed's server answered 500." in page


def test_the_api_subscribes_lists_and_ends(app, api, feeds):
    dataset = new_feed(api)
    base = f"/api/v1/datasets/{dataset['id']}/subscriptions"
    url = feeds.serve("/news.rss", rss(*ITEMS))
    created = call(api, "POST", base, json={"url": url})
    assert created.status_code == 201 and created.headers["Location"] == base
    answer = created.json
    assert (answer["url"], answer["title"], answer["added"]) == (url, "Tram news", 2)
    assert answer["problem"] is None and answer["read_at"]
    assert call(api, "GET", base).json == {"subscriptions": [answer]}
    texts = call(api, "GET", f"/api/v1/datasets/{dataset['id']}/texts").json["texts"]
    assert len(texts) == 2 and all(text["label"] for text in texts)  # analysed at once

    again = call(api, "POST", base, json={"url": url})
    assert again.status_code == 422 and error_code(again) == "subscription_refused"
    assert "subscribed to that feed already" in again.json["error"]["message"]
    assert error_code(call(api, "POST", base, json={"url": 5})) == "invalid_url"
    assert error_code(call(api, "POST", base, json={"url": url, "every": 5})) == "unknown_field"

    ended = call(api, "DELETE", f"{base}/{answer['id']}")
    assert ended.status_code == 204
    assert call(api, "GET", base).json == {"subscriptions": []}
    assert call(api, "DELETE", f"{base}/{answer['id']}").status_code == 404


def test_another_teams_subscriptions_are_not_found(app, api, auth, feeds):
    url = feeds.serve("/news.rss", rss(*ITEMS))
    dataset = new_feed(api)
    base = f"/api/v1/datasets/{dataset['id']}/subscriptions"
    subscription_id = call(api, "POST", base, json={"url": url}).json["id"]
    auth.register("mallory")
    theirs = _feed_of(app, "mallory")
    mine = f"/datasets/{dataset['id']}"
    assert auth.client.get(mine).status_code == 404
    assert auth.client.get(f"{mine}/subscriptions/{subscription_id}/end").status_code == 404
    stranger = f"/datasets/{theirs}/subscriptions/{subscription_id}/end"
    assert auth.client.get(stranger).status_code == 404  # their dataset, not their subscription
    assert _count(app, Subscription) == 1


def _feed_of(app, username: str) -> int:
    with app.app_context():
        return datasets.create_feed(team_of(username), "Theirs").id
