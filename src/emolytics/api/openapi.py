"""The OpenAPI 3.1 document of API v1, written as data; `GET /openapi.json` serves it.

Every path, status code and response shape here is what the views return; the tests check the
two against each other with schemathesis.
"""

from typing import Any

from flask.typing import ResponseReturnValue

from emolytics import __version__
from emolytics.api import bp
from emolytics.api.analyze import MAX_TEXTS
from emolytics.api.inputs import MAX_ID, MAX_NAME_CHARS
from emolytics.api.texts import MAX_BATCH, MAX_PAGE, MAX_PER_PAGE
from emolytics.engine.decoding import ENCODING_NAMES
from emolytics.engine.labels import EMOTIONS
from emolytics.pipeline.ingest import MAX_AUTHOR_CHARS, MAX_TEXT_CHARS

Schema = dict[str, Any]

STATUS_TEXTS = {
    400: "The request cannot be used; `error.message` says why.",
    401: "No usable bearer token (`WWW-Authenticate: Bearer`).",
    404: "No such resource, or it belongs to another user.",
    409: "The request conflicts with the resource's state.",
    413: "Too many texts in one call or upload (`too_many_texts`), more than the account may "
    "store (`storage_full`), or a file larger than the server accepts.",
    422: "The `Idempotency-Key` was used for a different request.",
    415: "The Content-Type is not one this operation reads.",
}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: Schema) -> Schema:
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def _object(properties: dict[str, Schema], optional: tuple[str, ...] = ()) -> Schema:
    """A closed object whose properties are all required except `optional`."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def _json(schema: Schema, example: Any = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": schema}
    if example is not None:
        media["example"] = example
    return {"application/json": media}


def _ok(description: str, schema: Schema, headers: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": _json(schema)}
    if headers:
        response["headers"] = {
            "Location": {"description": "Where to follow it.", "schema": {"type": "string"}}
        }
    return response


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(status): {"$ref": f"#/components/responses/E{status}"} for status in statuses}


ID = {"type": "integer", "format": "int64", "minimum": 1}
# What `text_problem` and `clean_name` accept: at least one character other than white space.
NOT_BLANK = r"\S"
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string (a UUID, say) to make a retry safe: the same key from "
    "you within 24 hours gets the first answer again (with `Idempotent-Replayed: true`) and "
    "stores nothing new; the key with a different request gets 422, and a retry while the "
    "first request is still being answered gets 409.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}


def _id_parameter(name: str, what: str) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": f"The {what}'s id.",
        "schema": ID,
    }


FILTER_PARAMETERS = [
    {
        "name": "label",
        "in": "query",
        "description": "Only texts with this label: one of the dataset's labels (the default "
        f"analyzer's are {', '.join(EMOTIONS)}); any other is refused (400, `unknown_label`).",
        "schema": {"type": "string"},
    },
    {
        "name": "keyword",
        "in": "query",
        "description": "Only texts that mention this tracked keyword.",
        "schema": {"type": "string"},
    },
    {
        "name": "start",
        "in": "query",
        "description": "Only texts posted on or after this day (UTC), e.g. 2026-03-01.",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "end",
        "in": "query",
        "description": "Only texts posted on or before this day (UTC).",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "q",
        "in": "query",
        "description": "Only texts containing these words (any case; first 200 characters).",
        "schema": {"type": "string"},
    },
]

# --- components ----------------------------------------------------------------------------------

JOB = _object(
    {
        "id": {"type": "integer"},
        "kind": {"enum": ["analysis", "training", "tagging"]},
        "status": {"enum": ["queued", "running", "done", "failed", "cancelled"]},
        "done": {"type": "integer", "description": "Texts (or steps) done so far."},
        "total": {"type": "integer"},
        "error": {"type": ["string", "null"], "description": "Why it failed, for people."},
        "dataset_id": {"type": ["integer", "null"]},
        "model_id": {
            "type": ["integer", "null"],
            "description": "Analysis: the model used (null: default). Training: the model made.",
        },
        "created_at": {"type": "string", "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
    }
)

COLUMN = {"type": ["string", "null"]}
DATASET = _object(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "source": {"enum": ["upload", "api", "sample"]},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "row_count": {"type": "integer", "description": "Texts stored."},
        "skipped_count": {"type": "integer", "description": "Unreadable rows skipped."},
        "skipped_rows": {
            "type": "array",
            "items": _object({"line": {"type": "integer"}, "reason": {"type": "string"}}),
        },
        "columns": {
            "type": "object",
            "description": "Which input columns held the text and its details.",
            "additionalProperties": COLUMN,
        },
        "created_at": {"type": "string", "format": "date-time"},
        "current_job_id": {
            "type": ["integer", "null"],
            "description": "The finished analysis the numbers come from (null: none yet).",
        },
        "job": _nullable(_ref("Job")),
        "encoding": {
            "enum": list(ENCODING_NAMES),
            "description": "How the file's bytes were read; only in the answer to an upload.",
        },
    },
    optional=("encoding",),
)

RESULT = _object(
    {
        "label": {"type": "string"},
        "scores": {
            "type": "object",
            "description": "One score in [0, 1] per label, summing to 1.",
            "additionalProperties": {"type": "number"},
        },
        "valence": {"type": "number", "minimum": -1, "maximum": 1},
        "contributions": {
            "type": "array",
            "description": "Only with `explain`: [token, weight] pairs, strongest first.",
            "items": {
                "type": "array",
                "prefixItems": [{"type": "string"}, {"type": "number"}],
                "minItems": 2,
                "maxItems": 2,
            },
        },
    },
    optional=("contributions",),
)

COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
TIMELINE = _object(
    {
        "bucket": {"enum": ["hour", "day", "week"]},
        "points": {
            "type": "array",
            "items": _object({"t": {"type": "string"}, "counts": COUNTS}),
        },
    }
)
FILTERS = {
    "type": "object",
    "description": "The filters applied, as query parameters.",
    "additionalProperties": {"type": "string"},
}
SUMMARY = _object(
    {
        "dataset": _object(
            {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "row_count": {"type": "integer"},
            }
        ),
        "model": _object(
            {
                "name": {
                    "type": "string",
                    "description": "The trained model's name, or `the default analyzer`.",
                },
                "emotions": {
                    "type": "boolean",
                    "description": "The labels are emotions (all among the default's seven).",
                },
                "noun": {"enum": ["emotion", "label"]},
            }
        ),
        "labels": {"type": "array", "items": {"type": "string"}},
        "analysed": {"type": "integer", "description": "Analysed texts matching the filters."},
        "distribution": {
            "type": "array",
            "items": _object({"label": {"type": "string"}, "count": {"type": "integer"}}),
        },
        "timeline": _ref("Timeline"),
        "keywords": {
            "type": "array",
            "items": _object(
                {"keyword": {"type": "string"}, "total": {"type": "integer"}, "counts": COUNTS}
            ),
        },
        "terms": {
            "type": "object",
            "description": "Per label, the words that pushed texts towards it most.",
            "additionalProperties": {
                "type": "array",
                "items": _object(
                    {
                        "term": {"type": "string"},
                        "weight": {"type": "number"},
                        "texts": {"type": "integer"},
                    }
                ),
            },
        },
        "map": _object(
            {
                "points": {
                    "type": "array",
                    "description": (
                        "[lat, lon, label, text id] of the newest geotagged texts (at most 5,000)."
                    ),
                    "items": {
                        "type": "array",
                        "prefixItems": [
                            {"type": "number"},
                            {"type": "number"},
                            {"type": "string"},
                            {"type": "integer"},
                        ],
                        "minItems": 4,
                        "maxItems": 4,
                    },
                },
                "geotagged": {"type": "integer"},
                "shown": {"type": "integer"},
            }
        ),
        "filters": FILTERS,
    }
)

TEXT = _object(
    {
        "id": {"type": "integer"},
        "line": {"type": "integer", "description": "Line in the file, or position in the feed."},
        "text": {"type": "string"},
        "posted_at": {"type": ["string", "null"], "format": "date-time"},
        "author": {"type": ["string", "null"]},
        "lat": {"type": ["number", "null"]},
        "lon": {"type": ["number", "null"]},
        "label": {"type": "string"},
        "confidence": {"type": "number", "description": "The label's score."},
        "valence": {"type": "number"},
        "scores": {"type": "object", "additionalProperties": {"type": "number"}},
    }
)

MODEL = _object(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "kind": {"type": "string"},
        "ready": {"type": "boolean", "description": "Trained, and usable as `model_id`."},
        "labels": {"type": "array", "items": {"type": "string"}},
        "metrics": {
            "type": "object",
            "description": "Cross-validation results (accuracy, macro F1, per label, ...).",
        },
        "training_rows": {"type": "integer"},
        "text_column": {"type": "string"},
        "label_column": {"type": "string"},
        "created_at": {"type": "string", "format": "date-time"},
        "job": _nullable(_ref("Job")),
    }
)

ERROR = _object(
    {
        "error": _object(
            {
                "code": {"type": "string", "description": "Stable, for programs."},
                "message": {"type": "string", "description": "For people."},
                "items": {
                    "type": "array",
                    "description": "The bad items of a batch (the first 100).",
                    "items": _object({"index": {"type": "integer"}, "reason": {"type": "string"}}),
                },
            },
            optional=("items",),
        )
    }
)

TEXT_FIELD = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS, "pattern": NOT_BLANK}
TEXT_ITEM = {
    "oneOf": [
        TEXT_FIELD,
        _object(
            {
                "text": TEXT_FIELD,
                "posted_at": {
                    "type": ["string", "number", "null"],
                    "description": "ISO 8601 (naive means UTC) or Unix seconds; missing or "
                    "null: the time the server received the push.",
                },
                "author": {"type": ["string", "null"], "maxLength": MAX_AUTHOR_CHARS},
                "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
                "lon": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
            },
            optional=("posted_at", "author", "lat", "lon"),
        ),
    ]
}

NAME = {"type": "string", "minLength": 1, "maxLength": MAX_NAME_CHARS, "pattern": NOT_BLANK}
UPLOAD_FORM = {
    "type": "object",
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "CSV, JSON Lines or plain text.",
        },
        "name": NAME,
        "keywords": {"type": "string", "description": "Keywords to track, comma-separated."},
        "text_column": {"type": "string", "description": "Default: guessed from the names."},
        "time_column": {"type": "string"},
        "author_column": {"type": "string"},
        "lat_column": {"type": "string"},
        "lon_column": {"type": "string"},
        "skip_bad_rows": {
            "type": "string",
            "enum": ["true", "false"],
            "description": "Skip unreadable rows instead of refusing the file.",
        },
    },
    "required": ["file", "name"],
}

COMPONENTS = {
    "securitySchemes": {
        "bearer": {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token from the account's API tokens page.",
        }
    },
    "schemas": {
        "Job": JOB,
        "Dataset": DATASET,
        "Result": RESULT,
        "Timeline": TIMELINE,
        "Summary": SUMMARY,
        "Text": TEXT,
        "Model": MODEL,
        "Error": ERROR,
        "TextItem": TEXT_ITEM,
        "TextField": TEXT_FIELD,
    },
    "responses": {
        f"E{status}": {"description": text, "content": _json(_ref("Error"))}
        for status, text in STATUS_TEXTS.items()
    },
}

# --- paths ---------------------------------------------------------------------------------------

DATASET_ID = _id_parameter("dataset_id", "dataset")
JOB_ID = _id_parameter("job_id", "job")
MODEL_ID = _id_parameter("model_id", "model")

ANALYZE = {
    "post": {
        "operationId": "analyze",
        "tags": ["Analysis"],
        "summary": "Analyse texts",
        "description": f"Labels, scores and valence of 1 to {MAX_TEXTS:,} texts; nothing is "
        "stored. With `explain`, the words that made each label.",
        "requestBody": {
            "required": True,
            "content": _json(
                _object(
                    {
                        "texts": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": MAX_TEXTS,
                            "items": _ref("TextField"),
                        },
                        "explain": {"type": "boolean", "default": False},
                        "model_id": {
                            **_nullable(ID),
                            "description": "One of your trained models (null: the default).",
                        },
                    },
                    optional=("explain", "model_id"),
                ),
                {"texts": ["The new tram is wonderful!", "Delayed again..."], "explain": True},
            ),
        },
        "responses": {
            "200": _ok(
                "One result per text, in order.",
                _object({"results": {"type": "array", "items": _ref("Result")}}),
            ),
            **_errors(400, 401, 404, 409, 413, 415),
        },
    }
}

DATASETS = {
    "get": {
        "operationId": "listDatasets",
        "tags": ["Datasets"],
        "summary": "List your datasets",
        "responses": {
            "200": _ok(
                "Your datasets, newest first.",
                _object({"datasets": {"type": "array", "items": _ref("Dataset")}}),
            ),
            **_errors(401),
        },
    },
    "post": {
        "operationId": "createDataset",
        "tags": ["Datasets"],
        "summary": "Upload a file, or open a live feed",
        "parameters": [IDEMPOTENCY_KEY],
        "description": "Multipart: a file of texts, stored all-or-nothing and analysed at once "
        "(the dataset's `job`). JSON: an empty dataset to push texts to.",
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": UPLOAD_FORM,
                    "example": {"file": "reviews.csv", "name": "Reviews", "keywords": "tram,app"},
                },
                **_json(
                    _object(
                        {
                            "name": NAME,
                            "keywords": {
                                "type": "array",
                                "items": {"type": "string", "maxLength": 80},
                                "maxItems": 50,
                            },
                        },
                        optional=("keywords",),
                    ),
                    {"name": "Live feed", "keywords": ["tram", "delays"]},
                ),
            },
        },
        "responses": {
            "201": _ok("The new dataset.", _ref("Dataset"), headers=True),
            **_errors(400, 401, 409, 413, 415, 422),
        },
    },
}

NO_CONFIRMATION = (
    "Deletes at once, with no confirmation step and no undo: unlike the web pages, which ask "
    "for the name to be typed first, the API takes a DELETE from a token holder as meant."
)

DATASET_PATH = {
    "parameters": [DATASET_ID],
    "get": {
        "operationId": "getDataset",
        "tags": ["Datasets"],
        "summary": "A dataset and its latest analysis",
        "responses": {"200": _ok("The dataset.", _ref("Dataset")), **_errors(401, 404)},
    },
    "delete": {
        "operationId": "deleteDataset",
        "tags": ["Datasets"],
        "summary": "Delete a dataset with its texts, results and jobs",
        "description": NO_CONFIRMATION,
        "responses": {"204": {"description": "Deleted."}, **_errors(401, 404)},
    },
}

REANALYZE = {
    "parameters": [DATASET_ID],
    "post": {
        "operationId": "analyzeDataset",
        "tags": ["Datasets"],
        "summary": "Analyse a dataset again",
        "description": "With the default analyzer or one of your trained models; the numbers "
        "switch to the new analysis when it finishes. The body is optional.",
        "requestBody": {
            "required": False,
            "content": _json(
                _object({"model_id": _nullable(ID)}, ("model_id",)),
                {"model_id": None},
            ),
        },
        "responses": {
            "202": _ok("The analysis job.", _ref("Job"), headers=True),
            **_errors(400, 401, 404, 409, 415),
        },
    },
}

TEXTS = {
    "parameters": [DATASET_ID],
    "post": {
        "operationId": "pushTexts",
        "tags": ["Live feed"],
        "summary": "Push a batch of texts",
        "parameters": [IDEMPOTENCY_KEY],
        "description": f"1 to {MAX_BATCH:,} texts (strings or objects) as a JSON array or "
        "NDJSON, one text per line. Every item is checked first: if any is bad, nothing is "
        "stored and `error.items` lists them by index (NDJSON: 0-based line number). The texts "
        "are analysed at once and show on the dashboard.",
        "requestBody": {
            "required": True,
            "content": {
                **_json(
                    {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": MAX_BATCH,
                        "items": _ref("TextItem"),
                    },
                    [
                        "Loving the new tram line",
                        {"text": "Stuck again", "posted_at": "2026-03-01T08:15:00Z", "author": "k"},
                    ],
                ),
                "application/x-ndjson": {
                    "schema": {"type": "string"},
                    "example": '{"text": "Loving the new tram line"}\n{"text": "Stuck again"}\n',
                },
            },
        },
        "responses": {
            "201": _ok(
                "How many texts were added, and the dataset now.",
                _object({"added": {"type": "integer"}, "dataset": _ref("Dataset")}),
            ),
            **_errors(400, 401, 404, 409, 413, 415, 422),
        },
    },
    "get": {
        "operationId": "listTexts",
        "tags": ["Reports"],
        "summary": "Analysed texts, filtered and paginated",
        "description": "Newest first (texts without a time last), with label and scores.",
        "parameters": [
            *FILTER_PARAMETERS,
            {
                "name": "page",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": "per_page",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            },
        ],
        "responses": {
            "200": _ok(
                "One page of texts.",
                _object(
                    {
                        "texts": {"type": "array", "items": _ref("Text")},
                        "page": {"type": "integer"},
                        "pages": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "total": {"type": "integer"},
                        "capped": {
                            "type": "boolean",
                            "description": "A text search (q) counts 1,000 matches at most: "
                            "true when more texts match than `total`.",
                        },
                        "filters": FILTERS,
                    }
                ),
            ),
            **_errors(400, 401, 404),
        },
    },
}


def _report(operation_id: str, summary: str, schema: str) -> dict[str, Any]:
    return {
        "parameters": [DATASET_ID],
        "get": {
            "operationId": operation_id,
            "tags": ["Reports"],
            "summary": summary,
            "parameters": FILTER_PARAMETERS,
            "responses": {"200": _ok(summary + ".", _ref(schema)), **_errors(400, 401, 404)},
        },
    }


JOBS = {
    "get": {
        "operationId": "listJobs",
        "tags": ["Jobs"],
        "summary": "Your 50 most recent jobs",
        "responses": {
            "200": _ok("Newest first.", _object({"jobs": {"type": "array", "items": _ref("Job")}})),
            **_errors(401),
        },
    }
}

JOB_PATH = {
    "parameters": [JOB_ID],
    "get": {
        "operationId": "getJob",
        "tags": ["Jobs"],
        "summary": "A job's status and progress",
        "responses": {"200": _ok("The job.", _ref("Job")), **_errors(401, 404)},
    },
}

CANCEL = {
    "parameters": [JOB_ID],
    "post": {
        "operationId": "cancelJob",
        "tags": ["Jobs"],
        "summary": "Cancel a job",
        "description": "Running parts stop after their current chunk.",
        "responses": {"200": _ok("The cancelled job.", _ref("Job")), **_errors(401, 404, 409)},
    },
}

MODELS = {
    "get": {
        "operationId": "listModels",
        "tags": ["Models"],
        "summary": "List your trained models",
        "responses": {
            "200": _ok(
                "Newest first.", _object({"models": {"type": "array", "items": _ref("Model")}})
            ),
            **_errors(401),
        },
    },
    "post": {
        "operationId": "trainModel",
        "tags": ["Models"],
        "summary": "Train a model from a labeled CSV",
        "description": "Training runs as a job (the model's `job`); `ready` turns true when it "
        "has finished. Each label needs a few rows; at most 50 MB.",
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "name": NAME,
                            "text_column": {"type": "string", "default": "text"},
                            "label_column": {"type": "string", "default": "label"},
                        },
                        "required": ["file", "name"],
                    },
                    "example": {"file": "labeled.csv", "name": "Support tickets"},
                }
            },
        },
        "responses": {
            "202": _ok("The model, training.", _ref("Model"), headers=True),
            **_errors(400, 401, 413, 415),
        },
    },
}

MODEL_PATH = {
    "parameters": [MODEL_ID],
    "get": {
        "operationId": "getModel",
        "tags": ["Models"],
        "summary": "A model with its metrics",
        "responses": {"200": _ok("The model.", _ref("Model")), **_errors(401, 404)},
    },
    "delete": {
        "operationId": "deleteModel",
        "tags": ["Models"],
        "summary": "Delete a model and the analyses that used it",
        "description": NO_CONFIRMATION,
        "responses": {"204": {"description": "Deleted."}, **_errors(401, 404)},
    },
}

ME = {
    "get": {
        "operationId": "me",
        "tags": ["Account"],
        "summary": "The token's user",
        "responses": {
            "200": _ok(
                "You.",
                _object(
                    {
                        "id": {"type": "integer"},
                        "username": {"type": "string"},
                        "created_at": {"type": "string", "format": "date-time"},
                        "last_login_at": {"type": ["string", "null"], "format": "date-time"},
                    }
                ),
            ),
            **_errors(401),
        },
    }
}

OPENAPI = {
    "get": {
        "operationId": "openapi",
        "tags": ["Documentation"],
        "summary": "This document",
        "security": [],
        "responses": {"200": _ok("OpenAPI 3.1.", {"type": "object"})},
    }
}

REFERENCE = {
    "get": {
        "operationId": "reference",
        "tags": ["Documentation"],
        "summary": "This document as a readable page",
        "security": [],
        "responses": {
            "200": {
                "description": "HTML.",
                "content": {"text/html": {"schema": {"type": "string"}}},
            }
        },
    }
}

PATHS = {
    "/me": ME,
    "/analyze": ANALYZE,
    "/datasets": DATASETS,
    "/datasets/{dataset_id}": DATASET_PATH,
    "/datasets/{dataset_id}/texts": TEXTS,
    "/datasets/{dataset_id}/summary": _report("getSummary", "The dashboard's numbers", "Summary"),
    "/datasets/{dataset_id}/timeline": _report(
        "getTimeline", "Counts per label over time", "Timeline"
    ),
    "/datasets/{dataset_id}/analyze": REANALYZE,
    "/jobs": JOBS,
    "/jobs/{job_id}": JOB_PATH,
    "/jobs/{job_id}/cancel": CANCEL,
    "/models": MODELS,
    "/models/{model_id}": MODEL_PATH,
    "/openapi.json": OPENAPI,
    "/reference": REFERENCE,
}

DESCRIPTION = f"""\
Emotion analytics over HTTP. Authenticate every call (except this document and its reference \
page) with `Authorization: Bearer <token>`; create tokens on your account's API tokens page. \
Errors are JSON: `{{"error": {{"code": "...", "message": "..."}}}}`. Ids of other users' \
datasets, jobs and models answer 404, like ids that do not exist. Ids above {MAX_ID} do not \
exist."""


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Emolytics API", "version": __version__, "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": [
            {"name": name}
            for name in (
                "Account",
                "Analysis",
                "Datasets",
                "Live feed",
                "Reports",
                "Jobs",
                "Models",
                "Documentation",
            )
        ],
        "paths": PATHS,
        "components": COMPONENTS,
    }


@bp.get("/openapi.json")
def openapi_document() -> ResponseReturnValue:
    return document()
