"""/account/second-factor: the authenticator app, recovery codes and passkeys of the signed-in
user. Every page here needs a fresh sign-in, like the password page."""

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, fresh_login_required
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound

from emolytics import confirm, request_audit
from emolytics.accounts import errors, passkeys, second_factor, totp
from emolytics.accounts.audit import named
from emolytics.web.account import bp
from emolytics.web.account.forms import AppCodeForm, DisableAppForm, PasskeyNameForm


def _page(code_form: AppCodeForm | None = None, disable_form: DisableAppForm | None = None) -> str:
    return render_template(
        "account/second_factor.html",
        overview=second_factor.overview(current_user.id),
        enrolment=totp.pending_enrolment(current_user),
        start_form=FlaskForm(),
        code_form=code_form or AppCodeForm(formdata=None),
        disable_form=disable_form or DisableAppForm(formdata=None),
        passkeys=passkeys.list_passkeys(current_user.id),
        rename_form=PasskeyNameForm(formdata=None),
        has_second_factor=second_factor.has_second_factor(current_user.id),
    )


@bp.get("/second-factor")
@fresh_login_required
def second_factor_page() -> ResponseReturnValue:
    return _page()


@bp.post("/second-factor/app")
@fresh_login_required
def start_app() -> ResponseReturnValue:
    form = FlaskForm()
    if not form.validate_on_submit():
        return _page(), 400
    try:
        totp.start_enrolment(current_user)
    except errors.SecondFactorError as error:
        flash(str(error), "error")
    return redirect(url_for("account.second_factor_page"))


@bp.post("/second-factor/app/confirm")
@fresh_login_required
def confirm_app() -> ResponseReturnValue:
    form = AppCodeForm()
    if form.validate_on_submit():
        try:
            codes = totp.confirm_enrolment(current_user, form.code.data, totp.clock())
        except errors.SecondFactorError as error:
            form.code.errors.append(str(error))
        else:
            request_audit.account_event("second_factor.totp_enabled")
            flash("Your authenticator app is set up: sign-ins now ask for its code.", "success")
            return render_template("account/recovery_codes.html", codes=codes)
    return _page(code_form=form), 400


@bp.post("/second-factor/app/disable")
@fresh_login_required
def disable_app() -> ResponseReturnValue:
    form = DisableAppForm()
    if form.validate_on_submit():
        try:
            totp.disable(current_user, form.password.data)
        except errors.WrongPassword as error:
            form.password.errors.append(str(error))
        else:
            request_audit.account_event("second_factor.totp_disabled")
            flash("The authenticator app is removed.", "success")
            return redirect(url_for("account.second_factor_page"))
    return _page(disable_form=form), 400


@bp.route("/second-factor/recovery-codes", methods=["GET", "POST"])
@fresh_login_required
def recovery_codes() -> ResponseReturnValue:
    form = FlaskForm()
    if not form.validate_on_submit():
        return confirm.ask(
            form,
            question="Make new recovery codes?",
            consequence="Your current recovery codes stop working at once; "
            "the ten new ones are shown once.",
            button="Make new recovery codes",
            cancel_url=url_for("account.second_factor_page"),
        )
    try:
        codes = second_factor.new_recovery_codes(current_user)
    except errors.SecondFactorError as error:
        flash(str(error), "error")
        return redirect(url_for("account.second_factor_page"))
    request_audit.account_event("second_factor.recovery_codes_regenerated")
    return render_template("account/recovery_codes.html", codes=codes)


@bp.post("/second-factor/passkeys/<int:passkey_id>/rename")
@fresh_login_required
def rename_passkey(passkey_id: int) -> ResponseReturnValue:
    form = PasskeyNameForm()
    if passkeys.find(current_user.id, passkey_id) is None:
        raise NotFound("No such passkey.")
    if form.validate_on_submit():
        try:
            passkeys.rename(current_user.id, passkey_id, form.name.data)
        except passkeys.PasskeyError as error:
            flash(str(error), "error")
            return _page(), 400
        request_audit.account_event("passkey.renamed", f"passkey {passkey_id}")
        flash("Passkey renamed.", "success")
        return redirect(url_for("account.second_factor_page"))
    flash("A passkey's name is 1-80 characters.", "error")
    return _page(), 400


@bp.route("/second-factor/passkeys/<int:passkey_id>/remove", methods=["GET", "POST"])
@fresh_login_required
def remove_passkey(passkey_id: int) -> ResponseReturnValue:
    passkey = passkeys.find(current_user.id, passkey_id)
    if passkey is None:
        raise NotFound("No such passkey.")
    form = FlaskForm()
    if request.method == "GET" or not form.validate_on_submit():
        return confirm.ask(
            form,
            question=f"Remove the passkey {passkey.name!r}?",
            consequence="It can no longer sign you in or serve as your second factor.",
            button="Remove passkey",
            cancel_url=url_for("account.second_factor_page"),
        )
    passkeys.remove(current_user.id, passkey_id)
    request_audit.account_event("passkey.removed", named("passkey", passkey_id, passkey.name))
    flash("Passkey removed.", "success")
    return redirect(url_for("account.second_factor_page"))
