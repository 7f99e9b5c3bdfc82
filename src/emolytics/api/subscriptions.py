"""A dataset's subscriptions to RSS and Atom feeds (`/datasets/<id>/subscriptions`): their
entries become its texts."""

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics import current_team, request_audit
from emolytics.api import bp
from emolytics.api.inputs import json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import datasets, subscriptions
from emolytics.schemas.errors import Refusal
from emolytics.schemas.subscriptions import NewSubscription, SubscriptionAnswer, Subscriptions
from emolytics.tables import Role


@bp.get("/datasets/<int:dataset_id>/subscriptions")
@documented(
    Operation(
        "listSubscriptions",
        "Subscriptions",
        "The feeds the dataset subscribes to",
        replies={200: Reply("In the order they were subscribed to.", Subscriptions)},
        errors=(401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def list_subscriptions(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    found = subscriptions.listed(dataset)
    return Subscriptions(subscriptions=[SubscriptionAnswer.of(item) for item in found]).json()


@bp.post("/datasets/<int:dataset_id>/subscriptions")
@documented(
    Operation(
        "subscribe",
        "Subscriptions",
        "Subscribe the dataset to an RSS or Atom feed",
        description="The feed is read at once: its entries become texts of the dataset, "
        "analysed as the live feed's are, and so does every new entry, read every few "
        "minutes. A feed that cannot be read, one the dataset has, or one past "
        f"{subscriptions.MAX_SUBSCRIPTIONS} is refused (422, `subscription_refused`, with why).",
        body={"application/json": NewSubscription},
        examples={"application/json": {"url": "https://www.reddit.com/r/transit/.rss"}},
        replies={201: Reply("The subscription, after its first read.", SubscriptionAnswer)},
        errors=(400, 401, 403, 404, 415, 422),
    )
)
@current_team.requires(Role.ANALYST)
def subscribe(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    url = json_body(NewSubscription).url
    try:
        done = subscriptions.subscribe(dataset, url, current_user.id)
    except subscriptions.SubscriptionRefused as error:
        raise Refusal(422, "subscription_refused", str(error)) from error
    request_audit.team_event("subscription.added", subscriptions.described(done.subscription))
    location = url_for("api.list_subscriptions", dataset_id=dataset_id)
    return SubscriptionAnswer.of(done.subscription).json(), 201, {"Location": location}


@bp.delete("/datasets/<int:dataset_id>/subscriptions/<int:subscription_id>")
@documented(
    Operation(
        "unsubscribe",
        "Subscriptions",
        "End a subscription",
        replies={204: Reply("Ended: no more texts from the feed; those it added stay.")},
        errors=(401, 403, 404),
    )
)
@current_team.requires(Role.ANALYST)
def unsubscribe(dataset_id: int, subscription_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    ended = subscriptions.unsubscribe(dataset, subscription_id)
    request_audit.team_event("subscription.ended", ended)
    return "", 204
