"""A dataset's subscriptions to feeds, as the API takes and answers them."""

from pydantic import Field, StrictStr

from emolytics import outbound
from emolytics.schemas.answers import Answer
from emolytics.schemas.fields import Timestamp
from emolytics.schemas.requests import Body
from emolytics.tables import Subscription


class NewSubscription(Body):
    """A feed for a dataset to subscribe to."""

    refusals = {"url": ("invalid_url", "url is the address of an RSS or Atom feed (a string).")}

    url: StrictStr = Field(
        description="The address of an RSS or Atom feed (https:// or http://, a public host).",
        json_schema_extra={"maxLength": outbound.MAX_URL_LENGTH},
    )


class SubscriptionAnswer(Answer):
    id: int
    url: str
    title: str | None = Field(description="The feed's own title, as last read.")
    added: int = Field(description="The texts its entries have become, in all.")
    read_at: Timestamp | None = Field(description="When the feed was last read.")
    problem: str | None = Field(
        description="Why the last read failed (null: it worked); the next read tries again."
    )
    created_at: Timestamp

    @classmethod
    def of(cls, subscription: Subscription) -> "SubscriptionAnswer":
        return cls.model_validate(subscription)


class Subscriptions(Answer):
    subscriptions: list[SubscriptionAnswer]
