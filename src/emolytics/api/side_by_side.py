"""Datasets side by side (`pipeline.side_by_side`): two to eight of the team's datasets'
emotions under the same filters, and the shares that stand out."""

from flask import request
from flask.typing import ResponseReturnValue

from emolytics import current_team
from emolytics.api import bp
from emolytics.api.inputs import filters
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import side_by_side
from emolytics.pipeline.side_by_side import SideBySideError
from emolytics.schemas.errors import Refusal
from emolytics.schemas.filters import FilterQuery
from emolytics.schemas.side_by_side import BadIds, SideBySideAnswer, SideBySideQuery, answer, ids_of
from emolytics.tables import Role


@bp.get("/datasets/side-by-side")
@documented(
    Operation(
        "getSideBySide",
        "Reports",
        "Datasets side by side",
        description="The emotions of 2 to 8 of the team's datasets under the same filters "
        "(dates, search, language, keyword or segment where a dataset has them; the label "
        "filter does not apply: every label is compared), each counted as its dashboard counts "
        "it, and the shares significantly higher or lower than in the others together. An id "
        "that is not one of the team's datasets is a 404; too few or too many, or one twice, a "
        "400 `invalid_ids`.",
        query=(SideBySideQuery, FilterQuery),
        replies={200: Reply("The datasets side by side.", SideBySideAnswer)},
        errors=(400, 401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def side_by_side_answer() -> ResponseReturnValue:
    try:
        ids = ids_of(request.args.getlist("ids"))
        chosen = filters(None)
        return answer(side_by_side.compare(current_team.team_id(), ids, chosen), chosen).json()
    except (BadIds, SideBySideError) as error:
        raise Refusal(400, "invalid_ids", str(error)) from error
