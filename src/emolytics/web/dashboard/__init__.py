"""The landing page and the signed-in user's home."""

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from emolytics import current_team
from emolytics.notifications.charts import color_of
from emolytics.pipeline import datasets, mixes
from emolytics.tables import Role

bp = Blueprint("dashboard", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    return render_template("dashboard/index.html")


@bp.get("/dashboard")
@login_required
@current_team.requires(Role.VIEWER)
def home() -> ResponseReturnValue:
    team_id = current_team.team_id()
    overview = datasets.overview(team_id)
    return render_template(
        "dashboard/home.html",
        datasets=overview,
        glance=overview and mixes.of_team(team_id),
        color_of=color_of,
    )
