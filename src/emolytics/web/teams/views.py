"""The user's teams: list, create, switch; a team's page; its settings, ownership, deletion, and
leaving it."""

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound

from emolytics import confirm, current_team, request_audit
from emolytics.accounts import invitations, members, teams
from emolytics.confirm import ConfirmNameForm
from emolytics.current_team import requires
from emolytics.security import safe_next
from emolytics.tables import Role
from emolytics.web.teams import bp
from emolytics.web.teams.forms import (
    InvitationForm,
    RoleForm,
    SettingsForm,
    SwitchForm,
    TeamNameForm,
    TransferForm,
)


def team_page(
    seat: teams.Seat,
    *,
    invitation_form: InvitationForm | None = None,
    settings_form: SettingsForm | None = None,
    new_link: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The team's page as `seat` sees it; admins get the forms that manage it."""
    found = members.list_members(seat.team_id)
    admin = seat.allows(Role.ADMIN)
    transfer = TransferForm(formdata=None)
    transfer.user_id.choices = [(m.user_id, m.username) for m in found if m.user_id != seat.user_id]
    owners = sum(member.role == Role.OWNER for member in found)
    page = render_template(
        "teams/show.html",
        seat=seat,
        members=found,
        only_owner=seat.role == Role.OWNER and owners == 1,  # may not leave nor step down
        invitations=invitations.pending(seat.team_id) if admin else [],
        role_form=RoleForm(formdata=None),
        invitation_form=invitation_form or InvitationForm(formdata=None),
        settings_form=settings_form
        or SettingsForm(
            formdata=None, name=seat.team_name, require_second_factor=seat.require_second_factor
        ),
        transfer_form=transfer,
        new_link=new_link,
    )
    return page, status


@bp.route("", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    form = TeamNameForm()
    if form.validate_on_submit():
        try:
            team = teams.create_team(current_user, form.name.data, request_audit.actor())
        except teams.TeamNameError as error:
            form.name.errors.append(str(error))
        else:
            current_team.choose(team.id)
            flash(
                f"Team {team.name!r} created; you are its owner and working in it now.", "success"
            )
            return redirect(url_for("teams.show", team_id=team.id))
    status = 400 if form.errors else 200
    page = render_template("teams/index.html", form=form, seats=teams.seats(current_user.id))
    return page, status


@bp.post("/switch")
@login_required
def switch() -> ResponseReturnValue:
    form = SwitchForm()
    if not form.validate_on_submit():
        raise NotFound("There is nothing here, or it is not yours to see.")
    seat = current_team.choose(form.team_id.data)
    flash(f"You are working in {seat.team_name} now, as {seat.role.label}.", "success")
    return redirect(safe_next(form.next.data) or url_for("dashboard.home"))


@bp.get("/<int:team_id>")
@login_required
@requires(Role.VIEWER, team_in_url=True)
def show(team_id: int) -> ResponseReturnValue:
    return team_page(current_team.seat_in(team_id))


@bp.post("/<int:team_id>/settings")
@login_required
@requires(Role.ADMIN, team_in_url=True)
def settings(team_id: int) -> ResponseReturnValue:
    seat = current_team.seat_in(team_id)
    form = SettingsForm()
    if not form.validate_on_submit():
        return team_page(seat, settings_form=form, status=400)
    changed = members.change_settings(
        request_audit.actor(),
        team_id,
        name=form.name.data,
        require_second_factor=form.require_second_factor.data,
    )
    flash("Settings saved." if changed else "Nothing changed.", "success")
    return redirect(url_for("teams.show", team_id=team_id))


@bp.route("/<int:team_id>/transfer", methods=["GET", "POST"])
@login_required
@requires(Role.OWNER, team_in_url=True)
def transfer(team_id: int) -> ResponseReturnValue:
    seat = current_team.seat_in(team_id)
    user_id = request.values.get("user_id", type=int)
    member = next((m for m in members.list_members(team_id) if m.user_id == user_id), None)
    if member is None:
        raise NotFound("No such member in this team.")
    if request.method == "GET":
        return confirm.ask(
            FlaskForm(),
            question=f"Make {member.username} the owner of {seat.team_name}?",
            consequence="They will be able to delete the team and change every role; you "
            "stay on as admin.",
            button="Transfer ownership",
            cancel_url=url_for("teams.show", team_id=team_id),
        )
    members.transfer_ownership(request_audit.actor(), team_id, member.user_id)
    flash(f"{member.username} owns {seat.team_name} now; you are an admin.", "success")
    return redirect(url_for("teams.show", team_id=team_id))


@bp.route("/<int:team_id>/delete", methods=["GET", "POST"])
@login_required
@requires(Role.OWNER, team_in_url=True)
def delete(team_id: int) -> ResponseReturnValue:
    seat = current_team.seat_in(team_id)
    form = ConfirmNameForm()
    if not form.confirms(seat.team_name):
        return confirm.ask(
            form,
            question=f"Delete the team {seat.team_name!r}?",
            consequence="Its datasets, texts, results, models, jobs, API tokens and "
            "invitations are deleted with it, and every member loses access. This cannot be "
            "undone.",
            button="Delete this team",
            cancel_url=url_for("teams.show", team_id=team_id),
            name=seat.team_name,
        )
    name = members.delete_team(request_audit.actor(), team_id)
    flash(f"Deleted the team {name!r} with everything in it.", "success")
    return redirect(url_for("teams.index"))


@bp.route("/<int:team_id>/leave", methods=["GET", "POST"])
@login_required
@requires(Role.VIEWER, team_in_url=True)
def leave(team_id: int) -> ResponseReturnValue:
    seat = current_team.seat_in(team_id)
    if request.method == "GET":
        return confirm.ask(
            FlaskForm(),
            question=f"Leave {seat.team_name}?",
            consequence="You lose access to its datasets and models, and your API tokens of "
            "the team stop working. Only a new invitation brings you back.",
            button="Leave the team",
            cancel_url=url_for("teams.show", team_id=team_id),
        )
    members.leave(request_audit.actor(), team_id)
    flash(f"You left {seat.team_name}.", "success")
    return redirect(url_for("teams.index"))
