"""Corrections: an analyst sets a text's right label on its page, from the texts table or through
the API; every view counts the text under it at once, says how many texts are corrected, filters
by it, exports both labels, and keeps it through a re-run and a keyword edit."""

import csv
import io
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from emolytics.accounts import registration
from emolytics.extensions import db
from emolytics.pipeline import counts, datasets, filters, jobs, map_points
from emolytics.pipeline.ingest import ParsedText
from emolytics.tables import Correction, Dataset, JobCount, JobPoint, Result, TextRow
from tests.conftest import PASSWORD, AuthActions, csrf_token, join_team, team_of
from tests.web.api_calls import call, error_code
from tests.web.test_models import train

LINES = (
    "I love the new tram {n}",
    "The app crashed again, I am furious {n}",
    "Tickets scare me {n}",
)


def _upload(auth, signed_in: bool = False) -> int:
    """24 texts over fifteen hours, two or three an hour (every third geotagged, two without a
    time), with tracked keywords."""
    if not signed_in:
        auth.login()
    rows = ["text,created_at,lat,lon"]
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for n in range(24):
        moment = "" if n in (5, 17) else (start + timedelta(minutes=37 * n)).isoformat()
        place = (f"48.{n:02d}", "16.4") if n % 3 == 0 else ("", "")
        rows.append(f'"{LINES[n % 3].format(n=n)}",{moment},{place[0]},{place[1]}')
    form = {
        "name": "Tram",
        "keywords": "tram, app",
        "csrf_token": csrf_token(auth.client, "/datasets/new"),
        "file": (io.BytesIO(("\n".join(rows) + "\n").encode()), "tram.csv"),
    }
    response = auth.client.post("/datasets/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def _text(app, dataset_id: int, words: str) -> tuple[int, str]:
    """The id and current label of the dataset's text `words`."""
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        return db.session.execute(
            select(TextRow.id, Result.label)
            .join(Result, (Result.text_id == TextRow.id) & (Result.job_id == job_id))
            .where(TextRow.dataset_id == dataset_id, TextRow.text == words)
        ).one()


def _distribution(client, dataset_id: int, query: str = "") -> dict[str, int]:
    summary = client.get(f"/datasets/{dataset_id}/summary.json?{query}").json
    return {row["label"]: row["count"] for row in summary["distribution"]}


def _stored_counts(app, dataset_id: int) -> tuple[Counter, Counter]:
    """The current analysis's count rows (times aside) and map points."""
    with app.app_context():
        job_id = db.session.get(Dataset, dataset_id).current_job_id
        columns = ("keyword", "also", "label", "language", "hour", "texts", "geotagged")
        columns += ("corrected",)
        kept = select(*(getattr(JobCount, name) for name in columns)).where(
            JobCount.job_id == job_id
        )
        points = select(
            JobPoint.keyword, JobPoint.text_id, JobPoint.label, JobPoint.language
        ).where(JobPoint.job_id == job_id)
        return (
            Counter(tuple(row) for row in db.session.execute(kept)),
            Counter(tuple(row) for row in db.session.execute(points)),
        )


def _assert_counts_are_a_full_recount(app, dataset_id: int) -> None:
    """The counts a correction changed in place equal the counts built afresh."""
    incremental = _stored_counts(app, dataset_id)
    with app.app_context():
        counts.recount(dataset_id)
    assert _stored_counts(app, dataset_id) == incremental


def _correct_on_page(auth, dataset_id: int, text_id: int, label: str, **extra: str):
    page = f"/datasets/{dataset_id}/texts/{text_id}"
    form = {"label": label, "csrf_token": csrf_token(auth.client, page), **extra}
    return auth.client.post(f"{page}/label", data=form)


def _rows_count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- the text's page ---------------------------------------------------------------------------


def test_correcting_on_the_text_page_moves_one_text_in_every_count(app, client, auth):
    dataset_id = _upload(auth)
    text_id, model_label = _text(app, dataset_id, "I love the new tram 0")
    assert model_label == "joy"
    before = _distribution(client, dataset_id)
    response = _correct_on_page(auth, dataset_id, text_id, "anger")
    assert response.status_code == 302
    assert response.location == f"/datasets/{dataset_id}/texts/{text_id}"
    page = client.get(response.location).get_data(as_text=True)
    assert "Label set to anger (the model said joy)." in page
    assert 'data-role="correction">Corrected by ada' in page
    assert "The model said joy (" in page
    # the reasons and the marks are the model's, for its own label
    assert "Why the model said joy: the terms that weighed most" in page
    assert '<mark class="emo-joy">love</mark>' in page and "emo-anger" not in page.split("<h3>")[1]
    after = _distribution(client, dataset_id)
    assert after == {**before, "joy": before["joy"] - 1, "anger": before["anger"] + 1}
    summary = client.get(f"/datasets/{dataset_id}/summary.json").json
    assert summary["corrected"] == 1 and summary["analysed"] == 24
    assert client.get(f"/datasets/{dataset_id}/summary.json?label=joy").json["corrected"] == 0
    tram = _distribution(client, dataset_id, "keyword=tram")
    assert tram["anger"] == 1
    _assert_counts_are_a_full_recount(app, dataset_id)
    with app.app_context():
        correction = db.session.get(Correction, (dataset_id, text_id))
        assert (correction.label, correction.model_label, correction.source) == (
            "anger",
            "joy",
            "text",
        )
        assert 0.5 < correction.model_score <= 1


def test_changing_and_removing_a_correction_through_the_confirm_step(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 3")
    before = _distribution(client, dataset_id)
    _correct_on_page(auth, dataset_id, text_id, "anger")
    _correct_on_page(auth, dataset_id, text_id, "fear")
    assert _distribution(client, dataset_id) == {
        **before,
        "joy": before["joy"] - 1,
        "fear": before["fear"] + 1,
    }
    assert _rows_count(app, Correction) == 1
    remove = f"/datasets/{dataset_id}/texts/{text_id}/label/remove"
    question = client.get(remove)
    assert question.status_code == 200
    assert "Remove this correction?" in question.get_data(as_text=True)
    assert "the model&#39;s label, joy" in question.get_data(as_text=True)
    unconfirmed = client.post(remove, data={})  # no CSRF token: nothing happens
    assert unconfirmed.status_code == 400 and _rows_count(app, Correction) == 1
    response = auth.post(remove, {})
    assert response.status_code == 302
    assert _distribution(client, dataset_id) == before
    assert _rows_count(app, Correction) == 0
    assert client.get(remove).status_code == 404
    _assert_counts_are_a_full_recount(app, dataset_id)


def test_a_bad_label_or_a_missing_text_is_refused_and_nothing_is_written(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "Tickets scare me 2")
    before = _stored_counts(app, dataset_id)
    refused = _correct_on_page(auth, dataset_id, text_id, "bliss")
    assert refused.status_code == 400
    assert "Unknown label &#39;bliss&#39;: choose one of the analysis&#39;s labels (anger, " in (
        refused.get_data(as_text=True)
    )
    token = csrf_token(client, f"/datasets/{dataset_id}/texts/{text_id}")
    no_label = client.post(
        f"/datasets/{dataset_id}/texts/{text_id}/label", data={"csrf_token": token}
    )
    assert no_label.status_code == 400
    missing = client.post(
        f"/datasets/{dataset_id}/texts/999999/label", data={"label": "joy", "csrf_token": token}
    )
    assert missing.status_code == 404
    assert _stored_counts(app, dataset_id) == before and _rows_count(app, Correction) == 0


# --- the texts table ---------------------------------------------------------------------------


def test_the_table_corrects_a_row_and_comes_back_to_the_same_filtered_page(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 6")
    table = f"/datasets/{dataset_id}/texts?label=joy&keyword=tram"
    page = client.get(table).get_data(as_text=True)
    assert page.count('data-role="correct"') == 8  # one form per row
    assert "8 texts match" in page
    response = _correct_on_page(auth, dataset_id, text_id, "sadness", next=table)
    assert response.location == table
    page = client.get(table).get_data(as_text=True)
    assert "7 texts match" in page
    corrected = client.get(f"/datasets/{dataset_id}/texts?corrected=true").get_data(as_text=True)
    assert "1 text matches" in corrected
    assert 'data-role="corrected">corrected, model said joy</span>' in corrected
    assert "Why the model said joy: love" in corrected
    assert '<option value="true" selected>corrected</option>' in corrected
    offsite = _correct_on_page(auth, dataset_id, text_id, "fear", next="https://evil.example/")
    assert offsite.location == f"/datasets/{dataset_id}/texts/{text_id}"


def test_the_corrected_filter_on_the_table_the_api_and_the_summary(app, client, auth, api):
    dataset_id = _upload(auth)
    agreeing, model_label = _text(app, dataset_id, "The app crashed again, I am furious 1")
    disagreeing, _ = _text(app, dataset_id, "I love the new tram 9")
    _correct_on_page(auth, dataset_id, agreeing, model_label)  # the model was right
    _correct_on_page(auth, dataset_id, disagreeing, "surprise")
    expected = {"true": 2, "false": 22, "disagree": 1}
    for value, total in expected.items():
        page = client.get(f"/datasets/{dataset_id}/texts?corrected={value}").get_data(True)
        assert f"{total} text{'s' if total > 1 else ''} match" in page
        answer = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?corrected={value}").json
        assert answer["total"] == total and len(answer["texts"]) == total
        assert answer["filters"]["corrected"] == value
        summary = client.get(f"/datasets/{dataset_id}/summary.json?corrected={value}").json
        assert summary["analysed"] == total
    only = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?corrected=disagree").json
    assert [(t["id"], t["label"], t["model_label"]) for t in only["texts"]] == [
        (disagreeing, "surprise", "joy")
    ]
    bad = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?corrected=maybe")
    assert bad.status_code == 400 and error_code(bad) == "invalid_corrected"
    assert client.get(f"/datasets/{dataset_id}/texts?corrected=maybe").status_code == 400


def test_the_texts_not_corrected_are_the_stored_counts_less_the_corrected_ones(
    app, client, auth, api, monkeypatch
):
    dataset_id = _upload(auth)
    corrected = {}
    for words, label in [
        ("The app crashed again, I am furious 1", "anger"),  # the model's own label
        ("I love the new tram 9", "surprise"),  # geotagged, at hour 5
        ("I love the new tram 0", "sadness"),  # geotagged, the first hour
        ("Tickets scare me 5", "joy"),  # no time
    ]:
        text_id, _ = _text(app, dataset_id, words)
        _correct_on_page(auth, dataset_id, text_id, label)
        corrected[text_id] = label
    texts = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?per_page=100").json["texts"]
    left = [text for text in texts if text["id"] not in corrected]
    assert len(left) == 20 and not any(text["corrected"] for text in left)

    url = f"/datasets/{dataset_id}/summary.json?corrected=false"
    summary = client.get(url).json
    counted = {row["label"]: row["count"] for row in summary["distribution"]}
    assert {label: n for label, n in counted.items() if n} == Counter(t["label"] for t in left)
    assert (summary["analysed"], summary["corrected"]) == (20, 0)
    placed = {point[3] for point in summary["map"]["points"]}
    assert placed == {text["id"] for text in left if text["lat"] is not None}
    assert summary["map"]["geotagged"] == len(placed) == 6
    mentions = {row["keyword"]: row["total"] for row in summary["keywords"]}
    assert mentions == {"tram": 6, "app": 7}
    page = client.get(f"/datasets/{dataset_id}/texts?corrected=false").get_data(as_text=True)
    assert "20 texts match" in page
    mine = client.get(f"/datasets/{dataset_id}/summary.json?corrected=true").json
    assert (mine["analysed"], mine["corrected"]) == (4, 4)
    assert {row["label"]: row["count"] for row in mine["distribution"] if row["count"]} == {
        "anger": 1,
        "surprise": 1,
        "sadness": 1,
        "joy": 1,
    }
    assert {row["keyword"]: row["total"] for row in mine["keywords"]} == {"tram": 2, "app": 1}

    # the same numbers as counting the texts not corrected one by one, under other filters too
    queries = ["corrected=false", "corrected=false&keyword=tram", "corrected=false&label=joy"]
    answers = [client.get(f"/datasets/{dataset_id}/summary.json?{query}").json for query in queries]
    for module in (filters, map_points):
        monkeypatch.setattr(module, "counted_now", lambda dataset, kept: True)
    for query, answer in zip(queries, answers, strict=True):
        assert client.get(f"/datasets/{dataset_id}/summary.json?{query}").json == answer


# --- the API -----------------------------------------------------------------------------------


def test_the_api_sets_changes_and_removes_a_correction(app, client, auth, api):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "Tickets scare me 5")
    url = f"/api/v1/datasets/{dataset_id}/texts/{text_id}/label"
    before = call(api, "GET", f"/api/v1/datasets/{dataset_id}/summary").json
    answer = call(api, "PUT", url, json={"label": "joy"})
    assert answer.status_code == 200
    text = answer.json
    assert (text["id"], text["label"], text["model_label"], text["corrected"]) == (
        text_id,
        "joy",
        "fear",
        True,
    )
    listed = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?corrected=true").json
    assert listed["texts"] == [text]
    after = call(api, "GET", f"/api/v1/datasets/{dataset_id}/summary").json
    shares = {row["label"]: row["count"] for row in after["distribution"]}
    old = {row["label"]: row["count"] for row in before["distribution"]}
    assert shares == {**old, "fear": old["fear"] - 1, "joy": old["joy"] + 1}
    assert (before["corrected"], after["corrected"]) == (0, 1)
    assert call(api, "PUT", url, json={"label": "neutral"}).json["label"] == "neutral"
    assert call(api, "DELETE", url).status_code == 204
    assert call(api, "GET", f"/api/v1/datasets/{dataset_id}/summary").json == before
    again = call(api, "DELETE", url)
    assert again.status_code == 404 and error_code(again) == "not_corrected"


def test_the_api_refuses_bad_requests_and_writes_nothing(app, auth, api):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "Tickets scare me 8")
    url = f"/api/v1/datasets/{dataset_id}/texts/{text_id}/label"
    before = _stored_counts(app, dataset_id)
    unknown = call(api, "PUT", url, json={"label": "bliss"})
    assert unknown.status_code == 422 and error_code(unknown) == "unknown_label"
    assert (
        "anger, disgust, fear, joy, sadness, surprise, neutral" in unknown.json["error"]["message"]
    )
    cases = [
        ({"json": {"label": 3}}, 400, "invalid_label"),
        ({"json": {}}, 400, "invalid_label"),
        ({"json": {"label": "joy", "why": "x"}}, 400, "unknown_field"),
        ({"data": "label=joy"}, 415, "unsupported_media_type"),
    ]
    for kwargs, status, code in cases:
        response = call(api, "PUT", url, **kwargs)
        assert (response.status_code, error_code(response)) == (status, code)
    missing = f"/api/v1/datasets/{dataset_id}/texts/999999/label"
    assert call(api, "PUT", missing, json={"label": "joy"}).status_code == 404
    assert _stored_counts(app, dataset_id) == before and _rows_count(app, Correction) == 0


def test_a_text_not_analysed_yet_cannot_be_corrected(app, auth, api):
    dataset_id = _upload(auth)
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        moment = datetime(2026, 3, 5, tzinfo=UTC)
        [text_id] = datasets.append_texts(dataset, [ParsedText(25, "Just arrived", moment)])
    url = f"/api/v1/datasets/{dataset_id}/texts/{text_id}/label"
    response = call(api, "PUT", url, json={"label": "joy"})
    assert response.status_code == 409 and error_code(response) == "not_analysed"
    assert _rows_count(app, Correction) == 0


# --- isolation and roles -----------------------------------------------------------------------


def test_other_teams_and_other_datasets_texts_are_not_found(app, client, auth, api):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    other_id = _upload(auth, signed_in=True)  # ada's too: its texts are not the first one's
    other_text, _ = _text(app, other_id, "I love the new tram 0")
    crossed = f"/api/v1/datasets/{dataset_id}/texts/{other_text}/label"
    assert call(api, "PUT", crossed, json={"label": "anger"}).status_code == 404
    assert _correct_on_page(auth, other_id, text_id, "anger").status_code == 404
    with app.app_context():
        registration.register("mallory", PASSWORD)
    stranger = AuthActions(app.test_client())
    stranger.login("mallory")
    stranger_token = csrf_token(stranger.client, "/account/tokens")
    for url in (
        f"/datasets/{dataset_id}/texts/{text_id}/label",
        f"/datasets/{dataset_id}/texts/{text_id}/label/remove",
    ):
        response = stranger.client.post(url, data={"label": "anger", "csrf_token": stranger_token})
        assert response.status_code == 404
    assert _rows_count(app, Correction) == 0


def test_a_viewer_sees_corrections_but_cannot_change_them(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    _correct_on_page(auth, dataset_id, text_id, "anger")
    with app.app_context():
        registration.register("victor", PASSWORD)
        join_team(team_of("ada"), "victor", "viewer")
    viewer = AuthActions(app.test_client())
    viewer.login("victor")
    query = {"team": str(_team(app))}
    page = viewer.client.get(f"/datasets/{dataset_id}/texts/{text_id}", query_string=query)
    assert 'data-role="correction">Corrected by ada' in page.get_data(as_text=True)
    assert 'data-role="correct"' not in page.get_data(as_text=True)
    table = viewer.client.get(f"/datasets/{dataset_id}/texts", query_string=query)
    assert 'data-role="correct"' not in table.get_data(as_text=True)
    token = csrf_token(viewer.client, "/account/tokens")
    refused = viewer.client.post(
        f"/datasets/{dataset_id}/texts/{text_id}/label",
        data={"label": "joy", "csrf_token": token},
        query_string=query,
    )
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.get(Correction, (dataset_id, text_id)).label == "anger"


def _team(app) -> int:
    with app.app_context():
        return team_of("ada")


# --- exports, re-runs, keyword edits, deletion -------------------------------------------------


def test_exports_carry_both_labels(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    _correct_on_page(auth, dataset_id, text_id, "anger")
    rows = list(csv.DictReader(io.StringIO(client.get(f"/datasets/{dataset_id}/export.csv").text)))
    by_id = {int(row["id"]): row for row in rows}
    assert (by_id[text_id]["label"], by_id[text_id]["model_label"]) == ("anger", "joy")
    assert by_id[text_id]["corrected"] == "true"
    assert sum(row["corrected"] == "true" for row in rows) == 1
    assert all(row["label"] == row["model_label"] for row in rows if row["corrected"] == "false")
    lines = client.get(f"/datasets/{dataset_id}/export.jsonl?corrected=true").text.splitlines()
    assert [json.loads(line)["model_label"] for line in lines] == ["joy"]
    assert json.loads(lines[0])["corrected"] is True and json.loads(lines[0])["label"] == "anger"


def test_corrections_survive_a_rerun_and_a_keyword_edit(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    removed_id, _ = _text(app, dataset_id, "I love the new tram 3")
    _correct_on_page(auth, dataset_id, text_id, "anger")
    _correct_on_page(auth, dataset_id, removed_id, "fear")
    auth.post(f"/datasets/{dataset_id}/texts/{removed_id}/label/remove", {})
    corrected = _distribution(client, dataset_id)
    with app.app_context():
        first_job = db.session.get(Dataset, dataset_id).current_job_id
    rerun = auth.post(
        f"/datasets/{dataset_id}/analyze", {"model": ""}, token_from=f"/datasets/{dataset_id}"
    )
    assert rerun.status_code == 302
    with app.app_context():
        assert db.session.get(Dataset, dataset_id).current_job_id != first_job
    assert _text(app, dataset_id, "I love the new tram 0") == (text_id, "anger")
    assert _text(app, dataset_id, "I love the new tram 3") == (removed_id, "joy")
    assert _distribution(client, dataset_id) == corrected
    assert client.get(f"/datasets/{dataset_id}/summary.json").json["corrected"] == 1
    _assert_counts_are_a_full_recount(app, dataset_id)
    edited = auth.post(
        f"/datasets/{dataset_id}/keywords",
        {"keywords": "tickets"},
        token_from=f"/datasets/{dataset_id}",
    )
    assert edited.status_code == 302
    assert _distribution(client, dataset_id) == corrected
    assert client.get(f"/datasets/{dataset_id}/summary.json").json["corrected"] == 1
    assert _distribution(client, dataset_id, "keyword=tickets")["anger"] == 0


def test_deleting_the_dataset_deletes_its_corrections(app, client, auth):
    dataset_id = _upload(auth)
    kept_id = _upload(auth, signed_in=True)
    for dataset in (dataset_id, kept_id):
        text_id, _ = _text(app, dataset, "I love the new tram 0")
        _correct_on_page(auth, dataset, text_id, "anger")
    assert _rows_count(app, Correction) == 2
    page = f"/datasets/{dataset_id}/delete"
    response = auth.post(page, {"confirm_name": "Tram"})
    assert response.status_code == 302
    with app.app_context():
        left = db.session.scalars(select(Correction.dataset_id)).all()
    assert left == [kept_id]


def test_deleting_the_team_deletes_its_corrections(app, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "I love the new tram 0")
    _correct_on_page(auth, dataset_id, text_id, "anger")
    with app.app_context():
        jobs.delete_teams([team_of("ada")])
        db.session.commit()
    assert _rows_count(app, Correction) == 0


def test_a_model_without_the_label_leaves_the_correction_until_one_with_it_runs(app, client, auth):
    dataset_id = _upload(auth)
    text_id, _ = _text(app, dataset_id, "The app crashed again, I am furious 1")
    _correct_on_page(auth, dataset_id, text_id, "sadness")
    model_id = int(train(auth).location.rsplit("/", 1)[1])
    dataset_page = f"/datasets/{dataset_id}"
    auth.post(f"{dataset_page}/analyze", {"model": str(model_id)}, token_from=dataset_page)
    summary = client.get(f"{dataset_page}/summary.json").json
    assert summary["labels"] == ["billing", "bug", "question"] and summary["corrected"] == 0
    page = client.get(f"{dataset_page}/texts/{text_id}").get_data(as_text=True)
    assert 'data-role="correction">Corrected by ada to sadness' in page  # kept, not applied
    assert "not applied, as the model “Tickets” has no label “sadness”" in page
    auth.post(f"{dataset_page}/analyze", {"model": ""}, token_from=dataset_page)
    assert _text(app, dataset_id, "The app crashed again, I am furious 1") == (text_id, "sadness")
    assert client.get(f"{dataset_page}/summary.json").json["corrected"] == 1
