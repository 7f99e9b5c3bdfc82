"""The API reference page: every operation of the OpenAPI document, whatever its method, with a
curl line that runs as it is, and descriptions whose `code` reads as code."""

import re

from emolytics.api.reference import marked


def test_every_operation_of_the_document_is_on_the_page(client):
    document = client.get("/api/v1/openapi.json").json
    operations = {
        (method.upper(), operation["operationId"])
        for item in document["paths"].values()
        for method, operation in item.items()
        if method != "parameters"
    }
    assert {method for method, _ in operations} == {"GET", "POST", "PUT", "PATCH", "DELETE"}
    html = client.get("/api/v1/reference").get_data(as_text=True)
    for method, anchor in operations:
        assert f'id="{anchor}"' in html, anchor
        assert f"curl -X {method} " in html, method
    assert "curl -X PUT http://localhost/api/v1/datasets/1/texts/1/label \\" in html
    assert "curl -X PATCH http://localhost/api/v1/teams/1/members/1 \\" in html
    curls = re.findall(r"curl -X [A-Z]+ [^\n]*", html)
    assert curls and not [line for line in curls if "{" in line]  # no {id} left to fill in


def test_descriptions_show_code_as_code_and_escape_the_rest(client):
    html = client.get("/api/v1/reference").get_data(as_text=True)
    assert "with <code>Authorization: Bearer &lt;token&gt;</code>;" in html
    assert "(400, <code>unknown_label</code>)" in html
    assert "`" not in re.sub(r"<pre>.*?</pre>", "", html, flags=re.S)
    assert marked("a `<b>` and ` alone") == "a `&lt;b&gt;` and ` alone"
    assert marked("`x` then `<y>`") == "<code>x</code> then <code>&lt;y&gt;</code>"
