"""A dataset's numbers as the API answers them: the dashboard's summary and its timeline."""

from typing import Literal

from pydantic import Field

from emolytics.schemas.answers import Answer, Filters

Counts = dict[str, int]


class Point(Answer):
    t: str
    counts: Counts


class Timeline(Answer):
    bucket: Literal["hour", "day", "week"]
    points: list[Point]


class DatasetHead(Answer):
    id: int
    name: str
    row_count: int


class Analyser(Answer):
    name: str = Field(description="The trained model's name, or `the default analyzer`.")
    emotions: bool = Field(description="The labels are emotions (all among the default's seven).")
    noun: Literal["emotion", "label"]
    languages: list[str] | None = Field(
        description="The languages it reads (ISO 639-1): texts detected in another are not "
        "scored. Null: a model trained before languages were recorded, which scores every text."
    )


class Share(Answer):
    label: str
    count: int


class KeywordCounts(Answer):
    keyword: str
    total: int
    counts: Counts


class SegmentCounts(Answer):
    segment: str | None = Field(
        description="The segment; null for the other segments summed (`other` of them) or, "
        "with `other` 0, for the texts without a segment."
    )
    other: int = Field(description="How many segments this row sums (0: one, or none).")
    total: int
    counts: Counts


class Term(Answer):
    term: str
    lift: float = Field(
        description="How many times more often the term is in the label's texts than in all."
    )
    weight: float = Field(description="Its summed weight for the label in those texts.")
    texts: int = Field(description="The label's texts it is in (estimated from a sample).")


class RisingTerm(Answer):
    term: str
    texts: int = Field(description="The view's texts it is in (estimated from a sample).")
    previous_texts: int = Field(
        description="The texts of the period before it is in (estimated from a sample)."
    )
    ratio: float | None = Field(
        description="How many times the share of texts it is in grew; null: the period before "
        "had it in no text of its sample (a new word)."
    )


class TopTerms(Answer):
    """The top terms of the texts the filters keep, per label."""

    terms: dict[str, list[Term]] = Field(
        description="Per label (only the label filter's, when set), the words, phrases and "
        "emoji most typical of its texts in the view (by lift over all the view's texts), "
        "tracked keywords, numbers and terms as common everywhere left out."
    )
    sample: int | None = Field(
        description="How many of the view's texts were explained for these terms (at most "
        "2,000, spread over the view; the counts are scaled up from them); null: no filter "
        "but the label's narrows the texts, and they are the whole analysis's, kept as it ran."
    )
    sampled_from: int | None = Field(
        description="The view's analysed texts, every label, that the sample is of (null "
        "with `sample`)."
    )
    rising: list[RisingTerm] | None = Field(
        description="The words the view's texts (every label) use more often than the texts "
        "of the period before (the summary's `comparison`: the same length of time just "
        "before, the other filters alike) did: at least 1.5 times the share of texts, beyond "
        "chance (an exact one-sided test at 5 %, Holm's correction over every word with "
        "enough texts in either period), "
        "most risen first, from a sample of at most 2,000 texts of each period; tracked "
        "keywords and numbers left out. Null without a date filter, or when the period "
        "before has no texts."
    )


class Map(Answer):
    points: list[tuple[float, float, str, int]] = Field(
        description="[lat, lon, label, text id] of the newest geotagged texts (at most 5,000)."
    )
    geotagged: int
    shown: int


class Span(Answer):
    """The times of the view's earliest and latest analysed texts (null: none has a time).
    Under `corrected=false` they are of the texts corrected or not (counts keep no times per
    text)."""

    first: str | None = Field(description="The time of the earliest analysed text in the view.")
    last: str | None = Field(description="The time of the latest.")


class LabelChange(Answer):
    label: str
    count: int = Field(description="Its texts in the view's period.")
    previous_count: int = Field(description="Its texts in the period before.")
    change: float | None = Field(
        description="Its share of the period's texts less its share of the period before's "
        "(0.05: up 5 percentage points); null when a period has no texts."
    )
    significant: bool = Field(
        description="The change is beyond chance: a two-proportion z-test at 5 %, Holm's "
        "correction applied over the labels."
    )


class Comparison(Answer):
    start: str = Field(
        description="The view's period as the date filters spell it (the end inclusive): its "
        "dates, an open end the hour of the first or last text it keeps."
    )
    end: str
    previous_start: str = Field(description="The same length of time just before it.")
    previous_end: str
    analysed: int = Field(description="The texts of the view's period, every label.")
    previous_analysed: int = Field(description="The texts of the period before, every label.")
    labels: list[LabelChange]


class Marked(Answer):
    id: int
    at: str = Field(description="When it happened (UTC).")
    note: str


class Summary(Answer):
    dataset: DatasetHead
    model: Analyser
    labels: list[str]
    analysed: int = Field(
        description="Analysed texts matching the filters, not counting those not scored."
    )
    not_scored: int = Field(
        description="Texts matching the filters that were not scored: their language is not "
        "one the model reads. They are left out of every other number here."
    )
    corrected: int = Field(
        description="Of the analysed texts matching the filters, those whose label a member "
        "corrected: they are counted under the corrected label everywhere."
    )
    distribution: list[Share]
    timeline: Timeline
    keywords: list[KeywordCounts]
    segments: list[SegmentCounts] = Field(
        description="Per segment (the dataset's segment column), the texts per label: the "
        "segments with the most texts first, then the others summed, then the texts without a "
        "segment; empty when no text in the view has one."
    )
    terms: dict[str, list[Term]] = Field(
        description="Per label, the words, phrases and emoji most typical of its texts (by "
        "lift), tracked keywords, numbers and terms as common everywhere left out. They are "
        "the whole analysis's, which only the label filter narrows: the terms of a view's "
        "own texts are `GET /datasets/{dataset_id}/terms`."
    )
    map: Map
    span: Span
    comparison: Comparison | None = Field(
        description="The view against the same length of time just before it, the other "
        "filters alike but the label's (a share is of all the period's texts); null without a "
        "date filter."
    )
    annotations: list[Marked] = Field(
        description="The dataset's annotations, earliest first, whatever the filters (the "
        "timeline draws those in its span)."
    )
    filters: Filters = Field(description="The filters applied, as query parameters.")
