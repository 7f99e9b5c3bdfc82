"""Datasets side by side (`side_by_side`): the page that chooses two to eight of the team's
datasets, the dates and a search, and shows their emotion mixes with the shares that stand
out."""

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from emolytics import current_team
from emolytics.notifications.charts import color_of
from emolytics.pipeline import datasets, side_by_side
from emolytics.pipeline.side_by_side import SideBySideError
from emolytics.schemas.filters import date_problem
from emolytics.schemas.side_by_side import BadIds, ids_of
from emolytics.tables import Role
from emolytics.web.datasets import bp, filtering


@bp.get("/side-by-side")
@login_required
@current_team.requires(Role.VIEWER)
def side_by_side_page() -> ResponseReturnValue:
    team_id = current_team.team_id()
    try:
        ids = ids_of(request.args.getlist("ids"))
    except BadIds as error:
        abort(400, str(error))
    filters = filtering.read(None)
    shown, problem = None, date_problem(filters)
    if ids and not problem:
        try:
            shown = side_by_side.compare(team_id, ids, filters)
        except SideBySideError as error:
            problem = str(error)
    page = render_template(
        "datasets/side_by_side.html",
        choices=datasets.list_for(team_id),
        ids=ids,
        filters=filters,
        shown=shown,
        problem=problem,
        most=side_by_side.MOST,
        color_of=color_of,
    )
    return page, 400 if problem else 200
