"""API v1: a file's texts added to a dataset (`POST /datasets/<id>/files`), and its refusals."""

from io import BytesIO

from emolytics.accounts import registration, tokens
from emolytics.tables import Job, TextRow
from tests.conftest import PASSWORD, ApiClient
from tests.web.api_calls import APRIL, add_file, call, count, error_code, new_feed, upload


def test_a_file_is_added_and_the_dataset_analysed_again(app, api):
    dataset = upload(api, keywords="tram").json
    response = add_file(api, dataset["id"])
    assert response.status_code == 201
    answer = response.json
    assert answer["added"] == 2 and answer["skipped_count"] == 0
    assert answer["columns"] == {
        "text": "text",
        "posted_at": "created_at",
        "author": "author",
        "lat": None,
        "lon": None,
        "segment": None,
        "place": None,
        "country": None,
    }
    assert answer["encoding"] == "utf-8"
    assert answer["job"]["id"] != dataset["job"]["id"]
    assert answer["job"]["status"] == "done" and answer["job"]["done"] == 5
    assert answer["dataset"]["row_count"] == 5
    assert answer["dataset"]["current_job_id"] == answer["job"]["id"]
    texts = call(api, "GET", f"/api/v1/datasets/{dataset['id']}/texts?keyword=tram").json
    assert "The tram broke down twice today" in [text["text"] for text in texts["texts"]]


def test_a_live_feed_takes_a_file_by_guessed_columns(api):
    feed = new_feed(api)
    response = add_file(api, feed["id"], b"comment,date\nSo glad it works,2026-04-01\n")
    assert response.status_code == 201
    assert (response.json["columns"]["text"], response.json["columns"]["posted_at"]) == (
        "comment",
        "date",
    )
    assert response.json["job"]["status"] == "done"  # the feed's first analysis


def test_refusals_store_nothing(app, api):
    dataset_id = upload(api).json["id"]
    before = (count(app, TextRow), count(app, Job))
    bad_rows = add_file(api, dataset_id, APRIL + b"a,b,c,d\n")
    assert (bad_rows.status_code, error_code(bad_rows)) == (400, "unreadable_rows")
    assert "line 4: 4 fields, but the header has 3" in bad_rows.json["error"]["message"]
    missing = add_file(api, dataset_id, text_column="review")
    assert (missing.status_code, error_code(missing)) == (400, "unreadable_file")
    assert "no column named 'review'" in missing.json["error"]["message"]
    no_file = call(
        api,
        "POST",
        f"/api/v1/datasets/{dataset_id}/files",
        data={"sheet": "x"},
        content_type="multipart/form-data",
    )
    assert (no_file.status_code, error_code(no_file)) == (400, "no_file")
    as_json = call(api, "POST", f"/api/v1/datasets/{dataset_id}/files", json={"text": "hi"})
    assert (as_json.status_code, error_code(as_json)) == (415, "unsupported_media_type")
    flag = add_file(api, dataset_id, skip_bad_rows="maybe")
    assert (flag.status_code, error_code(flag)) == (400, "invalid_parameter")
    assert (count(app, TextRow), count(app, Job)) == before

    skipped = add_file(api, dataset_id, APRIL + b"a,b,c,d\n", skip_bad_rows="true")
    assert skipped.status_code == 201
    assert skipped.json["skipped_rows"] == [
        {"line": 4, "reason": "4 fields, but the header has 3", "numbered": "line"}
    ]
    assert skipped.json["dataset"]["row_count"] == 5


def test_another_teams_dataset_is_not_found(app, api):
    dataset_id = upload(api).json["id"]
    with app.app_context():
        registration.register("zed", PASSWORD)
        secret = tokens.create_token(registration.find_user("zed"), "zed's").secret
    stranger = ApiClient(app.test_client(), secret)
    response = add_file(stranger, dataset_id)
    assert (response.status_code, error_code(response)) == (404, "not_found")
    assert count(app, TextRow) == 3


def test_a_retried_request_adds_the_file_once(app, api):
    dataset_id = upload(api).json["id"]
    url = f"/api/v1/datasets/{dataset_id}/files"
    answers = [
        call(
            api,
            "POST",
            url,
            data={"file": (BytesIO(APRIL), "april.csv")},
            headers={"Idempotency-Key": "april-file-1"},
        )
        for _ in range(2)
    ]
    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].json == answers[1].json
    assert count(app, TextRow) == 5
