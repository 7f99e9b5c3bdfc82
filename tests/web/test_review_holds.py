"""Several reviewers on one queue: each page holds its text from the others, a hold lapses, and
a label never overwrites one a colleague set meanwhile."""

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from emolytics.accounts import registration
from emolytics.extensions import db
from emolytics.pipeline import jobs, review, review_holds, review_progress
from emolytics.tables import Correction, Dataset, ReviewHold, User, utcnow
from tests.conftest import PASSWORD, AuthActions, join_team, team_of
from tests.web.api_calls import call
from tests.web.review_texts import _dataset, _post, _shown


def _member(app: Flask, username: str, role: str) -> AuthActions:
    """A member of ada's team with `role`, signed in and working in it."""
    with app.app_context():
        registration.register(username, PASSWORD)
        join_team(team_of("ada"), username, role)
        team_id = team_of("ada")
    actions = AuthActions(app.test_client())
    actions.login(username)
    actions.client.get("/dashboard", query_string={"team": team_id})
    return actions


@pytest.fixture
def vera(app: Flask) -> AuthActions:
    """A second reviewer: an analyst of ada's team."""
    return _member(app, "vera", "analyst")


def _queue(app: Flask, dataset_id: int) -> list[int]:
    with app.app_context():
        return [item.text_id for item in review.queue(db.session.get(Dataset, dataset_id), 16)]


def _lapse(app: Flask, username: str) -> None:
    """Let `username`'s holds run out, as HOLD after their page was shown would."""
    with app.app_context():
        user_id = registration.find_user(username).id
        past = utcnow() - timedelta(seconds=1)
        db.session.execute(
            update(ReviewHold).where(ReviewHold.user_id == user_id).values(until=past)
        )
        db.session.commit()


def _holds(app: Flask) -> dict[int, str]:
    """Each text held, and by whom."""
    with app.app_context():
        rows = db.session.execute(
            select(ReviewHold.text_id, User.username).join(User, User.id == ReviewHold.user_id)
        ).all()
        return dict(rows)


def test_two_reviewers_are_shown_different_texts(app, auth, vera):
    dataset_id = _dataset(app)
    order = _queue(app, dataset_id)
    url = f"/datasets/{dataset_id}/review"
    auth.login()
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page)[0] == order[0] and 'data-role="others"' not in page

    theirs = vera.client.get(url).get_data(as_text=True)
    assert _shown(theirs)[0] == order[1]  # ada has the first one open
    assert "1 other reviewer has texts of this dataset open" in theirs
    assert _holds(app) == {order[0]: "ada", order[1]: "vera"}

    _post(auth, url, page, label="anger")
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page)[0] == order[2]  # not vera's
    assert _holds(app) == {order[2]: "ada", order[1]: "vera"}  # ada's hold moved on
    _post(vera, url, theirs, label="fear")
    with app.app_context():
        labels = db.session.execute(select(Correction.text_id, Correction.label)).all()
    assert sorted(labels) == sorted([(order[0], "anger"), (order[1], "fear")])


def test_a_hold_lapses(app, auth, vera):
    dataset_id = _dataset(app)
    order = _queue(app, dataset_id)
    url = f"/datasets/{dataset_id}/review"
    assert _shown(vera.client.get(url).get_data(as_text=True))[0] == order[0]
    _lapse(app, "vera")  # vera left her page open, or closed it
    auth.login()
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page)[0] == order[0] and 'data-role="others"' not in page
    assert _holds(app) == {order[0]: "ada"}


@pytest.mark.parametrize(
    ("hers", "message"),
    [
        ("fear", "ada labelled this text joy while you had it open: your label (fear) was not"),
        ("joy", "ada labelled this text joy too, while you had it open."),
    ],
)
def test_a_label_never_overwrites_a_colleagues(app, auth, vera, hers, message):
    dataset_id = _dataset(app)
    url = f"/datasets/{dataset_id}/review"
    theirs = vera.client.get(url).get_data(as_text=True)
    text_id, _ = _shown(theirs)
    _lapse(app, "vera")
    auth.login()
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page)[0] == text_id
    _post(auth, url, page, label="joy")

    _post(vera, url, theirs, label=hers)  # her page was still open
    after = vera.client.get(url).get_data(as_text=True)
    assert message in after
    assert "Undo the last label" not in after  # nothing of hers to undo
    assert _shown(after)[0] != text_id
    with app.app_context():
        correction = db.session.get(Correction, (dataset_id, text_id))
        assert correction.label == "joy"
        assert correction.user_id == registration.find_user("ada").id
        assert review_progress.progress(db.session.get(Dataset, dataset_id)).reviewed == 1


def test_a_viewer_holds_nothing(app, auth):
    dataset_id = _dataset(app)
    order = _queue(app, dataset_id)
    viewer = _member(app, "val", "viewer")
    url = f"/datasets/{dataset_id}/review"
    page = viewer.client.get(url).get_data(as_text=True)
    assert _shown(page)[0] == order[0]
    assert _holds(app) == {}
    auth.login()
    assert _shown(auth.client.get(url).get_data(as_text=True))[0] == order[0]


def test_nothing_left_but_texts_open_elsewhere(app, auth, vera):
    dataset_id = _dataset(app, ["I love the tram", "The tram is late, I am furious"])
    url = f"/datasets/{dataset_id}/review"
    auth.login()
    page = auth.client.get(url).get_data(as_text=True)
    theirs = vera.client.get(url).get_data(as_text=True)
    assert _shown(page)[0] != _shown(theirs)[0]
    _post(auth, url, page, label="joy")
    page = auth.client.get(url).get_data(as_text=True)
    assert "data-text-id" not in page
    assert "Nothing left for you: the texts still to review are open on other reviewers'" in page
    assert list(_holds(app).values()) == ["vera"]  # ada's hold ended with her queue

    _post(vera, url, theirs, label="anger")
    page = auth.client.get(url).get_data(as_text=True)
    assert "Nothing left to review: every text" in page
    assert _holds(app) == {}


def test_the_api_leaves_out_texts_open_elsewhere(app, api, vera):
    dataset_id = _dataset(app)
    order = _queue(app, dataset_id)
    vera.client.get(f"/datasets/{dataset_id}/review")
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit=3").json
    assert [item["id"] for item in answer["items"]][:2] == [order[1], order[2]]
    assert _holds(app) == {order[0]: "vera"}  # the API holds nothing
    _lapse(app, "vera")
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit=1").json
    assert [item["id"] for item in answer["items"]] == [order[0]]


def test_a_text_held_by_another_reviewer_cannot_be_claimed(app, vera):
    dataset_id = _dataset(app)
    with app.app_context():
        ada, val = registration.find_user("ada").id, registration.find_user("vera").id
        now = utcnow()
        assert review_holds.claim(dataset_id, 7, val, now)
        assert not review_holds.claim(dataset_id, 7, ada, now)
        assert review_holds.claim(dataset_id, 7, val, now)  # her own: renewed
        later = now + review_holds.HOLD
        assert review_holds.claim(dataset_id, 7, ada, later)  # hers lapsed
        db.session.commit()
    assert _holds(app) == {7: "ada"}


def test_holds_go_with_the_dataset(app, auth, vera):
    dataset_id = _dataset(app)
    vera.client.get(f"/datasets/{dataset_id}/review")
    assert len(_holds(app)) == 1
    with app.app_context():
        jobs.delete_dataset(db.session.get(Dataset, dataset_id))
        assert db.session.scalar(select(func.count()).select_from(ReviewHold)) == 0
