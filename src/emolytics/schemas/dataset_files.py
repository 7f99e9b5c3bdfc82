"""A dataset's files as the API answers them: listed, added, their texts taken out."""

from typing import Literal

from pydantic import Field

from emolytics.engine.decoding import ENCODING_NAMES
from emolytics.pipeline.dataset_files import Listed
from emolytics.pipeline.ingest import WORKBOOK
from emolytics.schemas.answers import NUMBERED, Answer, Dataset, Job, Numbered, SkippedRow
from emolytics.schemas.fields import Timestamp


class DatasetFile(Answer):
    """A file whose texts are in a dataset: its upload, or one added since."""

    id: int
    name: str = Field(description="The file's name as it was sent.")
    sheet: str | None = Field(description="The workbook's sheet read, when one was named.")
    sha256: str = Field(description="Of the file's bytes: the same file is not added twice.")
    size: int = Field(description="Bytes.")
    texts: int = Field(description="Its texts in the dataset.")
    skipped: int = Field(description="Its unreadable rows, skipped.")
    numbered: Numbered = Field(description=f"What its texts' `line` counts. {NUMBERED}")
    added_by: str | None = Field(description="Who added it (while the account exists).")
    added_at: Timestamp

    @classmethod
    def of(cls, listed: Listed) -> "DatasetFile":
        found = listed.file
        values = {name: getattr(found, name) for name in cls.model_fields if name != "added_by"}
        return cls(**values, added_by=listed.added_by)


class DatasetFiles(Answer):
    files: list[DatasetFile] = Field(description="The first stored first.")


class FileRemoved(Answer):
    """A file's texts taken out of a dataset."""

    removed: int = Field(description="Texts taken out.")
    corrections: int = Field(description="The team's corrections of them, gone with them.")
    dataset: Dataset


class FileAdded(Answer):
    """A file's texts added to a dataset, and the analysis that analyses them."""

    file: DatasetFile

    added: int = Field(description="Texts stored.")
    skipped_count: int = Field(description="Unreadable rows skipped.")
    skipped_rows: list[SkippedRow] = Field(description="The first of them.")
    columns: dict[str, str | None] = Field(
        description="Which of the file's columns held the text and its details."
    )
    encoding: Literal[(*ENCODING_NAMES, WORKBOOK)] = Field(  # type: ignore[valid-type]
        description='How the file\'s bytes were read: a text codec, or "xlsx" for a workbook.'
    )
    job: Job = Field(
        description="The dataset's analysis that analyses them: started again with the model "
        "of its analysis, or the one under way."
    )
    dataset: Dataset
