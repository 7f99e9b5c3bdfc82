"""Answers a browser or an API client saves as a file: the header that names the file, and
streamed exports (the dataset's results, recorded in the team's audit log; its report)."""

from collections.abc import Iterator

from flask import Response, stream_with_context

from emolytics import request_audit
from emolytics.accounts.audit import named
from emolytics.engine.workbook_stream import MEDIA_TYPE as WORKBOOK
from emolytics.pipeline import exports
from emolytics.pipeline.filters import Filters
from emolytics.pipeline.report_workbook import report_chunks
from emolytics.tables import Dataset

MEDIA_TYPES = {"csv": "text/csv", "xlsx": WORKBOOK, "jsonl": "application/x-ndjson"}


def disposition(file_name: str) -> str:
    """The `Content-Disposition` of a download saved as `file_name` (safe characters only)."""
    return f'attachment; filename="{file_name}"'


def attachment(lines: Iterator[str] | Iterator[bytes], media_type: str, file_name: str) -> Response:
    """A file written while it is sent (constant memory), inside the request's context."""
    return Response(
        stream_with_context(lines),
        mimetype=media_type,
        headers={"Content-Disposition": disposition(file_name)},
    )


def dataset_results(
    dataset: Dataset,
    filters: Filters,
    file_format: str,
    *,
    for_excel: bool = False,
    after_id: int = 0,
) -> Response:
    """The texts the filters keep (after `after_id`), with their results, in `file_format`
    (csv, xlsx or jsonl)."""
    request_audit.team_event(
        "dataset.exported", f"{named('dataset', dataset.id, dataset.name)} as {file_format}"
    )
    lines = exports.lines(dataset, filters, file_format, for_excel=for_excel, after_id=after_id)
    file_name = exports.file_name(dataset, f"results.{file_format}")
    return attachment(lines, MEDIA_TYPES[file_format], file_name)


def report(dataset: Dataset, filters: Filters) -> Response:
    """The dashboard's numbers the filters show, as an Excel workbook."""
    file_name = exports.file_name(dataset, "report.xlsx")
    return attachment(report_chunks(dataset, filters), WORKBOOK, file_name)
