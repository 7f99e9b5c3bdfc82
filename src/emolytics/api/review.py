"""A dataset's review queue (/datasets/<id>/review): the texts to label next, least sure first,
in the order of the review page."""

from flask import request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics import current_team
from emolytics.api import bp
from emolytics.api.inputs import filters
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import datasets, review, review_holds
from emolytics.pipeline.filters import labels_of
from emolytics.schemas.filters import FilterQuery
from emolytics.schemas.review import ReviewQuery, ReviewQueue
from emolytics.tables import Role


@bp.get("/datasets/<int:dataset_id>/review")
@documented(
    Operation(
        "reviewQueue",
        "Corrections",
        "The review queue: texts to label, least sure first",
        description="The current analysis's scored texts without a corrected label, smallest "
        "margin first; every 4th place of the review goes to a text drawn at random instead "
        "(`sample`). With the dashboard's filters, the texts they keep, all of them least sure "
        "first (none drawn). The texts other reviewers have open on the review page are left out "
        f"(for {review_holds.HOLD_MINUTES} minutes at most). With how many texts were "
        "reviewed and remain, and how often the model agreed with the reviewers.",
        query=(FilterQuery, ReviewQuery),
        replies={200: Reply("The next texts, the progress and the agreement.", ReviewQueue)},
        errors=(400, 401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def review_queue(dataset_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    chosen = filters(labels_of(dataset))
    asked = ReviewQuery.read_args(request.args)
    found = review.for_reviewer(dataset, current_user.id, asked.limit, filters=chosen)
    return ReviewQueue.of(found.items, found.progress, chosen.as_args()).json()
