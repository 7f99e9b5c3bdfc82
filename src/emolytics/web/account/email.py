"""/account/email: the address alert emails and digests go to, and its confirmation link.

Setting, changing, re-sending and removing need a fresh sign-in (as the password change does):
a session restored from a remember cookie is asked for the password first.
"""

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_fresh, login_required
from flask_wtf import FlaskForm

from emolytics import mail, request_audit
from emolytics.accounts import email_addresses
from emolytics.accounts.team_errors import BadSetting
from emolytics.extensions import login_manager
from emolytics.web.account import bp
from emolytics.web.account.forms import EmailForm


def email_page(form: EmailForm | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "account/email.html",
        form=form or EmailForm(formdata=None, email=current_user.email),
        action_form=FlaskForm(),
        mail_configured=mail.configured(),
    ), status


@bp.get("/email")
@login_required
def email() -> ResponseReturnValue:
    return email_page()


@bp.post("/email")
@login_required
def set_email() -> ResponseReturnValue:
    if not login_fresh():
        return login_manager.needs_refresh()
    form = EmailForm()
    if not mail.configured():
        flash("Email is not configured on this server: there is nowhere to send it.", "error")
        return email_page(form, 409)
    if not form.validate_on_submit():
        return email_page(form, 400)
    try:
        changed = email_addresses.set_address(current_user, form.email.data)
    except (BadSetting, email_addresses.NotConfirmed) as error:
        form.email.errors.append(str(error))
        return email_page(form, 400)
    if not changed:
        flash("That is your address already.", "info")
        return redirect(url_for("account.email"))
    request_audit.account_event("account.email_changed", current_user.email)
    return _send_link()


@bp.post("/email/resend")
@login_required
def resend_email() -> ResponseReturnValue:
    if not login_fresh():
        return login_manager.needs_refresh()
    if not FlaskForm().validate_on_submit() or not current_user.email:
        flash("There is no address to confirm.", "error")
        return email_page(status=400)
    if current_user.email_confirmed_at is not None:
        flash("Your address is confirmed already.", "info")
        return redirect(url_for("account.email"))
    return _send_link()


def _send_link() -> ResponseReturnValue:
    token = email_addresses.link_token(current_user)
    link = url_for("account.confirm_email", token=token, _external=True)
    try:
        email_addresses.send_link(current_user, link)
    except mail.MailNotSent:
        flash(f"The link could not be sent to {current_user.email}: try again later.", "error")
        return email_page(status=502)
    flash(f"We sent a link to {current_user.email}: open it to confirm the address.", "success")
    return redirect(url_for("account.email"))


@bp.post("/email/remove")
@login_required
def remove_email() -> ResponseReturnValue:
    if not login_fresh():
        return login_manager.needs_refresh()
    if not FlaskForm().validate_on_submit():
        return email_page(status=400)
    email_addresses.remove(current_user)
    request_audit.account_event("account.email_removed")
    flash("Your address is removed: no alert or digest will be emailed to you.", "success")
    return redirect(url_for("account.email"))


@bp.get("/email/confirm/<token>")
@login_required
def confirm_email(token: str) -> ResponseReturnValue:
    try:
        email_addresses.confirm(current_user, token)
    except email_addresses.NotConfirmed as error:
        flash(str(error), "error")
        return email_page(status=400)
    request_audit.account_event("account.email_confirmed", current_user.email)
    flash(f"{current_user.email} is confirmed: alerts and digests you ask for go there.", "success")
    return redirect(url_for("account.email"))
