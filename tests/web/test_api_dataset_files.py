"""API v1: a dataset's files (`GET /datasets/<id>/files`), the same file refused a second time
(409 duplicate_file) unless `again`, and a file's texts taken out
(`DELETE /datasets/<id>/files/<file_id>`); isolation and refusals."""

import hashlib
from io import BytesIO

from emolytics.accounts import registration, tokens
from emolytics.tables import Correction, DatasetFile, TextRow
from tests.conftest import PASSWORD, ApiClient
from tests.web.api_calls import (
    APRIL,
    UPLOAD_CSV,
    add_file,
    call,
    count,
    error_code,
    new_feed,
    upload,
)


def files_of(api: ApiClient, dataset_id: int) -> list[dict]:
    response = call(api, "GET", f"/api/v1/datasets/{dataset_id}/files")
    assert response.status_code == 200, response.json
    return response.json["files"]


def test_the_files_are_listed_and_the_added_one_answered(app, api):
    dataset = upload(api).json
    added = add_file(api, dataset["id"])
    assert added.status_code == 201
    answer = added.json["file"]
    assert answer["name"] == "april.csv" and answer["texts"] == 2 and answer["skipped"] == 0
    assert answer["sha256"] == hashlib.sha256(APRIL).hexdigest()
    assert answer["size"] == len(APRIL) and answer["added_by"] == "ada"
    assert answer["sheet"] is None
    listed = files_of(api, dataset["id"])
    assert [(item["name"], item["texts"]) for item in listed] == [
        ("texts.csv", dataset["row_count"]),
        ("april.csv", 2),
    ]
    assert listed[1] == answer
    assert listed[0]["sha256"] == hashlib.sha256(UPLOAD_CSV).hexdigest()


def test_the_same_file_again_is_a_conflict_unless_again(app, api):
    dataset_id = upload(api).json["id"]
    assert add_file(api, dataset_id).status_code == 201
    before = count(app, TextRow)
    twice = add_file(api, dataset_id)
    assert (twice.status_code, error_code(twice)) == (409, "duplicate_file")
    assert (
        "This file is in the dataset already: “april.csv” (2 texts"
        in (twice.json["error"]["message"])
    )
    flag = add_file(api, dataset_id, again="perhaps")
    assert (flag.status_code, error_code(flag)) == (400, "invalid_parameter")
    assert count(app, TextRow) == before
    again = add_file(api, dataset_id, again="true")
    assert again.status_code == 201 and again.json["added"] == 2
    assert count(app, TextRow) == before + 2
    # the upload's own file, added to the dataset it made, is the same file too
    upload_again = call(
        api,
        "POST",
        f"/api/v1/datasets/{dataset_id}/files",
        data={"file": (BytesIO(UPLOAD_CSV), "texts (1).csv")},
    )
    assert (upload_again.status_code, error_code(upload_again)) == (409, "duplicate_file")


def test_a_files_texts_are_taken_out(app, api):
    dataset = upload(api).json
    file_id = add_file(api, dataset["id"]).json["file"]["id"]
    texts = call(api, "GET", f"/api/v1/datasets/{dataset['id']}/texts?q=broke").json["texts"]
    corrected = call(
        api, "PUT", f"/api/v1/datasets/{dataset['id']}/texts/{texts[0]['id']}/label",
        json={"label": "joy"},
    )  # fmt: skip
    assert corrected.status_code in (200, 201), corrected.json
    removed = call(api, "DELETE", f"/api/v1/datasets/{dataset['id']}/files/{file_id}")
    assert removed.status_code == 200, removed.json
    assert removed.json["removed"] == 2 and removed.json["corrections"] == 1
    assert removed.json["dataset"]["row_count"] == dataset["row_count"]
    assert count(app, Correction) == 0 and count(app, DatasetFile) == 1
    summary = call(api, "GET", f"/api/v1/datasets/{dataset['id']}/summary").json
    assert summary["analysed"] == dataset["row_count"]
    gone = call(api, "DELETE", f"/api/v1/datasets/{dataset['id']}/files/{file_id}")
    assert (gone.status_code, error_code(gone)) == (404, "not_found")


def test_the_only_texts_cannot_be_taken_out(app, api):
    dataset = upload(api).json
    [only] = files_of(api, dataset["id"])
    refused = call(api, "DELETE", f"/api/v1/datasets/{dataset['id']}/files/{only['id']}")
    assert (refused.status_code, error_code(refused)) == (409, "removal_refused")
    assert "delete the dataset instead" in refused.json["error"]["message"]
    assert count(app, TextRow) == dataset["row_count"]


def test_a_live_feeds_texts_have_no_file(app, api):
    feed = new_feed(api)
    assert files_of(api, feed["id"]) == []
    file_id = add_file(api, feed["id"]).json["file"]["id"]
    pushed = call(api, "POST", f"/api/v1/datasets/{feed['id']}/texts", json=[{"text": "Hello"}])
    assert pushed.status_code in (200, 201, 202), pushed.json
    removed = call(api, "DELETE", f"/api/v1/datasets/{feed['id']}/files/{file_id}")
    assert removed.status_code == 200 and removed.json["removed"] == 2
    assert count(app, TextRow) == 1


def test_another_teams_files_are_not_found(app, api):
    dataset_id = upload(api).json["id"]
    file_id = add_file(api, dataset_id).json["file"]["id"]
    with app.app_context():
        registration.register("zed", PASSWORD)
        secret = tokens.create_token(registration.find_user("zed"), "zed's").secret
    stranger = ApiClient(app.test_client(), secret)
    own = upload(stranger).json["id"]
    for method, url in (
        ("GET", f"/api/v1/datasets/{dataset_id}/files"),
        ("DELETE", f"/api/v1/datasets/{dataset_id}/files/{file_id}"),
        ("DELETE", f"/api/v1/datasets/{own}/files/{file_id}"),
    ):
        response = call(stranger, method, url)
        assert (response.status_code, error_code(response)) == (404, "not_found"), url
    assert len(files_of(api, dataset_id)) == 2
