"""Datasets side by side (`pipeline.side_by_side`) in the API: the datasets asked for, and the
answer."""

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from emolytics.pipeline.filters import Filters as ViewFilters
from emolytics.pipeline.side_by_side import MOST, SideBySide
from emolytics.schemas.answers import Answer, Filters
from emolytics.schemas.requests import Query


class BadIds(ValueError):
    """An `ids` value that is not a list of dataset numbers; the message says which."""


class SideBySideQuery(Query):
    ids: str = Field(
        description=f"The datasets to put side by side, 2 to {MOST} of the team's: their ids, "
        "comma-separated (`ids=1,2`), or `ids` once per dataset (`ids=1&ids=2`)."
    )


def ids_of(values: Iterable[str]) -> list[int]:
    """The dataset ids in the `ids` parameters' values, in order; BadIds for one that is not a
    number."""
    ids: list[int] = []
    for value in values:
        for part in filter(None, (piece.strip() for piece in value.split(","))):
            if not (part.isascii() and part.isdigit()) or len(part) > 18:
                raise BadIds(f"ids are dataset numbers, not “{part[:40]}”.")
            ids.append(int(part))
    return ids


class Column(Answer):
    id: int
    name: str
    texts: int = Field(description="Its analysed texts the filters keep (not scored ones aside).")
    counts: dict[str, int] = Field(description="Its texts per label of its analysis.")
    shares: dict[str, float | None] = Field(
        description="Each label's share of its texts (null: it has no texts, or its analysis "
        "not the label)."
    )
    valence: float | None = Field(description="The mean valence of its texts (null: none).")
    standing: dict[str, Literal["higher", "lower"]] = Field(
        description="The labels whose share is significantly higher or lower than in the other "
        "datasets' texts together (those whose analysis has the label; a two-proportion "
        "z-test at 5 %, Holm-corrected over every dataset and label); the others are not "
        "listed."
    )


class SideBySideAnswer(Answer):
    """Two to eight datasets' emotions under the same filters."""

    labels: list[str] = Field(description="Every label of the datasets' analyses.")
    datasets: list[Column] = Field(description="The datasets, in the order asked.")
    filters: Filters = Field(description="The filters applied to each (the label's aside).")


def answer(shown: SideBySide, filters: ViewFilters) -> SideBySideAnswer:
    return SideBySideAnswer(
        labels=shown.labels,
        datasets=[
            Column(
                id=column.dataset.id,
                name=column.dataset.name,
                texts=column.texts,
                counts=column.counts,
                shares={label: column.share(label) for label in shown.labels},
                valence=column.valence,
                standing=column.standing,
            )
            for column in shown.columns
        ],
        filters=filters.as_args(),
    )
