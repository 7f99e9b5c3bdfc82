"""/alerts: the team's alerts, a dataset's alert rules and alerts; and the count of unseen
alerts in the layout's navigation (`unseen_alerts()` in every template)."""

from typing import Any

from flask import Blueprint
from flask_login import current_user

from emolytics import current_team
from emolytics.pipeline import alert_pages

bp = Blueprint("alerts", __name__)


@bp.app_context_processor
def unseen_alerts_helper() -> dict[str, Any]:
    return {"unseen_alerts": unseen_alerts}


def unseen_alerts() -> int:
    """The current team's alerts the signed-in member has not seen (one indexed query)."""
    return alert_pages.unseen(current_team.team_id(), current_user.id)


from emolytics.web.alerts import views  # noqa: E402,F401  (routes register on import)
