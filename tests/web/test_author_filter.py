"""The author filter: every text by one author (a customer who writes again and again), in
every view, export and API call; linked from each author in the texts table and a text's page.
"""

import csv
import io

from tests.web.api_calls import call
from tests.web.api_calls import upload as api_upload
from tests.web.uploads import upload

TICKETS = (
    "text,created_at,author,lat,lon\n"
    '"I love the new tram, so quick",2026-03-01T08:00:00Z,ana,48.2,16.3\n'
    '"The app crashed again, I am furious",2026-03-01T09:00:00Z,ana,,\n'
    '"Tickets scare me, far too expensive",2026-03-02T10:00:00Z,ben,48.1,16.2\n'
    '"What a lovely ride this morning",2026-03-03T11:00:00Z,cy,,\n'
    '"The tram was late again, furious",2026-03-04T12:00:00Z,ana,48.3,16.4\n'
    '"The staff were kind and helpful",2026-03-05T12:00:00Z,,,\n'
)


def tickets(auth) -> int:
    auth.login()
    response = upload(auth, TICKETS, "tickets.csv")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


def test_an_author_filters_every_view(client, auth):
    dataset_id = tickets(auth)
    shown = client.get(f"/datasets/{dataset_id}/summary.json?author=ana").json
    assert shown["analysed"] == 3 and shown["map"]["geotagged"] == 2
    assert sum(row["count"] for row in shown["distribution"]) == 3
    assert shown["filters"] == {"author": "ana"}
    texts = client.get(f"/datasets/{dataset_id}/texts?author=ana").get_data(as_text=True)
    assert "3 texts match" in texts and "kind and helpful" not in texts
    assert 'name="author" value="ana"' in texts
    exported = client.get(f"/datasets/{dataset_id}/export.csv?author=ben").text
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert (row["text"], row["author"]) == ("Tickets scare me, far too expensive", "ben")
    both = client.get(f"/datasets/{dataset_id}/summary.json?author=ana&q=furious").json
    assert both["analysed"] == 2
    keyword = client.get(f"/datasets/{dataset_id}/summary.json?author=ana&keyword=tram").json
    assert keyword["analysed"] == 2
    nobody = client.get(f"/datasets/{dataset_id}/summary.json?author=zoe").json
    assert nobody["analysed"] == 0 and nobody["map"]["geotagged"] == 0
    assert "0 texts match" in client.get(f"/datasets/{dataset_id}/texts?author=zoe").text


def test_each_author_links_to_their_texts(client, auth):
    dataset_id = tickets(auth)
    texts = client.get(f"/datasets/{dataset_id}/texts").get_data(as_text=True)
    link = f'href="/datasets/{dataset_id}/texts?author=ana" title="Every text by ana">ana</a>'
    assert texts.count(link) == 3
    page = client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert '<label>Author <input type="search" name="author" value=""' in page


def test_the_api_filters_by_author(api):
    uploaded = api_upload(api, TICKETS.encode())
    assert uploaded.status_code == 201, uploaded.json
    dataset_id = uploaded.json["id"]
    texts = call(api, "GET", f"/api/v1/datasets/{dataset_id}/texts?author=ana").json
    assert texts["total"] == 3 and {text["author"] for text in texts["texts"]} == {"ana"}
    summary = call(api, "GET", f"/api/v1/datasets/{dataset_id}/summary?author=cy").json
    assert summary["analysed"] == 1 and summary["filters"] == {"author": "cy"}


def test_a_saved_view_keeps_its_author(client, auth):
    dataset_id = tickets(auth)
    saved = auth.post(
        f"/datasets/{dataset_id}/views?author=ana&label=anger",
        {"name": "Ana, angry"},
        token_from="/dashboard",
    )
    assert saved.status_code == 302
    page = client.get(f"/datasets/{dataset_id}").get_data(as_text=True)
    assert f"/datasets/{dataset_id}?label=anger&amp;author=ana" in page
