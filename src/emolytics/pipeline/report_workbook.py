"""The dashboard's numbers as an Excel workbook, for a slide or a spreadsheet: a sheet each for
the emotions, their counts over time, the tracked keywords, the segments (when the dataset has
them), the top terms (the view's own: `view_terms`; with dates, the words that rose), the
annotations, and what the numbers are of (dataset, model, filters, when). The same numbers as
the summary JSON, filtered alike."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from emolytics.engine.workbook_stream import Cell, Table, workbook
from emolytics.pipeline.filters import Filters
from emolytics.pipeline.reports import summary
from emolytics.pipeline.view_terms import ViewTerms, of_view
from emolytics.tables import Dataset, utcnow

RISING = ["word", "texts", "texts before", "times the share before"]
STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}


def report_chunks(dataset: Dataset, filters: Filters) -> Iterator[bytes]:
    """The workbook of the dashboard the filters show, in chunks."""
    shown = summary(dataset, filters)
    terms = of_view(dataset, filters)
    noun, labels = shown["model"]["noun"], shown["labels"]
    segments = [Table("Segments", ["segment", "texts", *labels], _segments(shown), {0: 30})]
    segments = segments if shown["segments"] else []
    rising = [] if terms.rising is None else [Table("Words that rose", RISING, _rising(terms))]
    return workbook(
        Table(f"{noun.capitalize()}s", _distribution_header(shown), _distribution(shown)),
        Table("Over time", _timeline_header(shown), _timeline(shown)),
        Table("Keywords", ["keyword", "texts", *labels], _keywords(shown), widths={0: 20}),
        *segments,
        Table("Top terms", [noun, "term", "texts", "lift"], _terms(labels, terms), widths={1: 20}),
        *rising,
        Table("Annotations", ["at (UTC)", "note"], _annotations(shown), widths={0: 18, 1: 50}),
        Table(
            "About",
            ["item", "value"],
            _about(dataset, shown, filters, terms),
            widths={0: 24, 1: 50},
        ),
    )


def _distribution_header(shown: dict[str, Any]) -> list[str]:
    header = [shown["model"]["noun"], "texts", "share (%)"]
    if compared := shown["comparison"]:
        before = f"{compared['previous_start']} to {compared['previous_end']}".replace("T", " ")
        header += [f"texts before ({before})", "share before (%)", "change (points)", "significant"]
    return header


def _distribution(shown: dict[str, Any]) -> list[list[Cell]]:
    """Each label's texts and share; with a comparison, those of the period before, the change
    and its significance too (every label's: a share is of all the period's texts)."""
    if not (compared := shown["comparison"]):
        return [
            [item["label"], item["count"], _percent(item["count"], shown["analysed"])]
            for item in shown["distribution"]
        ]
    now, before = compared["analysed"], compared["previous_analysed"]
    return [
        [
            item["label"],
            item["count"],
            _percent(item["count"], now),
            item["previous_count"],
            _percent(item["previous_count"], before),
            None if item["change"] is None else round(100 * item["change"], 1),
            item["significant"],
        ]
        for item in compared["labels"]
    ]


def _percent(count: int, total: int) -> float:
    return round(100 * count / total, 1) if total else 0


def _timeline_header(shown: dict[str, Any]) -> list[str]:
    return [f"{shown['timeline']['bucket']} (UTC)", *shown["labels"], "texts"]


def _timeline(shown: dict[str, Any]) -> list[list[Cell]]:
    """A row per bucket from the first to the last, the empty ones too (a chart drawn from the
    sheet spaces its points as time does)."""
    counted = {
        datetime.fromisoformat(point["t"].removesuffix("Z")): point["counts"]
        for point in shown["timeline"]["points"]
    }
    if not counted:
        return []
    step = STEPS[shown["timeline"]["bucket"]]
    rows: list[list[Cell]] = []
    moment, last = min(counted), max(counted)
    while moment <= last:
        counts = [counted.get(moment, {}).get(label, 0) for label in shown["labels"]]
        rows.append([moment, *counts, sum(counts)])
        moment += step
    return rows


def _keywords(shown: dict[str, Any]) -> list[list[Cell]]:
    return [
        [
            item["keyword"],
            item["total"],
            *(item["counts"].get(label, 0) for label in shown["labels"]),
        ]
        for item in shown["keywords"]
    ]


def _segments(shown: dict[str, Any]) -> list[list[Cell]]:
    """The breakdown by segment: the segments with the most texts, the others summed, the
    texts without one (see `segments.breakdown`)."""
    return [
        [
            item["segment"]
            if item["segment"] is not None
            else (f"Other segments ({item['other']:,})" if item["other"] else "No segment"),
            item["total"],
            *(item["counts"].get(label, 0) for label in shown["labels"]),
        ]
        for item in shown["segments"]
    ]


def _terms(labels: list[str], found: ViewTerms) -> list[list[Cell]]:
    return [
        [label, term["term"], term["texts"], term["lift"]]
        for label in labels
        for term in found.terms.get(label, [])
    ]


def _rising(found: ViewTerms) -> list[list[Cell]]:
    return [
        [word["term"], word["texts"], word["previous_texts"], word["ratio"] or "new"]
        for word in found.rising or []
    ]


def _annotations(shown: dict[str, Any]) -> list[list[Cell]]:
    return [
        [datetime.fromisoformat(item["at"].removesuffix("Z")), item["note"]]
        for item in shown["annotations"]
    ]


def _about(
    dataset: Dataset, shown: dict[str, Any], filters: Filters, terms: ViewTerms
) -> list[list[Cell]]:
    chosen = filters.as_args()
    sampled = (
        "all the analysed texts"
        if terms.sample is None
        else f"{terms.sample:,} of the view's {terms.sampled_from:,} texts"
    )
    return [
        ["Dataset", dataset.name],
        ["Texts in the dataset", dataset.row_count],
        ["Analysed in this view", shown["analysed"]],
        ["Not scored (language)", shown["not_scored"]],
        ["Corrected by the team", shown["corrected"]],
        ["Model", shown["model"]["name"]],
        ["Top terms from", sampled],
        ["Filters", ", ".join(f"{name}={value}" for name, value in chosen.items()) or "none"],
        ["Exported (UTC)", utcnow()],
    ]
