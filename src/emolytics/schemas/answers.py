"""What the API answers (and the job page's JSON): each shape built from the rows it shows."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from emolytics.engine import EmotionResult
from emolytics.engine.decoding import ENCODING_NAMES
from emolytics.pipeline import mixes, terms
from emolytics.pipeline.ingest import WORKBOOK
from emolytics.schemas.fields import Timestamp
from emolytics.tables import Dataset as DatasetRow
from emolytics.tables import Job as JobRow
from emolytics.tables import JobKind, JobStatus, Role, User

Filters = dict[str, str]  # the filters applied, as query parameters


class Answer(BaseModel):
    """A closed object: every field is always there (null when it has no value)."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)

    def json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class TeamRef(Answer):
    id: int
    name: str


class Me(Answer):
    id: int
    username: str
    created_at: Timestamp
    last_login_at: Timestamp | None
    team: TeamRef = Field(description="The token's team: every call works inside it.")
    role: Literal["viewer", "analyst", "admin", "owner"] = Field(
        description="The user's role in the team now (a token follows it)."
    )
    scope: Literal["read", "write"] = Field(description="read: GET only; write: any method.")


class Job(Answer):
    id: int
    kind: JobKind
    status: JobStatus
    done: int = Field(description="Texts (or steps) done so far.")
    total: int
    progress_noun: str = Field(
        description='What `done` and `total` count, in words: "texts analysed", "texts tagged" '
        'or "steps" ("text analysed" when `total` is 1).'
    )
    error: str | None = Field(description="Why it failed, for people.")
    dataset_id: int | None
    model_id: int | None = Field(
        description="Analysis: the model used (null: default). Training: the model made."
    )
    created_at: Timestamp
    finished_at: Timestamp | None


def job_json(job: JobRow) -> dict[str, Any]:
    return Job.model_validate(job).json()


Numbered = Literal["line", "row", "record"]
NUMBERED = (
    "What the number counts: `line` (of a CSV or text file, or JSON Lines), `row` (of a "
    "workbook's sheet) or `record` (of a JSON array: those of a compact one share a line)."
)


class SkippedRow(Answer):
    line: int = Field(description="Its number in the file: see `numbered`.")
    reason: str
    numbered: Numbered = Field(description=NUMBERED)

    @classmethod
    def of(cls, line: int, reason: str, numbered: str = "line") -> "SkippedRow":
        """A row as `Dataset.skipped_rows` keeps it (before 0027: without `numbered`)."""
        return cls.model_validate({"line": line, "reason": reason, "numbered": numbered})


class UnknownPlace(Answer):
    name: str
    texts: int


class PlacesNotFound(Answer):
    texts: int = Field(description="Texts whose place was not found.")
    names: list[UnknownPlace] = Field(description="Their most frequent places, at most 20.")


class Dataset(Answer):
    id: int
    name: str
    source: Literal["upload", "api", "sample"]
    keywords: list[str]
    row_count: int = Field(description="Texts stored.")
    skipped_count: int = Field(description="Unreadable rows skipped.")
    skipped_rows: list[SkippedRow]
    columns: dict[str, str | None] = Field(
        description="Which input columns held the text and its details."
    )
    created_at: Timestamp
    current_job_id: int | None = Field(
        description="The finished analysis the numbers come from (null: none yet)."
    )
    job: Job | None
    masks_personal_data: bool = Field(
        description="Its texts are stored with personal data masked and authors pseudonymised."
    )
    keep_days: int | None = Field(
        description="Each text is deleted this many days after its time; null: kept for ever."
    )
    places_not_found: PlacesNotFound | None = Field(
        description="The texts whose place names no place known to the map, as they came in "
        "(null: none)."
    )

    @classmethod
    def of(cls, dataset: DatasetRow, job: JobRow | None, **extra: Any) -> "Dataset":
        """The dataset as the API shows it, with its latest analysis job (or None)."""
        return cls(
            id=dataset.id,
            name=dataset.name,
            source=dataset.source,
            keywords=dataset.keywords,
            row_count=dataset.row_count,
            skipped_count=dataset.skipped_count,
            skipped_rows=[SkippedRow.of(*skipped) for skipped in dataset.skipped_rows],
            columns=dataset.column_map,
            created_at=dataset.created_at,
            current_job_id=dataset.current_job_id,
            job=job and Job.model_validate(job),
            masks_personal_data=dataset.author_key is not None,
            keep_days=dataset.keep_days,
            places_not_found=dataset.unplaced and PlacesNotFound.model_validate(dataset.unplaced),
            **extra,
        )


class Upload(Dataset):
    """A dataset made from a file: how its bytes were read, too."""

    encoding: Literal[(*ENCODING_NAMES, WORKBOOK)] = Field(  # type: ignore[valid-type]
        description='How the file\'s bytes were read: a text codec, or "xlsx" for an Excel '
        "workbook."
    )


class Mix(Answer):
    """A dataset at a glance, from its current analysis's stored counts (as the home page's)."""

    shares: dict[str, float] = Field(
        description="Each label's share of the texts the model scored, a corrected text under "
        "its correction; the emotions in their usual order."
    )
    valence: float = Field(description="The mean valence of those texts, -1 to 1.")
    latest_text_at: Timestamp | None = Field(
        description="The latest time a text bears (null: no text has a time)."
    )

    @classmethod
    def of(cls, mix: mixes.Mix) -> "Mix":
        return cls(shares=dict(mix.shares), valence=mix.valence, latest_text_at=mix.latest)


class ListedDataset(Dataset):
    """A dataset in the team's list: with its mix and its recent alerts, at a glance."""

    mix: Mix | None = Field(description="null: no text analysed and scored yet.")
    recent_alerts: int = Field(
        description=f"Alerts its rules raised in the last {mixes.RECENT.days} days."
    )

    @classmethod
    def listed(cls, dataset: DatasetRow, job: JobRow | None, glance: mixes.Glance) -> Dataset:
        mix = glance.mixes.get(dataset.id)
        return cls.of(
            dataset,
            job,
            mix=mix and Mix.of(mix),
            recent_alerts=glance.alerts.get(dataset.id, 0),
        )


class Datasets(Answer):
    datasets: list[ListedDataset]


class Pushed(Answer):
    added: int
    dataset: Dataset


class RetentionKept(Answer):
    dataset: Dataset
    expired: int = Field(description="Texts deleted now, past the new retention.")
    corrections: int = Field(description="The team's corrections of those texts, gone with them.")


class Reason(Answer):
    """A term of a text and what it did to the text's label."""

    term: str = Field(
        description="A word, a phrase (`not happy`, a word pair) or an emoji, as written."
    )
    weight: float = Field(
        description="The model's raw weight for the label: positive towards it, negative away."
    )
    share: int = Field(
        ge=0,
        le=100,
        description="Percent of the weight of the reasons listed; a text's shares add up to 100.",
    )
    direction: Literal["towards", "away"]


class Result(Answer):
    language: str = Field(description="The language detected (ISO 639-1, or `und`).")
    label: str | None = Field(description="Null when the text was not scored.")
    not_scored: Literal["language"] | None = Field(
        description="`language`: the model does not read the text's language, so it gave no "
        "label, scores or valence."
    )
    scores: dict[str, float] = Field(description="One score in [0, 1] per label, summing to 1.")
    valence: float | None = Field(ge=-1, le=1)

    @classmethod
    def of(cls, result: EmotionResult | None, language: str, explain: bool) -> "Result":
        if result is None:
            return cls(
                language=language, label=None, not_scored="language", scores={}, valence=None
            )
        scored = {"language": language, "not_scored": None, "label": result.label}
        scored |= {"scores": result.scores, "valence": result.valence}
        if explain:
            reasons = terms.reasons(result.contributions)
            return Explained(
                **scored,
                contributions=result.contributions,
                reasons=reasons,
                terms_favour=result.terms_favour,
            )
        return cls(**scored)


class Explained(Result):
    contributions: list[tuple[str, float]] = Field(
        description="[term, weight] pairs of every term the model weighed most, function words "
        "included, strongest either way first."
    )
    reasons: list[Reason] = Field(
        description="The terms that weighed most for or against the label, strongest first "
        "(function words left out), with their shares."
    )
    terms_favour: str | None = Field(
        description="The label the text's terms alone favour, when the model's lean before any "
        "term (its intercepts) made `label` win instead; null when the terms decided."
    )


class Results(Answer):
    results: list[Explained | Result]


class Jobs(Answer):
    jobs: list[Job]


def me(user: User, team_id: int, team_name: str, role: Role, scope: str) -> dict[str, Any]:
    return Me(
        id=user.id,
        username=user.username,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
        team=TeamRef(id=team_id, name=team_name),
        role=role.label,
        scope=scope,
    ).json()
