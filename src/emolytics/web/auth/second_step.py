"""/login/second-factor: the second step of a sign-in, after a correct password."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics.accounts import errors, passkeys, second_factor, totp
from emolytics.extensions import limiter
from emolytics.security import safe_next
from emolytics.web.auth import bp
from emolytics.web.auth.forms import SecondFactorForm
from emolytics.web.auth.signing import pending, pending_key, sign_in


@bp.route("/login/second-factor", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=pending_key, methods=["POST"]
)
def second_factor_step() -> ResponseReturnValue:
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("dashboard.home"))
    waiting = pending()
    if waiting is None:
        flash("Your sign-in has expired or was not started: please sign in again.", "info")
        return redirect(url_for("auth.login", next=next_url))
    user, remember = waiting
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            method = second_factor.check_code(
                user,
                form.code.data,
                ip=request.remote_addr,
                user_agent=request.user_agent.string,
                now=totp.clock(),
            )
        except errors.LoginThrottled as error:
            form.code.errors.append(str(error))
            page = _page(form, user.id)
            return page, 429, {"Retry-After": str(error.retry_after)}
        except errors.SecondFactorFailed as error:
            form.code.errors.append(str(error))
        else:
            sign_in(user, remember=remember, passed_second_factor=True)
            if method == "recovery code":
                flash("You used a recovery code: each works only once.", "info")
            flash(f"Welcome back, {user.username}.", "success")
            return redirect(next_url or url_for("dashboard.home"))
    status = 400 if form.errors else 200
    return _page(form, user.id), status


def _page(form: SecondFactorForm, user_id: int) -> str:
    return render_template(
        "auth/second_factor.html",
        form=form,
        has_app=totp.enabled(user_id),
        has_passkeys=passkeys.has_passkeys(user_id),
    )
