"""The review queue: the least sure texts first with a random one in every four, on the page
(labels, skip, undo, number keys) and in the API, with the review's progress and the model's
agreement with the reviewers (a Wilson interval on the random ones)."""

import json
import re
from io import BytesIO

import pytest
from flask import Flask
from sqlalchemy import select

from emolytics.accounts import registration
from emolytics.engine import EMOTIONS
from emolytics.extensions import db
from emolytics.pipeline import corrections, datasets, intake, review, review_order
from emolytics.pipeline.datasets import Upload
from emolytics.tables import NOT_SCORED, Correction, CorrectionSource, Dataset, Result
from tests.conftest import PASSWORD, AuthActions, csrf_token, join_team, team_of
from tests.web.api_calls import call, push

WORDS = ["love", "hate", "late", "scared", "happy", "sad", "angry", "wow", "fine", "great"]
WORDS += ["awful", "okay", "brilliant", "terrified", "disgusting", "surprised"]
# The default analyzer reads English only: this one is not scored and never queued.
GERMAN = "Ich freue mich riesig über die neue Straßenbahn, einfach wunderbar!"
TEXTS = [f"The tram today: {word}, really {word}" for word in WORDS] + [GERMAN]
LIMIT_MESSAGE = "limit must be a whole number from 1 to 100."


def _dataset(app: Flask, texts: list[str] = TEXTS, owner: str = "ada") -> int:
    """The texts as an analysed dataset of `owner`'s personal team."""
    content = "text\n" + "".join(f'"{text}"\n' for text in texts)
    with app.app_context():
        upload = Upload(name="Review me", source="upload")
        dataset = intake.import_and_analyse(
            team_of(owner), upload, BytesIO(content.encode()), "texts.csv"
        )
        return dataset.id


def _results(app: Flask, dataset_id: int) -> dict[int, Result]:
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        found = db.session.scalars(select(Result).where(Result.job_id == job_id)).all()
        db.session.expunge_all()
        return {result.text_id: result for result in found}


def _key(dataset_id: int, text_id: int) -> int:
    """`review.sample_key`, written again in Python."""
    mixed = (text_id + dataset_id * 40503) % 2**31
    first = (mixed * 2654435761) % 2**32
    rotated = (first % 2**16) * 2**16 + first // 2**16
    return ((rotated % 2**31) * 2246822519) % 2**32


def _other(label: str) -> str:
    return next(emotion for emotion in EMOTIONS if emotion != label)


def _shown(page: str) -> tuple[int, bool]:
    """The text id the review page shows, and whether it was drawn at random."""
    found = re.search(r'data-text-id="(\d+)" data-sample="(true|false)"', page)
    assert found, page
    return int(found.group(1)), found.group(2) == "true"


def _post(auth: AuthActions, url: str, page: str, **fields: str) -> None:
    """Submit the page's form at `url` (its hidden fields, plus `fields`)."""
    form = re.search(rf'action="{re.escape(url)}"[^>]*>(.*?)</form>', page, re.S)
    assert form, f"no form for {url}"
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form.group(1)))
    response = auth.client.post(url, data={**hidden, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)


# --- margins and order -------------------------------------------------------------------------


def test_each_result_keeps_the_gap_between_its_two_best_scores(app):
    results = _results(app, _dataset(app))
    assert len(results) == len(TEXTS)
    for result in results.values():
        if result.label == NOT_SCORED:
            assert result.margin is None
        else:
            best, second = sorted(json.loads(result.scores).values(), reverse=True)[:2]
            assert result.margin == pytest.approx(best - second)


@pytest.fixture(params=[3, review_order.HEAD], ids=["past the kept head", "in the kept head"])
def head(request, monkeypatch) -> None:
    """The queue read from the head each process keeps of an order, and past it."""
    monkeypatch.setattr(review_order, "HEAD", request.param)


def _assert_queue(app: Flask, dataset_id: int, items: list[dict]) -> None:
    """`items`, a review's first texts, are each scored text without a correction once: the
    least sure first, a random one (the smallest key among those not listed) every fourth."""
    results = _results(app, dataset_id)
    with app.app_context():
        corrected = set(db.session.scalars(select(Correction.text_id)))
    scored = {text_id for text_id, result in results.items() if result.label != NOT_SCORED}
    assert sorted(item["id"] for item in items) == sorted(scored - corrected)
    assert [item["sample"] for item in items] == [
        (place + 1) % 4 == 0 for place in range(len(items))
    ]
    unsure = [item for item in items if not item["sample"]]
    ordered = sorted(unsure, key=lambda item: (item["margin"], item["id"]))
    assert [item["id"] for item in unsure] == [item["id"] for item in ordered]
    for place, item in enumerate(items):
        if item["sample"]:  # the smallest key among the texts not listed before it
            rest = scored - corrected - {earlier["id"] for earlier in items[:place]}
            assert item["id"] == min(rest, key=lambda text_id: _key(dataset_id, text_id))
        assert item["margin"] == pytest.approx(results[item["id"]].margin)
        assert item["corrected"] is False and item["label"] == item["model_label"]


def test_the_queue_puts_the_least_sure_first_and_a_random_text_every_fourth(app, api, head):
    dataset_id = _dataset(app)
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit=100").json

    assert len(answer["items"]) == 16
    _assert_queue(app, dataset_id, answer["items"])
    assert answer["reviewed"] == 0 and answer["remaining"] == 16

    first = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit=5").json["items"]
    assert first == answer["items"][:5]


def test_the_queue_follows_corrections_and_the_live_feed(app, api, head):
    dataset_id = _dataset(app)
    url = f"/api/v1/datasets/{dataset_id}/review?limit=100"
    before = call(api, "GET", url).json["items"]
    # a correction takes its text out of the queue, and removing it puts the text back
    label_url = f"/api/v1/datasets/{dataset_id}/texts/{before[1]['id']}/label"
    assert call(api, "PUT", label_url, json={"label": "anger"}).status_code == 200
    corrected = call(api, "GET", url).json["items"]
    assert len(corrected) == 15 and before[1]["id"] not in {item["id"] for item in corrected}
    _assert_queue(app, dataset_id, corrected)
    assert call(api, "DELETE", label_url).status_code == 204
    assert call(api, "GET", url).json["items"] == before

    # texts pushed to the analysis join the queue in their places
    pushed = [{"text": f"The tram today: {word}, or not {word}"} for word in ("meh", "lovely")]
    assert push(api, dataset_id, pushed).status_code == 201
    after = call(api, "GET", url).json["items"]
    assert len(after) == 18
    _assert_queue(app, dataset_id, after)


def test_the_queue_continues_the_review_and_leaves_corrected_texts_out(app, api, head):
    dataset_id = _dataset(app)
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        listed = review.queue(dataset, 16)
        user_id = registration.find_user("ada").id
        for item in listed[:3]:
            model_label = _results(app, dataset_id)[item.text_id].label
            review.label(dataset, item.text_id, model_label, user_id, item.sample)
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit=3").json
    # the 4th text reviewed is drawn at random: the next one listed is
    assert [item["sample"] for item in answer["items"]] == [True, False, False]
    assert answer["items"][0]["id"] == listed[3].text_id
    assert answer["reviewed"] == 3 and answer["remaining"] == 13


# --- the page ----------------------------------------------------------------------------------


def test_labelling_skipping_and_undoing_on_the_page(app, auth):
    dataset_id = _dataset(app)
    with app.app_context():
        listed = review.queue(db.session.get(Dataset, dataset_id), 16)
    auth.login()
    url = f"/datasets/{dataset_id}/review"
    page = auth.client.get(url).get_data(as_text=True)
    assert "0 reviewed · 16 remaining" in page
    assert _shown(page) == (listed[0].text_id, False)

    _post(auth, url, page, label="anger")
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (listed[1].text_id, False)
    assert "1 reviewed · 15 remaining" in page
    with app.app_context():
        correction = db.session.get(Correction, (dataset_id, listed[0].text_id))
        assert (correction.label, correction.source) == ("anger", CorrectionSource.REVIEW)

    _post(auth, f"{url}/skip", page)  # skipped: the next one comes
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (listed[2].text_id, False)
    assert "1 text skipped" in page

    _post(auth, url, page, label="joy")
    _post(auth, f"{url}/undo", auth.client.get(url).get_data(as_text=True))
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (listed[2].text_id, False)  # back to the text undone
    assert "The last label is undone." in page
    with app.app_context():
        assert db.session.get(Correction, (dataset_id, listed[2].text_id)) is None

    _post(auth, f"{url}/undo", page)  # and the one before
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (listed[0].text_id, False)
    assert "0 reviewed · 16 remaining" in page

    _post(auth, f"{url}/skipped", page)  # clear the skipped: the skipped text is back
    _post(auth, f"{url}/skip", auth.client.get(url).get_data(as_text=True))
    page = auth.client.get(url).get_data(as_text=True)
    assert _shown(page) == (listed[1].text_id, False)


def test_the_text_drawn_at_random_is_stored_as_a_sample(app, auth):
    dataset_id = _dataset(app)
    auth.login()
    url = f"/datasets/{dataset_id}/review"
    for _ in range(3):
        _post(auth, url, auth.client.get(url).get_data(as_text=True), label="joy")
    page = auth.client.get(url).get_data(as_text=True)
    text_id, sample = _shown(page)
    assert sample and "Drawn at random" in page
    _post(auth, url, page, label="fear")
    with app.app_context():
        sources = db.session.scalars(select(Correction.source))
        assert sorted(sources) == ["review"] * 3 + ["sample"]
        assert db.session.get(Correction, (dataset_id, text_id)).label == "fear"


def test_the_form_cannot_claim_a_sample_or_another_text(app, auth):
    dataset_id = _dataset(app)
    auth.login()
    url = f"/datasets/{dataset_id}/review"
    page = auth.client.get(url).get_data(as_text=True)
    text_id, _ = _shown(page)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    csrf = csrf_token(auth.client, url)
    for fields in (
        {"text_id": text_id, "token": token + "x"},  # altered
        {"text_id": text_id + 1, "token": token},  # signed for another text
        {"text_id": text_id},  # no token
    ):
        response = auth.client.post(url, data={"csrf_token": csrf, "label": "joy", **fields})
        assert response.status_code == 400
        assert "out of date" in response.get_data(as_text=True)
    response = auth.client.post(
        url, data={"csrf_token": csrf, "label": "smug", "text_id": text_id, "token": token}
    )
    assert response.status_code == 400 and "Unknown label" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Correction)).all() == []


def test_the_page_has_a_number_key_per_label(app, auth):
    dataset_id = _dataset(app)
    auth.login()
    page = auth.client.get(f"/datasets/{dataset_id}/review").get_data(as_text=True)
    keys = re.findall(r'name="label" value="(\w+)" data-key="(\d)"', page)
    assert keys == [(label, str(n)) for n, label in enumerate(EMOTIONS, start=1)]
    assert 'data-key="s"' in page and "/static/js/review.js" in page
    script = auth.client.get("/static/js/review.js")
    body = script.get_data()
    script.close()  # a file response: release the file
    assert script.status_code == 200 and b"data-key" in body
    shown = auth.client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert f'href="/datasets/{dataset_id}/review"' in shown  # linked from the dataset's page


def test_an_empty_queue_says_so(app, auth, api):
    dataset_id = _dataset(app, ["I love the tram", GERMAN])
    auth.login()
    url = f"/datasets/{dataset_id}/review"
    _post(auth, url, auth.client.get(url).get_data(as_text=True), label="joy")
    page = auth.client.get(url).get_data(as_text=True)
    assert "Nothing left to review" in page and "data-text-id" not in page
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review").json
    assert answer["items"] == [] and (answer["reviewed"], answer["remaining"]) == (1, 0)


def test_a_dataset_not_analysed_yet_has_no_queue(app, auth, api):
    with app.app_context():
        dataset_id = datasets.create_feed(team_of("ada"), "Empty feed").id
    auth.login()
    page = auth.client.get(f"/datasets/{dataset_id}/review").get_data(as_text=True)
    assert "The review starts when the first analysis has finished." in page
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review").json
    assert (answer["items"], answer["reviewed"], answer["remaining"]) == ([], 0, 0)


def test_undo_keeps_a_label_changed_since(app, auth):
    dataset_id = _dataset(app)
    auth.login()
    url = f"/datasets/{dataset_id}/review"
    page = auth.client.get(url).get_data(as_text=True)
    text_id, _ = _shown(page)
    _post(auth, url, page, label="joy")
    with app.app_context():  # someone changes it on the text's page
        dataset = db.session.get(Dataset, dataset_id)
        corrections.correct(dataset, text_id, "fear", None)
    _post(auth, f"{url}/undo", auth.client.get(url).get_data(as_text=True))
    page = auth.client.get(url).get_data(as_text=True)
    assert "That label was changed since" in page and "Undo the last label" not in page
    with app.app_context():
        assert db.session.get(Correction, (dataset_id, text_id)).label == "fear"


# --- agreement ---------------------------------------------------------------------------------


def _agreement_fixture(app: Flask, samples: int) -> int:
    """`samples` texts drawn at random (the smallest keys; the 4th corrected on its text page
    before the draw reached it), 80 % of them agreeing with the model (rounded down); then 5
    texts reviewed for being unsure (1 agreeing) and one corrected on its page, with keys past
    the last one drawn."""
    dataset_id = _dataset(app)
    results = _results(app, dataset_id)
    scored = sorted(
        (text_id for text_id, result in results.items() if result.label != NOT_SCORED),
        key=lambda text_id: _key(dataset_id, text_id),
    )
    agreeing = int(samples * 0.8)
    plan = [
        (text_id, CorrectionSource.TEXT if n == 3 else CorrectionSource.SAMPLE, n < agreeing)
        for n, text_id in enumerate(scored[:samples])
    ]
    plan += [(text_id, CorrectionSource.REVIEW, n == 0) for n, text_id in enumerate(scored[-5:])]
    plan.append((scored[-6], CorrectionSource.TEXT, False))
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        for text_id, source, agrees in plan:
            model_label = results[text_id].label
            label = model_label if agrees else _other(model_label)
            corrections.correct(dataset, text_id, label, None, source)
    return dataset_id


def test_agreement_on_the_random_sample_has_a_wilson_interval(app, api, auth):
    dataset_id = _agreement_fixture(app, samples=10)
    answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review").json
    sample = answer["agreement"]["sample"]
    assert (sample["agreed"], sample["texts"], sample["rate"]) == (8, 10, 0.8)
    assert sample["low"] == pytest.approx(0.4902, abs=1e-4)
    assert sample["high"] == pytest.approx(0.9433, abs=1e-4)
    # every reviewed text: the 9 drawn and the 5 unsure (not those corrected on their page)
    assert answer["agreement"]["reviewed"] == {
        "agreed": 8,
        "texts": 14,
        "rate": pytest.approx(8 / 14),
        "low": pytest.approx(0.3259, abs=1e-4),
        "high": pytest.approx(0.7862, abs=1e-4),
    }
    assert (answer["reviewed"], answer["remaining"]) == (14, 0)

    auth.login()
    page = auth.client.get(f"/datasets/{dataset_id}/review").get_data(as_text=True)
    assert "Estimated accuracy on this dataset: <strong>80 %</strong>" in page
    assert "(95 % interval 49 % to 94 %)" in page
    assert "On the hardest texts: it agreed on 8 of the 14 texts reviewed (57 %)" in page


def test_too_small_a_sample_has_no_interval(app, api, auth):
    dataset_id = _agreement_fixture(app, samples=9)
    sample = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review").json["agreement"]["sample"]
    assert (sample["agreed"], sample["texts"], sample["low"], sample["high"]) == (7, 9, None, None)
    auth.login()
    page = auth.client.get(f"/datasets/{dataset_id}/review").get_data(as_text=True)
    assert "Too few texts drawn at random are reviewed yet" in page
    assert "9 of the 10 needed (7 agreed)" in page


def test_wilson_interval_known_values():
    assert review.wilson(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    assert review.wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert review.wilson(50, 50) == pytest.approx((0.9287, 1.0), abs=1e-4)


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "101", "ten", "-1", "2.5"])
def test_a_bad_limit_is_refused(app, api, limit):
    dataset_id = _dataset(app, ["I love the tram"])
    response = call(api, "GET", f"/api/v1/datasets/{dataset_id}/review?limit={limit}")
    assert response.status_code == 400
    assert response.json["error"] == {"code": "invalid_parameter", "message": LIMIT_MESSAGE}


def test_another_teams_queue_is_not_found(app, api, auth):
    with app.app_context():
        registration.register("bob", PASSWORD)
    theirs = _dataset(app, ["I love the tram"], owner="bob")
    assert call(api, "GET", f"/api/v1/datasets/{theirs}/review").status_code == 404
    auth.login()
    assert auth.client.get(f"/datasets/{theirs}/review").status_code == 404


def test_a_viewer_sees_the_queue_but_cannot_label(app, auth):
    dataset_id = _dataset(app)
    with app.app_context():
        registration.register("vera", PASSWORD)
        join_team(team_of("ada"), "vera", "viewer")
        team_id = team_of("ada")
    auth.login("vera")
    url = f"/datasets/{dataset_id}/review"
    page = auth.client.get(url, query_string={"team": team_id}).get_data(as_text=True)
    assert "data-text-id" in page and 'name="label"' not in page
    assert "labelling texts needs the analyst role" in page
    csrf = csrf_token(auth.client, "/account/tokens")
    for action in ("", "/skip", "/undo", "/skipped"):
        assert auth.client.post(url + action, data={"csrf_token": csrf}).status_code == 403
