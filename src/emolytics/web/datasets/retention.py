"""A dataset's retention, asked first: texts past it are deleted, now and every hour."""

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm

from emolytics import confirm, current_team, request_audit
from emolytics.accounts.audit import named
from emolytics.pipeline import datasets, retention
from emolytics.tables import Dataset, Role, utcnow
from emolytics.web.datasets import bp
from emolytics.wording import plural


@bp.route("/<int:dataset_id>/retention", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def retention_page(dataset_id: int) -> ResponseReturnValue:
    """`?keep_days=N` (empty: for ever), asked first, then kept."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    days = _days(request.args.get("keep_days", ""))
    back = url_for("datasets.show", dataset_id=dataset.id)
    form = FlaskForm()
    if not form.validate_on_submit():
        return _ask(form, dataset, days, back)
    try:
        expired = retention.keep(dataset, days, utcnow())
    except retention.RemovalRefused as error:
        flash(str(error), "error")
        return redirect(back)
    kept = retention.kept_for(days)
    target = f"{named('dataset', dataset.id, dataset.name)}: texts kept {kept}"
    request_audit.team_event("dataset.retention_changed", target)
    gone = f" {plural(expired.texts, 'text')} older than that deleted." * bool(expired.texts)
    flash(f"Texts are kept {kept} after their time.{gone}", "success")
    return redirect(back)


def _days(value: str) -> int | None:
    """The days asked for (None: for ever); 400 with what to write if they cannot be kept."""
    try:
        return retention.check_keep_days(int(value) if value.strip() else None)
    except ValueError:
        abort(400, f"Keep texts for 1 to {retention.MAX_KEEP_DAYS:,} days, or leave it empty.")


def _ask(form: FlaskForm, dataset: Dataset, days: int | None, back: str) -> ResponseReturnValue:
    if days is None:
        return confirm.ask(
            form,
            question=f"Keep the texts of “{dataset.name}” for ever?",
            consequence="No text is deleted for its age any more.",
            button="Keep them for ever",
            cancel_url=back,
        )
    now = utcnow()
    going = retention.expiring(dataset, days, now)
    before = retention.cutoff(days, now)
    first = (
        f"Its {plural(going, 'text')} dated before {before:%Y-%m-%d %H:%M} UTC are deleted now, "
        "with their results and corrections; then, "
        if going
        else "None of its texts is that old yet; "
    )
    return confirm.ask(
        form,
        question=f"Keep the texts of “{dataset.name}” for {plural(days, 'day')}?",
        consequence=f"{first}every hour, the texts that pass {plural(days, 'day')} after their "
        "time are deleted too. Texts without a time are kept. This cannot be undone.",
        button="Keep them for " + plural(days, "day"),
        cancel_url=back,
    )
