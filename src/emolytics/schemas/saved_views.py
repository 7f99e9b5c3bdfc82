"""A dataset's saved views as the API answers them."""

from pydantic import Field

from emolytics.pipeline.saved_views import Listed
from emolytics.schemas.answers import Answer, Filters
from emolytics.schemas.fields import Timestamp


class SavedViewAnswer(Answer):
    id: int
    name: str
    filters: Filters = Field(
        description="Its filters as query parameters: add them to the summary, texts or export "
        "of the dataset to see the view."
    )
    saved_by: str | None = Field(description="Who saved it (null: the account is gone).")
    created_at: Timestamp

    @classmethod
    def of(cls, listed: Listed) -> "SavedViewAnswer":
        view = listed.view
        return cls(
            id=view.id,
            name=view.name,
            filters=listed.args,
            saved_by=listed.saved_by,
            created_at=view.created_at,
        )


class SavedViews(Answer):
    views: list[SavedViewAnswer]
