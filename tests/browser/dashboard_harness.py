"""A throwaway harness for the dashboard and job-progress scripts in a real browser.

A tiny Flask app (in a thread of the test process) renders the real `datasets/_charts.html`
partial and serves the real static files, a fake `summary.json` per scenario, fake job JSON and
same-origin map tiles, all under the production Content-Security-Policy.
"""

import json
import random
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from flask import Flask, Response, abort, render_template_string, request

from emolytics.pipeline.analysed_by import AnalysedBy
from emolytics.security import CONTENT_SECURITY_POLICY

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "emolytics"
LABELS = ["anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral"]
TRAINED = AnalysedBy("Support tickets", ["positive", "negative", "joy"], emotions=False, model_id=7)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OFFLINE_TILES = "http://tiles.invalid"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harness</title>
<link rel="stylesheet" href="{{ url_for('static', filename='style.css') }}">
</head><body><main><h1>Phone reviews</h1>{% include "datasets/_charts.html" %}</main></body></html>
"""
JOB_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Job</title>
<link rel="stylesheet" href="{{ url_for('static', filename='style.css') }}">
<link rel="stylesheet" href="{{ url_for('static', filename='dashboard.css') }}">
</head><body><main>
<div class="job-progress" data-job-url="/jobs/{{ job }}.json" data-done-url="/finished">
  <progress max="1" value="0"></progress> <span class="job-progress-text">Waiting…</span>
</div>
<script src="{{ url_for('static', filename='js/job.js') }}" defer></script>
</main></body></html>
"""

# The shape of templates/datasets/_job.html: a status word, a text span, an error line, a form.
BACKEND_JOB_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Job</title>
<link rel="stylesheet" href="{{ url_for('static', filename='style.css') }}">
<link rel="stylesheet" href="{{ url_for('static', filename='dashboard.css') }}">
</head><body><main>
<div class="job-progress card" data-job-url="/jobs/{{ job }}.json" data-done-url="/finished">
  <p><strong>Analysis</strong>: <span class="job-status">queued</span></p>
  <progress max="1" value="0">0%</progress>
  <span class="job-text">0 of 0 (0%)</span>
  <form class="inline" method="post" action="/cancel"><button type="submit">Cancel</button></form>
</div>
<script src="{{ url_for('static', filename='js/job.js') }}" defer></script>
<script src="{{ url_for('static', filename='js/job.js') }}" defer></script>
</main></body></html>
"""


def _png(rgb: tuple[int, int, int]) -> bytes:
    """A 1x1 PNG of one colour (a map tile; Leaflet stretches it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb))
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _summary(scenario: str) -> dict[str, Any]:
    rng = random.Random(7)
    labels = ["positive", "negative", "joy"] if scenario == "custom" else LABELS
    points = []
    for day in range(1, 31):
        if day in (12, 13):
            continue  # a gap: the chart fills empty days itself
        points.append(
            {
                # the report writes SQLite's "YYYY-MM-DD HH:MM:SS" with a Z: accept both forms
                "t": f"2026-03-{day:02d}{' ' if day % 2 else 'T'}00:00:00Z",
                "counts": {label: rng.randint(0, 12) for label in labels},
            }
        )
    keywords = ["battery", "screen", "camera", "price", "<b>bold</b> & co", "delivery"]
    cities = [(51.5, -0.12), (48.85, 2.35), (40.71, -74.0), (35.68, 139.69), (-33.87, 151.2)]
    map_points = [
        [lat + rng.uniform(-1, 1), lng + rng.uniform(-1, 1), rng.choice(labels)]
        for lat, lng in cities
        for _ in range(8)
    ]
    map_points = [[*point, text_id] for text_id, point in enumerate(map_points, start=1)]
    words = ["love", "great", "😍", "awful", "broken", "😡", "slow", "wow"]
    words += ["embarrassing", "embarrassed"]  # alike up to their tenth letter
    counts = {label: rng.randint(10, 120) for label in labels}
    summary: dict[str, Any] = {
        "dataset": {"id": 3, "name": "Phone reviews / 2026", "row_count": 500},
        "labels": labels,
        "analysed": sum(counts.values()),
        "distribution": [{"label": label, "count": counts[label]} for label in labels],
        "timeline": {"bucket": "day", "points": points},
        "keywords": [
            {
                "keyword": keyword,
                "total": 0,
                "counts": {label: rng.randint(0, 20) for label in labels},
            }
            for keyword in keywords
        ],
        "terms": {
            label: [
                {"term": term, "weight": (weight := round(rng.uniform(1, 15), 2)), "lift": weight}
                for term in rng.sample(words, 6)
            ]
            for label in labels
        },
        "map": {"points": map_points, "geotagged": 55, "shown": len(map_points)},
        "span": {"first": "2026-03-01T00:10:00Z", "last": "2026-03-30T21:50:00Z"},
        "comparison": None,
        "annotations": [  # the second is after the timeline's last day: not drawn
            {"id": 1, "at": "2026-03-10T06:00:00Z", "note": "New timetable on every tram line"},
            {"id": 3, "at": "2026-03-10T18:00:00Z", "note": "Strike"},
            {"id": 4, "at": "2026-03-11T09:00:00Z", "note": "Snow"},
            {"id": 2, "at": "2026-04-02T00:00:00Z", "note": "Spring fares"},
        ],
    }
    for row in summary["keywords"]:
        row["total"] = sum(row["counts"].values())
    if scenario == "custom":
        summary["model"] = {"name": "Support tickets", "emotions": False, "noun": "label"}
    if scenario == "crowded":
        summary["map"]["points"] = [
            [rng.uniform(-60, 70), rng.uniform(-170, 170), rng.choice(labels), text_id]
            for text_id in range(1, 1501)
        ]
        summary["map"].update(geotagged=1500, shown=1500)
    if scenario == "city":  # 154 texts with a city's coordinates, in five districts of Berlin
        districts = [(52.52, 13.405), (52.5, 13.42), (52.54, 13.39), (52.51, 13.37), (52.49, 13.44)]
        summary["map"]["points"] = [
            [*districts[text_id % 5], rng.choice(labels), text_id] for text_id in range(1, 155)
        ]
        summary["map"].update(geotagged=154, shown=154)
    if scenario == "lone":
        summary["map"].update(points=[[48.85, 2.35, "joy", 1]], geotagged=1, shown=1)
    if scenario == "filtered":  # ?label=joy: joy alone, on three days a fortnight apart
        summary["timeline"]["points"] = [
            {"t": f"2026-03-{day:02d}T00:00:00Z", "counts": {"joy": count}}
            for day, count in ((1, 1), (15, 2), (30, 1))
        ]
    if scenario in ("compared", "gap"):  # ?start=2026-03-08&end=2026-03-14 against the week
        now = {"joy": 5, "anger": 15} if scenario == "compared" else {}  # before; gap: none
        summary["comparison"] = _comparison(labels, now, {"joy": 16, "anger": 4, "neutral": 5})
    if scenario == "gap":
        summary.update(analysed=0, distribution=[{"label": x, "count": 0} for x in labels])
    if scenario == "nomap":
        summary["map"] = {"points": [], "geotagged": 0, "shown": 0}
        summary["timeline"]["points"] = []
        summary["keywords"] = []
        summary["span"] = {"first": None, "last": None}  # no text carries a timestamp
    if scenario == "empty":
        summary.update(analysed=0, distribution=[{"label": x, "count": 0} for x in labels])
        summary["timeline"]["points"] = []
        summary["map"] = {"points": [], "geotagged": 0, "shown": 0}
    return summary


def _comparison(labels: list[str], now: dict[str, int], before: dict[str, int]) -> dict[str, Any]:
    """The summary's comparison of 8 to 14 March with the week before."""
    texts, previous_texts = sum(now.values()), sum(before.values())
    return {
        "start": "2026-03-08",
        "end": "2026-03-14",
        "previous_start": "2026-03-01",
        "previous_end": "2026-03-07",
        "analysed": texts,
        "previous_analysed": previous_texts,
        "labels": [
            {
                "label": label,
                "count": now.get(label, 0),
                "previous_count": before.get(label, 0),
                "change": now.get(label, 0) / texts - before.get(label, 0) / previous_texts
                if texts
                else None,
                "significant": bool(texts) and label in ("joy", "anger"),
            }
            for label in labels
        ],
    }


@dataclass
class Harness:
    url: str
    job_requests: dict[int, int] = field(default_factory=dict)


def _job(job_id: int, calls: int) -> dict[str, Any]:
    """Job 1 runs to done in steps of 1,000; job 2 fails and job 3 is cancelled after one step;
    job 4 analyses one text and stays at none done."""
    total = 1 if job_id == 4 else 3000
    done = 0 if job_id == 4 else min(total, 1000 * calls)
    status = "running"
    error = None
    if job_id == 1 and done >= total:
        status = "done"
    elif job_id in (2, 3) and calls > 1:
        status = "failed" if job_id == 2 else "cancelled"
        error = "Worker crashed: <out of memory>" if job_id == 2 else None
    return {
        "id": job_id,
        "kind": "analysis",
        "status": status,
        "done": done,
        "total": total,
        "progress_noun": "text analysed" if total == 1 else "texts analysed",  # as the app says
        "error": error,
        "dataset_id": 3,
    }


# The texts behind the map's markers, as `datasets.text_json` answers: text 1 tries markup.
def _text(text_id: int) -> dict[str, Any]:
    return {
        "id": text_id,
        "text": "<img src=x data-injected=1> great screen" if text_id == 1 else f"text {text_id}",
        "label": "joy",
        "posted_at": "2026-03-04T09:30:00Z",
        "url": f"/texts/{text_id}",
    }


def _harness_app(state: Harness) -> Flask:
    app = Flask(
        "dashboard_harness",
        static_folder=str(PACKAGE / "static"),
        template_folder=str(PACKAGE / "templates"),
    )

    @app.after_request
    def headers(response: Response) -> Response:
        policy = CONTENT_SECURITY_POLICY
        if request.args.get("tiles") == "offline":  # what the backend adds for a tile host
            policy = policy.replace("img-src 'self' data:", f"img-src 'self' data: {OFFLINE_TILES}")
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.get("/page/<scenario>")
    def page(scenario: str) -> str:
        offline = request.args.get("tiles") == "offline"
        return render_template_string(
            PAGE,
            summary_url=f"/summary/{scenario}.json?label=&q=",
            text_url="/texts/{id}.json",
            tile_url=(OFFLINE_TILES if offline else "") + "/tiles/{z}/{x}/{y}.png",
            tile_attribution='&copy; <a href="https://www.openstreetmap.org/copyright">'
            "OpenStreetMap</a> contributors<script>alert(1)</script>",
            # the city's texts were placed by their place column: GeoNames is credited
            dataset=SimpleNamespace(column_map={"place": "City"} if scenario == "city" else {}),
            **({"model": TRAINED} if scenario == "custom" else {}),
        )

    @app.get("/summary/<scenario>.json")
    def summary(scenario: str) -> Response:
        if scenario == "broken":
            abort(500)
        return Response(json.dumps(_summary(scenario)), mimetype="application/json")

    @app.get("/texts/<int:text_id>.json")
    def text(text_id: int) -> Response:
        return Response(json.dumps(_text(text_id)), mimetype="application/json")

    @app.get("/tiles/<int:z>/<int:x>/<int:y>.png")
    def tile(z: int, x: int, y: int) -> Response:
        return Response(_png((0xDD, 0xE6, 0xEE)), mimetype="image/png")

    @app.get("/jobs/<int:job_id>.json")
    def job(job_id: int) -> Response:
        state.job_requests[job_id] = state.job_requests.get(job_id, 0) + 1
        body = _job(job_id, state.job_requests[job_id])
        return Response(json.dumps(body), mimetype="application/json")

    @app.get("/job-page/<int:job_id>")
    def job_page(job_id: int) -> str:
        return render_template_string(JOB_PAGE, job=job_id)

    @app.get("/backend-job-page/<int:job_id>")
    def backend_job_page(job_id: int) -> str:
        return render_template_string(BACKEND_JOB_PAGE, job=job_id)

    @app.get("/finished")
    def finished() -> str:
        return "<!doctype html><title>Done</title><h1>Results</h1>"

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    return app
