"""/invitations/<code>: the page an invitation link opens, and accepting it.

Anyone with the link sees which team and role it offers; accepting needs an account, so a
visitor who is not signed in gets links to sign in or register that come back here."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm

from emolytics import current_team, request_audit
from emolytics.accounts import invitations

bp = Blueprint("invitations", __name__)


@bp.get("/<code>")
def show(code: str) -> ResponseReturnValue:
    found = invitations.find(code)
    return render_template(
        "invitations/show.html",
        found=found,
        code=code,
        form=FlaskForm(),
        here=url_for("invitations.show", code=code),
    )


@bp.post("/<code>")
@login_required
def accept(code: str) -> ResponseReturnValue:
    seat = invitations.accept(code, request_audit.actor())
    current_team.choose(seat.team_id)
    flash(
        f"You joined {seat.team_name} as {seat.role.label}, and are working in it now.", "success"
    )
    return redirect(url_for("dashboard.home"))
