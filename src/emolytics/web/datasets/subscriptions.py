"""A dataset's subscriptions on its page: subscribe to a feed (read at once), end one (asked
first). The list itself is on the dataset's page (`views.show`)."""

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from emolytics import current_team, request_audit
from emolytics.pipeline import datasets, subscriptions
from emolytics.tables import Role
from emolytics.web.datasets import bp
from emolytics.web.datasets.removal import asked_removal
from emolytics.wording import plural


@bp.post("/<int:dataset_id>/subscriptions")
@login_required
@current_team.requires(Role.ANALYST)
def subscribe(dataset_id: int) -> ResponseReturnValue:
    """Subscribe to the form's feed, then back to the dataset's page, which says how it went."""
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    back = url_for("datasets.show", dataset_id=dataset.id)
    try:
        done = subscriptions.subscribe(dataset, request.form.get("url", ""), current_user.id)
    except subscriptions.SubscriptionRefused as error:
        flash(f"Not subscribed: {error}", "error")
        return redirect(back)
    request_audit.team_event("subscription.added", subscriptions.described(done.subscription))
    flash(
        f"Subscribed to “{done.subscription.name}”: {plural(done.added, 'text')} added.", "success"
    )
    return redirect(back)


@bp.route("/<int:dataset_id>/subscriptions/<int:subscription_id>/end", methods=["GET", "POST"])
@login_required
@current_team.requires(Role.ANALYST)
def unsubscribe(dataset_id: int, subscription_id: int) -> ResponseReturnValue:
    dataset = datasets.owned(current_team.team_id(), dataset_id)
    subscription = subscriptions.owned(dataset, subscription_id)
    name = subscription.name
    return asked_removal(
        dataset,
        question=f"End the subscription to “{name}”?",
        consequence="Its new entries no longer become texts of the dataset. The texts it has "
        "added stay, with their results.",
        button="End the subscription",
        remove=lambda: ("subscription.ended", subscriptions.unsubscribe(dataset, subscription_id)),
        done=f"Ended the subscription to “{name}”.",
    )
