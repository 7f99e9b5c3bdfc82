"""The dashboard's filters read from the query string: strictly for JSON, kindly for pages.

A JSON caller (the summary) gets a 400 for a label the analysis does not have. A person who
opens an old link on a page (the dashboard, the texts, an export) is sent to the same address
without the stale label, with a notice saying so.
"""

from datetime import UTC, datetime, timedelta

from flask import abort, flash, redirect, request, url_for

from emolytics.pipeline.analysed_by import AnalysedBy
from emolytics.pipeline.filters import Filters

LABEL_SHOWN = 40  # characters of a stale label repeated in the notice


def read(labels: list[str]) -> Filters:
    """The filters of this request; a 400 for an unknown label or an unreadable date."""
    args = request.args
    label = args.get("label") or None
    if label is not None and label not in labels:
        abort(400, f"Unknown label {label!r}.")
    return Filters(
        label=label,
        keyword=(args.get("keyword") or "").strip().lower() or None,
        start=_day(args.get("start"), "start"),
        end=_day(args.get("end"), "end", next_day=True),
        query=(args.get("q") or "").strip()[:200] or None,
    )


def for_page(analysed_by: AnalysedBy) -> Filters:
    """The filters of a page's request; a label the analysis lacks is dropped with a notice
    (the answer is a redirect to the same address without it)."""
    label = request.args.get("label") or None
    if label is not None and label not in analysed_by.labels:
        shown = label if len(label) <= LABEL_SHOWN else label[:LABEL_SHOWN] + "…"
        flash(
            f"The results of {analysed_by.described} have no {analysed_by.noun} “{shown}”: "
            "that filter was removed.",
            "info",
        )
        kept = {name: values for name, values in request.args.lists() if name != "label"}
        abort(redirect(url_for(request.endpoint or "", **(request.view_args or {}), **kept)))
    return read(analysed_by.labels)


def problem(filters: Filters) -> str | None:
    """Why no text can match the filters, when the dates alone say so."""
    if filters.start and filters.end and filters.end <= filters.start:
        start, end = filters.as_args()["start"], filters.as_args()["end"]
        return f"The end date ({end}) is before the start date ({start}): change one of them."
    return None


def _day(value: str | None, name: str, next_day: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        abort(400, f"The {name} date must look like 2026-03-01.")
    day = day.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=UTC)
    try:
        return day + timedelta(days=1) if next_day else day
    except OverflowError:
        abort(400, f"The {name} date is out of range.")
