"""Datasets side by side: two to eight of a team's datasets under the same dates and search,
each counted as its dashboard counts it, with the shares that stand out beyond chance."""

import pytest

from emolytics.pipeline.side_by_side import _standing
from tests.web.api_calls import call
from tests.web.uploads import upload

ANGRY = (
    "text,created_at\n"
    + "".join(
        f'"I am furious, this is outrageous and I hate it",2026-03-{day:02d}T10:00:00Z\n'
        for day in range(1, 31)
    )
    + '"What a lovely day, I love it",2026-03-02T11:00:00Z\n'
)
HAPPY = (
    "text,created_at\n"
    + "".join(
        f'"What a lovely day, I love it",2026-03-{day:02d}T10:00:00Z\n' for day in range(1, 31)
    )
    + '"I am furious, this is outrageous and I hate it",2026-03-02T11:00:00Z\n'
)


def two(auth) -> tuple[int, int]:
    auth.login()
    ids = []
    for name, content in (("Brand A", ANGRY), ("Brand B", HAPPY)):
        response = upload(auth, content, f"{name}.csv", name=name)
        assert response.status_code == 302, response.get_data(as_text=True)
        ids.append(int(response.location.rsplit("/", 1)[1]))
    return ids[0], ids[1]


def test_two_datasets_side_by_side_with_the_shares_that_stand_out(client, auth):
    first, second = two(auth)
    home = client.get("/dashboard").text
    assert 'href="/datasets/side-by-side" data-role="side-by-side"' in home
    page = client.get(f"/datasets/side-by-side?ids={first}&ids={second}")
    assert page.status_code == 200
    rows = page.text.split('<tr data-dataset-id="')[1:]
    assert [row.split('"', 1)[0] for row in rows] == [str(first), str(second)]
    assert ">Brand A</a></td>\n        <td>31</td>" in rows[0]
    assert 'data-standing="higher"' in rows[0] and "96.8 % ▲" in rows[0]  # 30 of 31 angry
    assert 'data-standing="lower"' in rows[1] and "3.2 % ▼" in rows[1]
    assert f'value="{first}" checked' in page.text and f'value="{second}" checked' in page.text
    # the same dates for both: one day, where each has a text of each kind
    day = client.get(f"/datasets/side-by-side?ids={first},{second}&start=2026-03-02&end=2026-03-02")
    assert ">Brand A</a></td>\n        <td>2</td>" in day.text
    assert 'data-standing="' not in day.text  # two texts each: nothing beyond chance
    assert f'href="/datasets/{first}?start=2026-03-02&amp;end=2026-03-02"' in day.text
    searched = client.get(f"/datasets/side-by-side?ids={first},{second}&q=lovely").text
    assert ">Brand A</a></td>\n        <td>1</td>" in searched
    assert ">Brand B</a></td>\n        <td>30</td>" in searched


def test_the_api_puts_them_side_by_side_alike(client, auth, api):
    first, second = two(auth)
    answer = call(api, "GET", f"/api/v1/datasets/side-by-side?ids={second},{first}&label=joy")
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert [column["id"] for column in body["datasets"]] == [second, first]
    happy, angry = body["datasets"]
    assert happy["name"] == "Brand B" and happy["texts"] == 31
    assert angry["counts"]["anger"] == 30 and angry["shares"]["anger"] == pytest.approx(30 / 31)
    assert angry["standing"]["anger"] == "higher" and happy["standing"]["anger"] == "lower"
    assert angry["valence"] < 0 < happy["valence"]
    assert body["filters"] == {} and "anger" in body["labels"]


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        ("{first}", "Choose from 2 to 8 datasets"),
        ("{first},{first}", "Each dataset may be chosen once."),
        ("{first},x", "ids are dataset numbers, not “x”."),
    ],
)
def test_a_choice_that_cannot_be_put_side_by_side_is_refused(client, auth, api, ids, message):
    first, second = two(auth)
    asked = ids.format(first=first)
    page = client.get(f"/datasets/side-by-side?ids={asked}")
    assert page.status_code == 400 and message in page.text
    answer = call(api, "GET", f"/api/v1/datasets/side-by-side?ids={asked}")
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_ids"
    assert message in answer.json["error"]["message"]


def test_too_many_and_reversed_dates_are_refused(client, auth, api):
    first, second = two(auth)
    many = ",".join([str(first), str(second), *map(str, range(900, 907))])
    assert call(api, "GET", f"/api/v1/datasets/side-by-side?ids={many}").status_code == 400
    reversed_dates = f"ids={first},{second}&start=2026-03-05&end=2026-03-01"
    page = client.get(f"/datasets/side-by-side?{reversed_dates}")
    assert page.status_code == 400 and "before the start date" in page.text
    answer = call(api, "GET", f"/api/v1/datasets/side-by-side?{reversed_dates}")
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_date"


def test_another_teams_dataset_is_not_found(client, auth, api):
    first, _ = two(auth)
    auth.logout()
    auth.register("zoe")
    theirs = upload(auth, HAPPY, "z.csv", name="Zoe's")
    zoe_id = int(theirs.location.rsplit("/", 1)[1])
    assert client.get(f"/datasets/side-by-side?ids={first},{zoe_id}").status_code == 404
    assert client.get("/datasets/side-by-side").status_code == 200  # the choice alone
    answer = call(api, "GET", f"/api/v1/datasets/side-by-side?ids={first},{zoe_id}")
    assert answer.status_code == 404


def test_a_share_is_compared_only_with_the_datasets_whose_model_has_its_label():
    emotions = {"anger": 90, "joy": 10}
    other_emotions = {"anger": 10, "joy": 90}
    verdicts = {"negative": 90, "positive": 10}  # a trained model's labels
    standing = _standing(
        ["anger", "joy", "negative", "positive"], [emotions, other_emotions, verdicts]
    )
    assert standing[0] == {"anger": "higher", "joy": "lower"}
    assert standing[1] == {"anger": "lower", "joy": "higher"}
    assert standing[2] == {}  # no other dataset has its labels, nor it theirs
