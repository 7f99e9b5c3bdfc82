"""A team's alert rules on its datasets: made (checked), listed, deleted; and what each asks
of the detector (`emolytics.alerts`).

A rule watches one quantity of a dataset's current analysis per window of whole hours: the
volume of texts, an emotion's share or count, or the mean valence; of every text, or of those
mentioning one of the dataset's tracked keywords, or of one segment, or both (what may be
asked: `rule_inputs`). Its webhook's signing secret is sealed: shown once, when the rule is
made.
"""

import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from emolytics import alerts, caching
from emolytics.accounts import sealed
from emolytics.extensions import db
from emolytics.pipeline import alert_pages, datasets, rule_inputs
from emolytics.pipeline.rule_inputs import MIN_TIMES, NAMED_SENSITIVITIES, RuleInput
from emolytics.tables import AlertRule, Dataset

UNWATCHED_SHOWN = 10  # the team's alerts page links this many datasets without rules


class RuleNotFound(LookupError):
    """No such rule in the team."""


@dataclass(frozen=True)
class Created:
    rule: AlertRule
    webhook_secret: str | None  # shown this once; only its sealed form is kept


def create(team_id: int, dataset: Dataset, asked: RuleInput, user_id: int | None) -> Created:
    """Check `asked` against the dataset and store the rule; RuleRefused says what is wrong."""
    rule = AlertRule(
        team_id=team_id,
        dataset_id=dataset.id,
        **rule_inputs.checked(dataset, asked),
        created_by_id=user_id,
    )
    secret = None
    if rule.webhook_url:
        secret = secrets.token_urlsafe(32)
        rule.webhook_secret = sealed.seal(secret)
    db.session.add(rule)
    db.session.commit()
    return Created(rule, secret)


def list_for(team_id: int, dataset_id: int) -> list[AlertRule]:
    return list(
        db.session.scalars(
            select(AlertRule)
            .where(AlertRule.team_id == team_id, AlertRule.dataset_id == dataset_id)
            .order_by(AlertRule.id)
        )
    )


@dataclass(frozen=True)
class TeamRules:
    """The team's rules as its alerts page lists them, and the datasets nothing watches."""

    rules: list[tuple[AlertRule, str, str]]  # the rule, its dataset's name, the rule in words
    unwatched: list[Any]  # `datasets.overview` rows, newest first, `UNWATCHED_SHOWN` at most
    more_unwatched: int  # how many more there are
    # When the datasets whose name another dataset of the team has too were created: the page
    # tells them apart by it
    same_name: dict[int, datetime]


def for_team(team_id: int) -> TeamRules:
    """Every rule of the team (by dataset name, then age) and the datasets without one."""
    rows = db.session.execute(
        select(AlertRule, Dataset.name)
        .join(Dataset, Dataset.id == AlertRule.dataset_id)
        .where(AlertRule.team_id == team_id)
        .order_by(Dataset.name, Dataset.id, AlertRule.id)
    )
    rules = [(rule, name, describe(rule)) for rule, name in rows]
    watched = {rule.dataset_id for rule, _, _ in rules}
    every = datasets.overview(team_id)
    unwatched = [row for row in every if row.id not in watched]
    shown = unwatched[:UNWATCHED_SHOWN]
    names = Counter(row.name for row in every)
    same_name = {row.id: row.created_at for row in every if names[row.name] > 1}
    return TeamRules(rules, shown, len(unwatched) - len(shown), same_name)


def owned(team_id: int, rule_id: int) -> AlertRule:
    rule = db.session.scalar(
        select(AlertRule).where(AlertRule.id == rule_id, AlertRule.team_id == team_id)
    )
    if rule is None:
        raise RuleNotFound(rule_id)
    return rule


def delete(team_id: int, rule_id: int) -> str:
    """Delete the rule with its alerts and their deliveries; what it watched, for the log."""
    rule = owned(team_id, rule_id)
    described = f"rule {rule.id} ({describe(rule)}) on dataset {rule.dataset_id}"
    db.session.delete(rule)
    caching.changed_after_commit(db.session, [alert_pages.guard(team_id)])
    db.session.commit()
    return described


def set_enabled(rule: AlertRule, enabled: bool) -> None:
    """Pause the rule (`owned`; no window is judged) or resume it: a resumed rule starts again
    with the latest window, as a new rule does, so the windows of the pause raise nothing."""
    if enabled and not rule.enabled:
        rule.checked_through = None
    rule.enabled = enabled
    db.session.commit()


def switched(rule: AlertRule) -> tuple[str, str]:
    """The audit log's action and target for the rule just paused or resumed."""
    action = "alert_rule.resumed" if rule.enabled else "alert_rule.paused"
    return action, f"rule {rule.id} ({describe(rule)})"


def detector_rule(rule: AlertRule) -> alerts.Rule:
    """The detector's part of a stored rule."""
    if rule.sensitivity == "times":
        sensitivity = alerts.times_the_usual(rule.times or MIN_TIMES)
    else:
        sensitivity = NAMED_SENSITIVITIES[rule.sensitivity]
    return alerts.Rule(
        alerts.Metric(rule.metric),
        alerts.Direction(rule.direction),
        sensitivity,
        window_hours=rule.window_minutes // 60,
        min_texts=rule.min_texts,
    )


def cool_down(rule: AlertRule) -> timedelta:
    return timedelta(minutes=rule.cooldown_minutes)


def describe(rule: AlertRule) -> str:
    """The rule in words: "anger share rises, 3 times the usual, per hour (keyword tram)"; a
    segment's: "… (segment Web shop)"."""
    what = {
        "volume": "volume",
        "emotion_share": f"{rule.emotion} share",
        "emotion_count": f"{rule.emotion} count",
        "valence": "mean valence",
    }[rule.metric]
    way = {"rise": "rises", "drop": "drops", "either": "rises or drops"}[rule.direction]
    how = detector_rule(rule).sensitivity.label
    hours = rule.window_minutes // 60
    window = "per hour" if hours == 1 else f"per {hours} hours"
    scope = [f"keyword {rule.keyword}"] if rule.keyword else []
    if rule.segment is not None:
        scope.append(f"segment {rule.segment}")
    scoped = f" ({', '.join(scope)})" if scope else ""
    return f"{what} {way}, {how}, {window}{scoped}"
