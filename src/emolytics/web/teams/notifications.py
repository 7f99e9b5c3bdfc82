"""/teams/<id>/notifications: what the signed-in member is sent about the team (any role):
its alerts by email, and daily or weekly digests of the team or of one of its datasets."""

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound
from wtforms.fields.choices import SelectChoice

from emolytics import current_team, mail
from emolytics.current_team import requires
from emolytics.notifications import settings
from emolytics.tables import Role
from emolytics.web.teams import bp
from emolytics.web.teams.forms import AlertEmailForm, DigestForm, RemoveDigestForm


def notifications_page(
    team_id: int, digest_form: DigestForm | None = None, status: int = 200
) -> ResponseReturnValue:
    found = settings.settings_of(current_user.id, team_id)
    form = digest_form or DigestForm(formdata=None)
    form.dataset_id.choices = [
        SelectChoice(0, "the whole team"),
        *(SelectChoice(dataset_id, name) for dataset_id, name in found.datasets),
    ]
    return render_template(
        "teams/notifications.html",
        seat=current_team.seat_in(team_id),
        settings=found,
        alert_form=AlertEmailForm(formdata=None, alert_email=found.alert_email),
        digest_form=form,
        remove_form=RemoveDigestForm(formdata=None),
        mail_configured=mail.configured(),
    ), status


@bp.get("/<int:team_id>/notifications")
@login_required
@requires(Role.VIEWER, team_in_url=True)
def notifications(team_id: int) -> ResponseReturnValue:
    return notifications_page(team_id)


@bp.post("/<int:team_id>/notifications/alerts")
@login_required
@requires(Role.VIEWER, team_in_url=True)
def alert_email(team_id: int) -> ResponseReturnValue:
    form = AlertEmailForm()
    if not form.validate_on_submit():
        return notifications_page(team_id, status=400)
    wanted = form.alert_email.data
    settings.set_alert_email(current_user.id, team_id, wanted)
    flash(
        "This team's alerts will be emailed to you."
        if wanted
        else "No more alert emails from this team.",
        "success",
    )
    return redirect(url_for("teams.notifications", team_id=team_id))


@bp.post("/<int:team_id>/notifications/digests")
@login_required
@requires(Role.VIEWER, team_in_url=True)
def add_digest(team_id: int) -> ResponseReturnValue:
    form = DigestForm()
    if not form.validate_on_submit():
        return notifications_page(team_id, form, 400)
    try:
        settings.add_digest(
            current_user.id, team_id, form.period.data, form.dataset_id.data or None
        )
    except settings.DigestRefused as error:
        form.period.errors.append(str(error))
        return notifications_page(team_id, form, 400)
    flash("Digest added.", "success")
    return redirect(url_for("teams.notifications", team_id=team_id))


@bp.post("/<int:team_id>/notifications/digests/remove")
@login_required
@requires(Role.VIEWER, team_in_url=True)
def remove_digest(team_id: int) -> ResponseReturnValue:
    form = RemoveDigestForm()
    if not form.validate_on_submit():
        return notifications_page(team_id, status=400)
    try:
        settings.remove_digest(current_user.id, team_id, form.digest_id.data)
    except settings.DigestNotFound as error:
        raise NotFound("No such digest.") from error
    flash("Digest stopped.", "success")
    return redirect(url_for("teams.notifications", team_id=team_id))
