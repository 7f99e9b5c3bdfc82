"""Sign in, register, sign out, and confirm the password for sensitive actions."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import confirm_login, current_user, login_required, logout_user

from emolytics import current_team, request_audit
from emolytics.accounts import (
    errors,
    invitations,
    passkeys,
    registration,
    second_factor,
    sessions,
    signin,
    totp,
)
from emolytics.accounts.teams import Seat
from emolytics.extensions import db, limiter
from emolytics.security import safe_next
from emolytics.tables import User
from emolytics.web.auth import bp
from emolytics.web.auth.forms import ConfirmForm, LoginForm, ReauthenticateForm, RegisterForm
from emolytics.web.auth.signing import await_second_factor, sign_in


def _account_key() -> str:
    """Rate-limit key for the account a sign-in names (whether or not it exists)."""
    return "account:" + request.form.get("username", "").strip().lower()[:80]


def _landing() -> str:
    return safe_next(request.args.get("next")) or url_for("dashboard.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=_account_key, methods=["POST"]
)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(_landing())
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = signin.authenticate(
                form.username.data,
                form.password.data,
                ip=request.remote_addr,
                user_agent=request.user_agent.string,
            )
        except errors.LoginThrottled as error:
            flash(str(error), "error")
            page = render_template("auth/login.html", form=form)
            return page, 429, {"Retry-After": str(error.retry_after)}
        except errors.LoginFailed as error:
            flash(str(error), "error")
        else:
            if second_factor.has_second_factor(user.id):
                await_second_factor(user, remember=form.remember.data)
                db.session.commit()
                next_url = safe_next(request.args.get("next"))
                return redirect(url_for("auth.second_factor_step", next=next_url))
            sign_in(user, remember=form.remember.data)
            flash(f"Welcome back, {user.username}.", "success")
            return redirect(_landing())
    status = 400 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register() -> ResponseReturnValue:
    """Create an account; through an invitation (`?invitation=<code>`) the new account joins
    its team at once, and registration closed to others is open to it when it allows that."""
    code = request.args.get("invitation")
    is_open = current_app.config["REGISTRATION_OPEN"]
    if not is_open and not (code and invitations.opens_registration(code)):
        return render_template("auth/registration_closed.html"), 403
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user, joined = _register(form, code, is_open)
        except errors.UsernameError as error:
            form.username.errors.append(str(error))
        except errors.PasswordPolicyError as error:
            form.password.errors.append(str(error))
        else:
            welcome = f"Welcome to Emolytics, {user.username}."
            if joined is not None:
                welcome += f" You joined {joined.team_name} as {joined.role.label}."
            flash(welcome, "success")
            return redirect(url_for("dashboard.home"))
    status = 400 if form.errors else 200
    return render_template("auth/register.html", form=form, invitation=code), status


def _register(form: RegisterForm, code: str | None, is_open: bool) -> tuple[User, Seat | None]:
    """The new account, signed in, and the seat it got through the invitation (working in
    that team from now on), if it came with one."""
    ip, user_agent = request.remote_addr, request.user_agent.string
    if code is None:
        user = registration.register(
            form.username.data, form.password.data, ip=ip, user_agent=user_agent
        )
        sign_in(user, remember=False)
        return user, None
    user, seat = invitations.register_invited(
        code,
        form.username.data,
        form.password.data,
        registration_open=is_open,
        ip=ip,
        user_agent=user_agent,
    )
    sign_in(user, remember=False)
    session[current_team.SESSION_KEY] = seat.team_id
    return user, seat


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    form = ConfirmForm()
    if request.method == "GET":
        return render_template("auth/logout.html", form=form)
    sessions.end_session(current_user, current_user.current_session.id)
    request_audit.account_event("auth.sign_out")
    session.clear()
    logout_user()  # after clear(): it marks the remember cookie for deletion
    flash("You are signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
def reauthenticate() -> ResponseReturnValue:
    """Flask-Login's refresh view: the password (and the second factor, for a user with one)
    again before a sensitive action."""
    form = ReauthenticateForm()
    if form.validate_on_submit():
        try:
            second_factor.confirm_again(
                current_user,
                form.password.data,
                form.code.data or "",
                ip=request.remote_addr,
                user_agent=request.user_agent.string,
                now=totp.clock(),
            )
        except errors.LoginThrottled as error:
            flash(str(error), "error")
            page = _reauthenticate_page(form)
            return page, 429, {"Retry-After": str(error.retry_after)}
        except errors.LoginFailed:
            flash("That password is not correct.", "error")
        except errors.SecondFactorFailed as error:
            form.code.errors.append(str(error))
        else:
            confirm_login()
            return redirect(_landing())
    status = 400 if form.errors else 200
    return _reauthenticate_page(form), status


def _reauthenticate_page(form: ReauthenticateForm) -> str:
    return render_template(
        "auth/reauthenticate.html",
        form=form,
        asks_code=second_factor.has_second_factor(current_user.id),
        has_passkeys=passkeys.has_passkeys(current_user.id),
    )
