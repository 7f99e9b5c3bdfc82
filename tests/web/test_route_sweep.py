"""Every route answers bad input as its caller can use it, never with a 500, whether the ids
exist or are too large for the database, and whatever the body and query string hold: every API
route and method with a JSON error carrying a message, every page a signed-in member can open.
Routes are read from the URL map, so a new one is swept the day it is added."""

import itertools

from flask import Flask
from werkzeug.routing import Rule

from tests.web.api_calls import call, real_ids

BODIES = [
    None,
    "not json",
    "[]",
    "null",
    '"a string"',
    "12345678901234567890123",
    "{}",
    '{"label": 5, "name": [], "role": 7, "texts": "x", "metric": {}}',
    '{"label": "\\u0000", "text": null, "emotion": "zz", "keywords": [[]]}',
]
QUERIES = [  # one bad value each: the first refusal would hide the rest
    "",
    "limit=-1",
    "limit=abc",
    "limit=100000000000000000000000",
    "page=0",
    "page=99999999999999999999",
    "per_page=abc",
    "corrected=maybe",
    "label=zzz",
    "language=%00",
    "since=garbage",
    "until=2026-13-45",
    "action=%00",
    "start=2026-13-45",
    "start=2020-01-01&end=2019-01-01",
    "q=%00",
    "keyword=%ff",
    "explain=yes",
    "format=xml",
    "after_id=-5",
]
# the query a route cannot answer without, put before each query tried
NEEDED = {"/api/v1/datasets/side-by-side": "ids={dataset_id},{other_dataset_id}&"}
TOO_LARGE = 2**63  # past a 64-bit integer column


def too_large(ids: dict[str, object]) -> dict[str, object]:
    return {name: TOO_LARGE if type(value) is int else value for name, value in ids.items()}


def calls(app: Flask) -> list[tuple[str, Rule]]:
    """Every API route and method, reads first and deletions last (they remove the ids)."""
    order = {"GET": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}
    pairs = [
        (method, rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    ]
    return sorted(pairs, key=lambda pair: (order[pair[0]], pair[1].rule))


def test_no_api_route_answers_bad_input_with_a_500(app: Flask, api):
    ids = real_ids(api)
    refused, unreached = [], []
    for method, rule in calls(app):
        bodies = BODIES if method in {"POST", "PUT", "PATCH"} else [None]
        tries = [("", body) for body in bodies] + [(query, bodies[-1]) for query in QUERIES[1:]]
        for values, (query, body) in itertools.product((ids, too_large(ids)), tries):
            path = rule.build({name: values[name] for name in rule.arguments})[1]
            data = {} if body is None else {"data": body}
            needed = NEEDED.get(path, "").format(**values)
            answer = call(
                api, method, f"{path}?{needed}{query}", content_type="application/json", **data
            )
            if method == "GET" and values is ids and not query and answer.status_code != 200:
                unreached.append((path, answer.status_code))
            error = answer.is_json and (answer.json.get("error") or {}).get("message")
            if answer.status_code >= 500 or (answer.status_code >= 400 and not error):
                refused.append((method, path, query, body, answer.status_code))
            answer.close()  # a streamed export is not read to its end
    assert unreached == []  # the real ids reach every route's answer
    assert refused == []


def test_no_page_answers_bad_input_with_a_500(app: Flask, api, auth):
    ids = real_ids(api)
    auth.login()
    pages = [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.endpoint.startswith(("api.", "static"))
    ]
    failed = []
    for rule, values, query in itertools.product(pages, (ids, too_large(ids)), QUERIES):
        path = rule.build({name: values[name] for name in rule.arguments})[1]
        answer = auth.client.get(f"{path}?{query}")
        answer.close()  # a streamed export is not read to its end
        if answer.status_code >= 500:
            failed.append((path, query, answer.status_code))
    assert failed == []
    assert auth.client.get("/account").status_code == 200  # swept signed in, to the end
