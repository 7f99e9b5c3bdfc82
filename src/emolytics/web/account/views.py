"""Account pages. Changing the password, creating tokens and deleting the account need a
fresh sign-in: a session restored from a remember cookie is asked for the password first."""

from collections.abc import Sequence
from typing import TypeVar

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import (
    current_user,
    fresh_login_required,
    login_fresh,
    login_required,
    login_user,
    logout_user,
)
from flask_wtf import FlaskForm
from werkzeug.exceptions import NotFound

from emolytics import confirm, current_team, request_audit
from emolytics.accounts import attempts, audit, errors, lifecycle, password_changes, sessions
from emolytics.accounts import tokens as api_tokens
from emolytics.extensions import login_manager
from emolytics.tables import ApiToken, UserSession
from emolytics.web.account import bp
from emolytics.web.account.forms import ChangePasswordForm, DeleteAccountForm, NewTokenForm
from emolytics.wording import plural

R = TypeVar("R", ApiToken, UserSession)


@bp.route("", methods=["GET", "POST"])
@fresh_login_required
def password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            password_changes.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except errors.WrongPassword as error:
            form.current_password.errors.append(str(error))
            request_audit.account_event("account.password_changed", outcome="failed")
        except errors.PasswordPolicyError as error:
            form.new_password.errors.append(str(error))
        else:
            request_audit.account_event("account.password_changed")
            # The user's id changed with the password: sign this session in again under it.
            user = current_user._get_current_object()  # the user, not the proxy
            login_user(user, remember=user.current_session.remember)
            flash("Password changed. Every other session has been signed out.", "success")
            return redirect(url_for("account.password"))
    status = 400 if form.errors else 200
    return render_template(
        "account/password.html", form=form, delete_form=DeleteAccountForm()
    ), status


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> ResponseReturnValue:
    form = NewTokenForm()
    new_secret = None
    if form.is_submitted() and not login_fresh():
        return login_manager.needs_refresh()
    seat = current_team.seat()
    if form.validate_on_submit():
        try:
            created = api_tokens.create_token(
                current_user,
                form.name.data,
                form.expires_in_days.data,
                team_id=seat.team_id,
                scope=form.scope.data,
            )
        except api_tokens.TokenRefused as error:
            form.scope.errors.append(str(error))
        else:
            new_secret = created.secret
            request_audit.team_event("token.created", _token_target(created.token))
            flash("Token created. Copy it now: it will not be shown again.", "success")
            form = NewTokenForm(formdata=None)
    status = 400 if form.errors else 200
    return render_template(
        "account/tokens.html",
        form=form,
        new_secret=new_secret,
        seat=seat,
        tokens=api_tokens.team_tokens(seat),
    ), status


@bp.route("/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    seat = current_team.seat()
    if request.method == "GET":
        token = _one(api_tokens.team_tokens(seat), token_id, "token")
        if token.revoked_at is not None:
            raise NotFound("No such token.")
        return confirm.ask(
            FlaskForm(),
            question=f"Revoke the token {token.name!r} ({token.prefix}…)?",
            consequence="Programs that use it are refused from their next call. "
            "This cannot be undone.",
            button="Revoke token",
            cancel_url=url_for("account.tokens"),
        )
    if not api_tokens.revoke_team_token(seat, token_id):
        raise NotFound("No such token.")
    request_audit.team_event("token.revoked", f"token {token_id}")
    flash("Token revoked.", "success")
    return redirect(url_for("account.tokens"))


def _token_target(token: ApiToken) -> str:
    return f"{audit.named('token', token.id, token.name)} ({token.prefix}…)"


def _one(records: Sequence[R], record_id: int, kind: str) -> R:
    """The record of `records` (the user's own, or their team's) with this id; NotFound if
    there is none."""
    for record in records:
        if record.id == record_id:
            return record
    raise NotFound(f"No such {kind}.")


@bp.get("/activity")
@login_required
def activity() -> ResponseReturnValue:
    return render_template(
        "account/activity.html",
        found=audit.user_page(current_user.id, request.args.get("page", 1, type=int)),
        sign_ins=attempts.recent_sign_ins(current_user),
        sessions=sessions.live_sessions(current_user),
        current_session_id=current_user.current_session.id,
    )


@bp.route("/sessions/<int:session_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_session(session_id: int) -> ResponseReturnValue:
    if session_id == current_user.current_session.id:
        return redirect(url_for("auth.logout"))
    if request.method == "GET":
        record = _one(sessions.live_sessions(current_user), session_id, "session")
        return confirm.ask(
            FlaskForm(),
            question="Sign out this session?",
            consequence=f"{record.user_agent or 'An unknown browser'}, last seen from "
            f"{record.ip or 'an unknown address'}, will have to sign in again.",
            button="Sign out that session",
            cancel_url=url_for("account.activity"),
        )
    if not sessions.end_session(current_user, session_id):
        raise NotFound("No such session.")
    flash("That session is signed out.", "success")
    return redirect(url_for("account.activity"))


@bp.route("/sessions/revoke-others", methods=["GET", "POST"])
@login_required
def revoke_other_sessions() -> ResponseReturnValue:
    if request.method == "GET":
        return confirm.ask(
            FlaskForm(),
            question="Sign out everywhere else?",
            consequence="Every other browser signed in to your account, remembered or not, "
            "will have to sign in again. This one stays signed in.",
            button="Sign out everywhere else",
            cancel_url=url_for("account.activity"),
        )
    ended = sessions.end_other_sessions(current_user, keep=current_user.current_session)
    flash(f"Signed out {plural(ended, 'other session')}.", "success")
    return redirect(url_for("account.activity"))


@bp.post("/delete")
@fresh_login_required
def delete() -> ResponseReturnValue:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            lifecycle.delete_account(current_user, form.password.data)
        except errors.WrongPassword as error:
            form.password.errors.append(str(error))
        except errors.OwnerNeeded as error:
            flash(str(error), "error")
            return render_template(
                "account/password.html", form=ChangePasswordForm(formdata=None), delete_form=form
            ), 409
        else:
            logout_user()
            flash("Your account and everything in it are deleted.", "success")
            return redirect(url_for("auth.login"))
    return render_template(
        "account/password.html", form=ChangePasswordForm(formdata=None), delete_form=form
    ), 400
