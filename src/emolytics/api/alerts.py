"""A dataset's alert rules (`/datasets/<id>/alert-rules`, `/alert-rules/<id>`) and the alerts
they raised (`/datasets/<id>/alerts`)."""

from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from emolytics import current_team, request_audit
from emolytics.api import bp
from emolytics.api.inputs import json_body
from emolytics.api.operations import Operation, Reply, documented
from emolytics.pipeline import alert_pages, alert_rules, datasets
from emolytics.pipeline.rule_inputs import RuleRefused
from emolytics.schemas.alerts import (
    AlertAnswer,
    AlertRuleAnswer,
    AlertRuleBody,
    AlertRules,
    AlertRuleSwitch,
    Alerts,
    CreatedAlertRule,
)
from emolytics.schemas.errors import Refusal
from emolytics.tables import Role


@bp.get("/datasets/<int:dataset_id>/alert-rules")
@documented(
    Operation(
        "listAlertRules",
        "Alerts",
        "The dataset's alert rules",
        replies={200: Reply("Oldest first (no webhook secrets).", AlertRules)},
        errors=(401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def list_alert_rules(dataset_id: int) -> ResponseReturnValue:
    team_id = current_team.team_id()
    datasets.owned(team_id, dataset_id)
    rules = alert_rules.list_for(team_id, dataset_id)
    return AlertRules(rules=[AlertRuleAnswer.of(rule) for rule in rules]).json()


@bp.post("/datasets/<int:dataset_id>/alert-rules")
@documented(
    Operation(
        "createAlertRule",
        "Alerts",
        "Make an alert rule on the dataset",
        description="Judged on every complete window from now on (every minute, and when the "
        "live feed brings texts). The answer holds the webhook's signing secret, this once.",
        body={"application/json": AlertRuleBody},
        examples={
            "application/json": {
                "metric": "emotion_share",
                "emotion": "anger",
                "direction": "rise",
                "sensitivity": 3,
                "webhook_url": "https://hooks.example.com/T000/B000",
            }
        },
        replies={201: Reply("The rule, with its webhook secret.", CreatedAlertRule, location=True)},
        errors=(400, 401, 403, 404, 415, 422),
    )
)
@current_team.requires(Role.ANALYST)
def create_alert_rule(dataset_id: int) -> ResponseReturnValue:
    team_id = current_team.team_id()
    dataset = datasets.owned(team_id, dataset_id)
    asked = json_body(AlertRuleBody).rule_input()
    try:
        created = alert_rules.create(team_id, dataset, asked, current_user.id)
    except RuleRefused as error:
        raise Refusal(422, f"invalid_{error.field}", str(error)) from error
    rule = created.rule
    request_audit.team_event("alert_rule.created", f"rule {rule.id} ({alert_rules.describe(rule)})")
    answer = CreatedAlertRule(
        **AlertRuleAnswer.of(rule).model_dump(), webhook_secret=created.webhook_secret
    )
    location = url_for("api.list_alert_rules", dataset_id=dataset_id)
    return answer.json(), 201, {"Location": location}


@bp.delete("/alert-rules/<int:rule_id>")
@documented(
    Operation(
        "deleteAlertRule",
        "Alerts",
        "Delete an alert rule, its alerts and their deliveries",
        replies={204: Reply("Deleted.")},
        errors=(401, 403, 404),
    )
)
@current_team.requires(Role.ANALYST)
def delete_alert_rule(rule_id: int) -> ResponseReturnValue:
    described = alert_rules.delete(current_team.team_id(), rule_id)
    request_audit.team_event("alert_rule.deleted", described)
    return "", 204


@bp.patch("/alert-rules/<int:rule_id>")
@documented(
    Operation(
        "switchAlertRule",
        "Alerts",
        "Pause or resume an alert rule",
        description="A paused rule judges no window; resumed, it starts again with the latest "
        "window, as a new rule does, so the windows of the pause raise nothing.",
        body={"application/json": AlertRuleSwitch},
        examples={"application/json": {"enabled": False}},
        replies={200: Reply("The rule.", AlertRuleAnswer)},
        errors=(400, 401, 403, 404, 415),
    )
)
@current_team.requires(Role.ANALYST)
def switch_alert_rule(rule_id: int) -> ResponseReturnValue:
    rule = alert_rules.owned(current_team.team_id(), rule_id)
    alert_rules.set_enabled(rule, json_body(AlertRuleSwitch).enabled)
    request_audit.team_event(*alert_rules.switched(rule))
    return AlertRuleAnswer.of(rule).json()


@bp.get("/datasets/<int:dataset_id>/alerts")
@documented(
    Operation(
        "listAlerts",
        "Alerts",
        "The alerts the dataset's rules raised",
        replies={200: Reply("Newest first, each with its rule and deliveries.", Alerts)},
        errors=(401, 404),
    )
)
@current_team.requires(Role.VIEWER)
def list_alerts(dataset_id: int) -> ResponseReturnValue:
    team_id = current_team.team_id()
    datasets.owned(team_id, dataset_id)
    raised = alert_pages.for_dataset(team_id, dataset_id)
    return Alerts(alerts=[AlertAnswer.of(item) for item in raised]).json()
