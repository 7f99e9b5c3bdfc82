"""`GET` a dataset's results as one streamed file: every text the filters keep, in upload
order, where paging through `texts` would take thousands of calls."""

from flask import request
from flask.typing import ResponseReturnValue

from emolytics import current_team, downloads
from emolytics.api import bp
from emolytics.api.inputs import filters
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import datasets
from emolytics.pipeline.filters import labels_of
from emolytics.schemas.exports import ExportQuery
from emolytics.schemas.filters import FilterQuery
from emolytics.tables import Role

RECORD = (
    "JSON Lines: one object per text as the texts endpoint shows it (id, line, text, "
    "posted_at, author, lat, lon, language, label, model_label, corrected, not_scored, "
    "confidence, valence and scores). CSV: the same columns but confidence, with a "
    'score_<label> column per label and "not scored (language)" as the label of a text in a '
    "language the model does not read. Excel workbook (xlsx): the CSV's columns with numbers, "
    "times (UTC) and corrected typed, a sheet per 1,048,575 texts."
)


@bp.get("/datasets/<int:dataset_id>/export")
@documented(
    Operation(
        "exportTexts",
        "Reports",
        "Every analysed text as one file",
        description="The texts the filters keep, oldest upload first, with the same fields as "
        "the dashboard's exports, streamed in constant memory at any size. Recorded in the "
        "team's audit log.",
        query=(FilterQuery, ExportQuery),
        replies={200: Reply(RECORD, str, media_types=tuple(downloads.MEDIA_TYPES.values()))},
        errors=(400, 401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def export_texts(dataset_id: int) -> ResponseReturnValue:
    """The dataset's results, filtered, as JSON Lines, CSV or an Excel workbook."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    chosen = filters(labels_of(dataset))
    asked = ExportQuery.read_args(request.args)
    return downloads.dataset_results(dataset, chosen, asked.format, after_id=asked.after_id)
