"""Each page offers a member only what their role may do: every link and form on the team's
pages, seen as a viewer and as an analyst, leads to an endpoint the role is allowed (by the
table of `access_table.py`), so nobody is shown a button that answers 403."""

import re
from io import BytesIO

import pytest
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from emolytics.accounts import registration, tokens
from emolytics.extensions import db
from emolytics.tables import Role, TextRow
from tests.conftest import ApiClient
from tests.web.access_table import ACCESS
from tests.web.api_calls import LABELED_CSV, call
from tests.web.research_team import _dataset
from tests.web.teams_world import build_world, signed_in

LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"]*)"')
FORM = re.compile(r"<form\b([^>]*)>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def offered(page: str, url: str) -> set[tuple[str, str]]:
    """The (method, path) of every link and form on `page` (served at `url`)."""
    found = {("GET", href.split("?")[0].split("#")[0]) for href in LINK.findall(page)}
    for attributes in FORM.findall(page):
        form = dict(ATTRIBUTE.findall(attributes))
        method = form.get("method", "get").upper()
        found.add((method, form.get("action", url).split("?")[0]))
    return found


def refused(app, actions: set[tuple[str, str]], role: Role) -> list[str]:
    """The actions whose endpoint needs more than `role`."""
    adapter = app.url_map.bind("localhost")
    above = []
    for method, path in sorted(actions):
        try:
            endpoint, _ = adapter.match(path.replace("&amp;", "&"), method=method)
        except HTTPException:
            continue  # not ours (a static file's query, an external link)
        needed = ACCESS[endpoint]
        if isinstance(needed, Role) and needed > role:
            above.append(f"{method} {path} ({endpoint} needs {needed.label})")
    return above


@pytest.mark.parametrize(("username", "role"), [("dan", Role.VIEWER), ("cleo", Role.ANALYST)])
def test_no_page_offers_an_action_the_role_may_not_take(app, username, role):
    world = build_world(app)
    with app.app_context():
        dataset_id = _dataset(world.team_id, "Care texts")
        text_id = db.session.scalar(select(TextRow.id).where(TextRow.dataset_id == dataset_id))
        analyst = registration.find_user("cleo")
        secret = tokens.create_token(analyst, "care", team_id=world.team_id).secret
    api = ApiClient(app.test_client(), secret)
    training = {"name": "Mood", "file": (BytesIO(LABELED_CSV.encode()), "labeled.csv")}
    model = call(api, "POST", "/api/v1/models", data=training)
    rule = {"metric": "volume", "window_minutes": 60}
    made = call(api, "POST", f"/api/v1/datasets/{dataset_id}/alert-rules", json=rule)
    assert (model.status_code, made.status_code) == (202, 201)  # trained inline
    model_id = model.json["id"]
    auth = signed_in(world, username)
    auth.post("/teams/switch", {"team_id": str(world.team_id)}, "/dashboard")
    pages = [
        "/dashboard",
        f"/datasets/{dataset_id}",
        f"/datasets/{dataset_id}/texts",
        f"/datasets/{dataset_id}/texts/{text_id}",
        f"/datasets/{dataset_id}/review",
        "/models",
        f"/models/{model_id}",
        "/alerts",
        f"/alerts/datasets/{dataset_id}",
        "/teams",
        f"/teams/{world.team_id}",
    ]
    above = []
    for url in pages:
        response = auth.client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        above += [f"{url}: {action}" for action in refused(app, offered(page, url), role)]
    assert above == [], "\n".join(above)


def test_the_check_sees_a_refused_action(app):
    """It cannot pass for want of looking: a form to delete is found and judged."""
    page = '<form method="post" action="/models/7/delete"></form><a href="/models">Models</a>'
    actions = offered(page, "/models")
    assert actions == {("POST", "/models/7/delete"), ("GET", "/models")}
    assert refused(app, actions, Role.VIEWER) == [
        "POST /models/7/delete (models.delete needs analyst)"
    ]
    assert refused(app, actions, Role.ANALYST) == []
