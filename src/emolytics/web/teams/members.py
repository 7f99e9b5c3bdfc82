"""A team's members and invitations, managed by its admins from the team's page."""

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound

from emolytics import confirm, current_team, mail, request_audit
from emolytics.accounts import invitations, members
from emolytics.accounts.team_errors import BadSetting
from emolytics.current_team import requires
from emolytics.tables import Role
from emolytics.web.teams import bp
from emolytics.web.teams.forms import InvitationForm, RoleForm
from emolytics.web.teams.views import team_page


def _member(team_id: int, user_id: int) -> members.Member:
    for member in members.list_members(team_id):
        if member.user_id == user_id:
            return member
    raise NotFound("No such member in this team.")


@bp.post("/<int:team_id>/members/<int:user_id>/role")
@login_required
@requires(Role.ADMIN, team_in_url=True)
def change_role(team_id: int, user_id: int) -> ResponseReturnValue:
    form = RoleForm()
    if not form.validate_on_submit():
        raise BadSetting("Choose one of the roles viewer, analyst, admin or owner.")
    role = Role.named(form.role.data)
    changed = members.change_role(request_audit.actor(), team_id, user_id, role)
    flash(f"{changed.username} is {changed.role.label} now.", "success")
    return redirect(url_for("teams.show", team_id=team_id))


@bp.route("/<int:team_id>/members/<int:user_id>/remove", methods=["GET", "POST"])
@login_required
@requires(Role.ADMIN, team_in_url=True)
def remove(team_id: int, user_id: int) -> ResponseReturnValue:
    seat = current_team.seat_in(team_id)
    member = _member(team_id, user_id)
    if user_id == current_user.id:
        return redirect(url_for("teams.leave", team_id=team_id))
    if request.method == "GET":
        return confirm.ask(
            FlaskForm(),
            question=f"Remove {member.username} from {seat.team_name}?",
            consequence="They lose access to the team's datasets and models at once, and "
            "their API tokens of the team stop working.",
            button="Remove member",
            cancel_url=url_for("teams.show", team_id=team_id),
        )
    members.remove_member(request_audit.actor(), team_id, user_id)
    flash(f"{member.username} is no longer a member of {seat.team_name}.", "success")
    return redirect(url_for("teams.show", team_id=team_id))


@bp.route("/<int:team_id>/invitations", methods=["GET", "POST"])
@login_required
@requires(Role.ADMIN, team_in_url=True)
def invite(team_id: int) -> ResponseReturnValue:
    """POST: a new invitation, its link shown once on the team's page (GET: that page)."""
    seat = current_team.seat_in(team_id)
    if request.method == "GET":  # the page reloaded after an invitation was made
        return redirect(url_for("teams.show", team_id=team_id))
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            created = invitations.create(
                request_audit.actor(),
                team_id,
                Role.named(form.role.data),
                days=form.expires_days.data,
                email=form.email.data,
                allow_registration=form.allow_registration.data,
            )
        except BadSetting as error:
            form.email.errors.append(str(error))
        else:
            link = url_for("invitations.show", code=created.code, _external=True)
            _tell_about_mail(created, seat.team_name, link)
            return team_page(seat, new_link=link)
    return team_page(seat, invitation_form=form, status=400)


def _tell_about_mail(created: invitations.Created, team_name: str, link: str) -> None:
    email = created.invitation.email
    if email is None or not mail.configured():
        flash("Invitation created. Copy the link now: it is shown only once.", "success")
        return
    try:
        invitations.send(created, team_name, link)
    except mail.MailNotSent:
        flash(
            f"Invitation created, but sending it to {email} failed: copy the link below and "
            "pass it on yourself (it is shown only once).",
            "error",
        )
    else:
        flash(f"Invitation created and emailed to {email}. The link is below, once.", "success")


@bp.route("/<int:team_id>/invitations/<int:invitation_id>/revoke", methods=["GET", "POST"])
@login_required
@requires(Role.ADMIN, team_in_url=True)
def revoke_invitation(team_id: int, invitation_id: int) -> ResponseReturnValue:
    seat = current_team.seat_in(team_id)
    found = next((i for i in invitations.pending(team_id) if i.id == invitation_id), None)
    if found is None:
        raise NotFound("No such pending invitation.")
    if request.method == "GET":
        to = f" to {found.email}" if found.email else ""
        return confirm.ask(
            FlaskForm(),
            question=f"Revoke the invitation{to} to join {seat.team_name} as {found.role.label}?",
            consequence="Its link stops working at once. This cannot be undone.",
            button="Revoke invitation",
            cancel_url=url_for("teams.show", team_id=team_id),
        )
    invitations.revoke(request_audit.actor(), team_id, invitation_id)
    flash("Invitation revoked.", "success")
    return redirect(url_for("teams.show", team_id=team_id))
