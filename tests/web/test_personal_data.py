"""A dataset that masks personal data: chosen at its upload (page or API) or when its live feed
is opened, its texts are stored masked and its authors under pseudonyms, from every source
(the upload, a file added later, the feed); the exports and the API show them so. Datasets
that do not ask keep their texts whole."""

import csv
import io

import pytest

from emolytics.extensions import db
from emolytics.pipeline import personal_data
from emolytics.tables import Dataset, Job
from tests.conftest import csrf_token
from tests.web.api_calls import add_file, call, error_code, new_feed, push, upload
from tests.web.audit_rows import events
from tests.web.bulk_rows import stored_texts
from tests.web.uploads import upload as upload_on_page

SUPPORT = (
    "text,created_at,author\n"
    '"Refund my card 4111 1111 1111 1111 now, call +43 660 1234567",2026-03-01T08:00:00Z,Ana\n'
    '"Mail ana@example.org, I am so angry",2026-03-02T09:30:00Z,ben\n'
    '"Lovely ride on line 5 at 10:30",2026-03-03T18:00:00Z,ana\n'
)
MASKED = [
    "Refund my card [card] now, call [phone]",
    "Mail [email], I am so angry",
    "Lovely ride on line 5 at 10:30",
]


def test_an_upload_asked_to_mask_stores_no_personal_data(app, auth):
    auth.login()
    response = upload_on_page(auth, SUPPORT, mask_personal_data="y")
    assert response.status_code == 302
    rows = stored_texts(app)
    assert [row.text for row in rows] == MASKED
    ana, ben, ana_again = (row.author for row in rows)
    assert ana.startswith("author-") and ana == ana_again and ben != ana
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "personal data masked" in page
    exported = auth.client.get(response.headers["Location"] + "/export.csv").get_data(as_text=True)
    assert "4111" not in exported and "ana@example.org" not in exported and "Ana" not in exported
    assert {row["author"] for row in csv.DictReader(io.StringIO(exported))} == {ana, ben}


def test_an_upload_that_does_not_ask_keeps_its_texts_whole(app, auth):
    auth.login()
    response = upload_on_page(auth, SUPPORT)
    assert [row.author for row in stored_texts(app)] == ["Ana", "ben", "ana"]
    assert stored_texts(app)[1].text == "Mail ana@example.org, I am so angry"
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "personal data masked" not in page


def test_a_file_added_later_is_masked_with_the_same_pseudonyms(app, auth):
    auth.login()
    dataset_url = upload_on_page(auth, SUPPORT, mask_personal_data="y").headers["Location"]
    url = f"{dataset_url}/files"
    page = auth.client.get(url).get_data(as_text=True)
    assert "The dataset masks personal data" in page
    added = "text,author\nWrite to ben@example.org,BEN\n"
    form = {
        "csrf_token": csrf_token(auth.client, url),
        "file": (io.BytesIO(added.encode()), "b.csv"),
    }
    assert auth.client.post(url, data=form, content_type="multipart/form-data").status_code == 302
    rows = stored_texts(app)
    assert rows[-1].text == "Write to [email]" and rows[-1].author == rows[1].author


def test_the_api_masks_an_upload_an_added_file_and_a_feed(app, api):
    made = upload(api, SUPPORT.encode(), mask_personal_data="true")
    assert made.status_code == 201 and made.json["masks_personal_data"] is True
    texts = call(api, "GET", f"/api/v1/datasets/{made.json['id']}/texts").json["texts"]
    assert [text["text"] for text in sorted(texts, key=lambda text: text["line"])] == MASKED
    assert add_file(api, made.json["id"]).status_code == 201
    assert all(row.author.startswith("author-") for row in stored_texts(app))  # hal, ivy too
    assert upload(api).json["masks_personal_data"] is False

    feed = new_feed(api, mask_personal_data=True)
    assert feed["masks_personal_data"] is True
    item = {"text": "Call me on +1 212 736 5000", "author": "@ana_l"}
    assert push(api, feed["id"], [item]).status_code == 201
    [row] = [row for row in stored_texts(app) if row.dataset_id == feed["id"]]
    assert row.text == "Call me on [phone]" and row.author.startswith("author-")
    plain = new_feed(api)
    assert plain["masks_personal_data"] is False
    push(api, plain["id"], [item])
    assert stored_texts(app)[-1].text == item["text"]


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda api: upload(api, mask_personal_data="perhaps"), "mask_personal_data"),
        (
            lambda api: call(
                api, "POST", "/api/v1/datasets", json={"name": "F", "mask_personal_data": "yes"}
            ),
            "mask_personal_data",
        ),
    ],
    ids=["upload", "feed"],
)
def test_a_bad_choice_is_refused_and_nothing_is_made(app, api, make, field):
    response = make(api)
    assert response.status_code == 400 and error_code(response) == "invalid_parameter"
    assert field in response.json["error"]["message"]
    with app.app_context():
        assert db.session.query(Dataset).count() == 0


def test_texts_cannot_be_added_once_the_key_is_lost(app_factory, app, api):
    feed = new_feed(api, mask_personal_data=True)
    other = app_factory(SECRET_KEY="a different secret key for this server, 0123456789")
    with other.app_context():
        from emolytics.accounts import tokens
        from emolytics.accounts.registration import find_user

        secret = tokens.create_token(find_user("ada"), "other").secret
    client = other.test_client()
    response = client.post(
        f"/api/v1/datasets/{feed['id']}/texts",
        json=[{"text": "Mail ana@example.org"}],
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 409, response.json
    assert error_code(response) == "key_unreadable"
    assert "SECRET_KEY changed" in response.json["error"]["message"]
    assert [row for row in stored_texts(app) if row.dataset_id == feed["id"]] == []


def test_an_unknown_phone_region_stops_the_server_with_a_clear_message(app_factory):
    with pytest.raises(ValueError, match="PHONE_REGION 'XX' is no region of phone numbers"):
        app_factory(PHONE_REGION="xx")
    assert app_factory(PHONE_REGION="at").config["PHONE_REGION"] == "AT"


def test_a_datasets_stored_texts_are_masked_after_the_question(app, auth):
    auth.login()
    dataset_url = upload_on_page(auth, SUPPORT).headers["Location"]
    dataset_id = int(dataset_url.rsplit("/", 1)[1])
    page = auth.client.get(dataset_url).get_data(as_text=True)
    assert "Mask personal data…" in page
    asked = auth.client.get(f"{dataset_url}/mask")
    assert asked.status_code == 200
    assert "Mask the personal data of “Reviews”?" in asked.get_data(as_text=True)
    assert "This cannot be undone" in asked.get_data(as_text=True)
    assert stored_texts(app)[1].text == "Mail ana@example.org, I am so angry"  # asking did nothing

    token = csrf_token(auth.client, f"{dataset_url}/mask")
    done = auth.client.post(f"{dataset_url}/mask", data={"csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith(dataset_url)
    rows = stored_texts(app)
    assert [row.text for row in rows] == MASKED
    assert rows[0].author == rows[2].author != rows[1].author
    assert rows[0].author.startswith("author-")
    with app.app_context():
        dataset = db.session.get(Dataset, dataset_id)
        kinds = [job.kind for job in db.session.query(Job).filter_by(dataset_id=dataset_id)]
        current = db.session.get(Job, dataset.current_job_id)
        assert kinds == ["analysis", "masking", "analysis"]  # analysed again after
        assert current.kind == "analysis" and current.status == "done" and current.done == 3
    assert events(app, "dataset.masked")
    page = auth.client.get(dataset_url).get_data(as_text=True)
    assert "personal data masked" in page and "Mask personal data…" not in page
    again = auth.client.post(f"{dataset_url}/mask", data={"csrf_token": token})
    assert again.status_code == 302
    assert "masked already" in auth.client.get(dataset_url).get_data(as_text=True)
    # masking again changes nothing: a pseudonym is not pseudonymised twice
    with app.app_context():
        personal_data.mask_stored(db.session.get(Dataset, dataset_id))
    assert [(row.text, row.author) for row in stored_texts(app)] == [
        (row.text, row.author) for row in rows
    ]


def test_the_api_masks_a_datasets_texts_once(app, api):
    made = upload(api, SUPPORT.encode()).json
    started = call(api, "POST", f"/api/v1/datasets/{made['id']}/mask")
    assert started.status_code == 202 and started.json["kind"] == "masking"
    assert started.headers["Location"].endswith(f"/api/v1/jobs/{started.json['id']}")
    assert [row.text for row in stored_texts(app)] == MASKED
    answer = call(api, "GET", f"/api/v1/datasets/{made['id']}").json
    assert answer["masks_personal_data"] is True
    refused = call(api, "POST", f"/api/v1/datasets/{made['id']}/mask")
    assert refused.status_code == 409 and error_code(refused) == "masked_already"

    feed = new_feed(api)  # no texts yet: masked from its first
    opened = call(api, "POST", f"/api/v1/datasets/{feed['id']}/mask")
    assert opened.status_code == 200 and opened.json["masks_personal_data"] is True
    push(api, feed["id"], ["Mail ben@example.org"])
    assert stored_texts(app)[-1].text == "Mail [email]"
