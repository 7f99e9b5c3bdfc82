"""The team's alerts; a dataset's alert rules (made, paused, resumed and deleted here) and its
alerts."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from emolytics import confirm, current_team, request_audit
from emolytics.current_team import requires
from emolytics.pipeline import alert_pages, alert_rules, datasets
from emolytics.pipeline.rule_inputs import RuleRefused
from emolytics.tables import Role
from emolytics.web.alerts import bp
from emolytics.web.alerts.forms import RuleForm

PAUSED = "Alert rule paused: it judges no window until you resume it."
RESUMED = "Alert rule resumed: it judges the windows from the latest one on."


@bp.get("")
@login_required
@requires(Role.VIEWER)
def index() -> ResponseReturnValue:
    """The team's alerts, newest first, and its rules; opening it marks the alerts seen."""
    seat = current_team.seat()
    raised = alert_pages.for_team(seat.team_id)
    alert_pages.mark_seen(seat.team_id, current_user.id, raised)
    watching = alert_rules.for_team(seat.team_id)
    return render_template("alerts/index.html", seat=seat, raised=raised, watching=watching)


@bp.get("/datasets/<int:dataset_id>")
@login_required
@requires(Role.VIEWER)
def dataset(dataset_id: int) -> ResponseReturnValue:
    return _dataset_page(dataset_id, RuleForm(), 200)


@bp.post("/datasets/<int:dataset_id>/rules")
@login_required
@requires(Role.ANALYST)
def create_rule(dataset_id: int) -> ResponseReturnValue:
    team_id = current_team.team_id()
    found = datasets.owned(team_id, dataset_id)
    form = RuleForm()
    form.offer(found)
    if not form.validate_on_submit():
        return _dataset_page(dataset_id, form, 400)
    try:
        created = alert_rules.create(team_id, found, form.rule_input(), current_user.id)
    except RuleRefused as error:
        form.field_of(error.field).errors.append(str(error))
        return _dataset_page(dataset_id, form, 400)
    rule = created.rule
    request_audit.team_event("alert_rule.created", f"rule {rule.id} ({alert_rules.describe(rule)})")
    flash(f"Alert rule made: {alert_rules.describe(rule)}.", "success")
    if created.webhook_secret:
        flash(
            f"The webhook's signing secret (shown this once): {created.webhook_secret}", "warning"
        )
    return redirect(url_for("alerts.dataset", dataset_id=dataset_id))


@bp.route("/rules/<int:rule_id>/delete", methods=["GET", "POST"])
@login_required
@requires(Role.ANALYST)
def delete_rule(rule_id: int) -> ResponseReturnValue:
    rule = alert_rules.owned(current_team.team_id(), rule_id)
    back = url_for("alerts.dataset", dataset_id=rule.dataset_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        return confirm.ask(
            form,
            question=f"Delete the alert rule “{alert_rules.describe(rule)}”?",
            consequence="Its alerts and their delivery log are deleted with it. "
            "This cannot be undone.",
            button="Delete rule",
            cancel_url=back,
        )
    described = alert_rules.delete(current_team.team_id(), rule_id)
    request_audit.team_event("alert_rule.deleted", described)
    flash("Alert rule deleted.", "success")
    return redirect(back)


@bp.post("/rules/<int:rule_id>/enabled")
@login_required
@requires(Role.ANALYST)
def switch_rule(rule_id: int) -> ResponseReturnValue:
    """Pause a rule (`enabled` "false") or resume it ("true")."""
    rule = alert_rules.owned(current_team.team_id(), rule_id)
    form = FlaskForm()
    if not form.validate_on_submit() or request.form.get("enabled") not in ("true", "false"):
        abort(400, "Pause or resume the rule from its dataset's alerts page.")
    enabled = request.form["enabled"] == "true"
    alert_rules.set_enabled(rule, enabled)
    request_audit.team_event(*alert_rules.switched(rule))
    flash(RESUMED if enabled else PAUSED, "success")
    return redirect(url_for("alerts.dataset", dataset_id=rule.dataset_id))


# the form's fields where they differ from the rule's (hours, not minutes)


def _dataset_page(dataset_id: int, form: RuleForm, status: int) -> ResponseReturnValue:
    seat = current_team.seat()
    found = datasets.owned(seat.team_id, dataset_id)
    form.offer(found)
    rules = alert_rules.list_for(seat.team_id, dataset_id)
    raised = alert_pages.for_dataset(seat.team_id, dataset_id)
    page = render_template(
        "alerts/dataset.html",
        seat=seat,
        dataset=found,
        rules=[(rule, alert_rules.describe(rule)) for rule in rules],
        raised=raised,
        form=form,
    )
    return page, status
