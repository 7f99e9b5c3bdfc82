"""A dataset's numbers: summary, timeline, the view's top terms and the report workbook, as
the dashboard shows them (its texts are in `texts`)."""

from flask.typing import ResponseReturnValue

from emolytics import current_team, downloads
from emolytics.api import bp
from emolytics.api.inputs import filters
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import datasets, reports, view_terms
from emolytics.pipeline.filters import labels_of
from emolytics.schemas.filters import FilterQuery
from emolytics.schemas.reports import Summary, Timeline, TopTerms
from emolytics.tables import Role


def _report(
    operation_id: str,
    summary: str,
    shape: type[Summary | Timeline | TopTerms],
    description: str = "",
) -> Operation:
    return Operation(
        operation_id,
        "Reports",
        summary,
        description=description,
        query=(FilterQuery,),
        replies={200: Reply(summary + ".", shape)},
        errors=(400, 401, 404),
    )


@bp.get("/datasets/<int:dataset_id>/summary")
@documented(_report("getSummary", "The dashboard's numbers", Summary))
@current_team.requires(Role.VIEWER)
def summary(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    numbers = reports.summary(dataset, filters(labels_of(dataset)))
    return Summary.model_validate(numbers).json()


@bp.get("/datasets/<int:dataset_id>/timeline")
@documented(_report("getTimeline", "Counts per label over time", Timeline))
@current_team.requires(Role.VIEWER)
def timeline(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    numbers = reports.timeline(dataset, filters(labels_of(dataset)))
    return Timeline.model_validate(numbers).json()


@bp.get("/datasets/<int:dataset_id>/terms")
@documented(
    _report(
        "getTerms",
        "The top terms per label of the texts the filters keep",
        TopTerms,
        description="With no filter but the label's: the whole analysis's top terms, as the "
        "summary gives them. With any other filter (dates, keyword, segment, search, author, "
        "language, corrected): those of the view's own texts, from a sample of at most 2,000 "
        "of them explained for the answer (`sample` says how many). With dates, also the words "
        "that rose since the period before (`rising`).",
    )
)
@current_team.requires(Role.VIEWER)
def terms(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    found = view_terms.of_view(dataset, filters(labels_of(dataset)))
    return TopTerms.model_validate(found._asdict()).json()


@bp.get("/datasets/<int:dataset_id>/report")
@documented(
    Operation(
        "getReport",
        "Reports",
        "The dashboard's numbers as an Excel workbook",
        description="The summary's numbers, a sheet each: the labels (texts, share), their "
        "counts over time (a row per hour, day or week, the empty ones too), the keywords, the "
        "top terms, the annotations, and what the numbers are of (dataset, model, filters, when).",
        query=(FilterQuery,),
        replies={
            200: Reply("An Excel workbook (.xlsx).", bytes, media_types=(downloads.WORKBOOK,))
        },
        errors=(400, 401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def report(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    return downloads.report(dataset, filters(labels_of(dataset)))
