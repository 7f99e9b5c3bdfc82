"""The dashboard's filters read from the query string: strictly for JSON, kindly for pages.

A JSON caller (the summary) gets a 400 for a label the analysis does not have. A person who
opens an old link on a page (the dashboard, the texts, an export) is sent to the same address
without the stale label, with a notice saying so. The texts table's order (`sort`) travels with
them: a text's page opened from the table keeps both (`view_args`).
"""

from typing import NoReturn

from flask import abort, flash, redirect, request, url_for

from emolytics.pipeline import text_cursors
from emolytics.pipeline.analysed_by import AnalysedBy
from emolytics.pipeline.filters import Filters
from emolytics.schemas.filters import (
    BadCorrected,
    BadDate,
    BadLanguage,
    FilterQuery,
    UnknownLabel,
    parse,
)

LABEL_SHOWN = 40  # characters of a stale label repeated in the notice


def read(labels: list[str] | None) -> Filters:
    """The filters of this request (None for `labels`: its label filter unread, for a page of
    several datasets); a 400 for an unknown label, an unreadable date, a language that is not
    a code or an unknown corrected choice."""
    try:
        return parse(request.args, labels)
    except UnknownLabel as error:
        abort(400, str(error))
    except BadDate as error:
        _refuse_date(error)
    except (BadLanguage, BadCorrected) as error:
        abort(400, str(error))


def for_page(analysed_by: AnalysedBy) -> Filters:
    """The filters of a page's request; a label the analysis lacks is dropped with a notice
    (the answer is a redirect to the same address without it)."""
    try:
        return parse(request.args, analysed_by.labels)
    except UnknownLabel as error:
        _drop_label(analysed_by, error.label)
    except BadDate as error:
        _refuse_date(error)
    except (BadLanguage, BadCorrected) as error:
        abort(400, str(error))


def passed_on() -> dict[str, str]:
    """This request's filters as its query string gives them, unread: what a form posted from a
    filtered page hands on to the page it goes back to (which reads them)."""
    return {
        name: value
        for name, value in request.args.items()
        if name in FilterQuery.model_fields and value
    }


def order() -> str:
    """The texts table's order (`sort`) of this request: newest first unless it names another
    of `text_cursors.ORDERS` (a 400 for one it does not know)."""
    chosen = request.args.get("sort") or "newest"
    if chosen not in text_cursors.ORDERS:
        abort(400, f"sort is one of {', '.join(text_cursors.ORDERS)}.")
    return chosen


def view_args(filters: Filters, chosen: str) -> dict[str, str]:
    """The query string of the texts table's view: its filters and its order (when not the
    first, newest)."""
    return {**filters.as_args(), **({"sort": chosen} if chosen != "newest" else {})}


def _drop_label(analysed_by: AnalysedBy, label: str) -> NoReturn:
    shown = label if len(label) <= LABEL_SHOWN else label[:LABEL_SHOWN] + "…"
    flash(
        f"The results of {analysed_by.described} have no {analysed_by.noun} “{shown}”: "
        "that filter was removed.",
        "info",
    )
    kept = {name: values for name, values in request.args.lists() if name != "label"}
    abort(redirect(url_for(request.endpoint or "", **(request.view_args or {}), **kept)))


def _refuse_date(error: BadDate) -> NoReturn:
    if error.out_of_range:
        abort(400, f"The {error.name} date is out of range.")
    abort(400, f"The {error.name} date must look like 2026-03-01.")
