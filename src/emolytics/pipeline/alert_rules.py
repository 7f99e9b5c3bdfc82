"""A team's alert rules on its datasets: made (checked), listed, deleted; and what each asks
of the detector (`emolytics.alerts`).

A rule watches one quantity of a dataset's current analysis per window of whole hours: the
volume of texts, an emotion's share or count, or the mean valence; of every text or of those
mentioning one of the dataset's tracked keywords. Its webhook URL is checked like every
delivery (public addresses only unless WEBHOOK_ALLOW_PRIVATE), and its signing secret is
sealed: shown once, when the rule is made.
"""

import math
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from emolytics import alerts, caching
from emolytics.accounts import sealed
from emolytics.extensions import db
from emolytics.notifications import webhooks
from emolytics.pipeline import alert_pages, datasets
from emolytics.pipeline.filters import labels_of
from emolytics.tables import AlertRule, Dataset

METRICS = tuple(metric.value for metric in alerts.Metric)
DIRECTIONS = tuple(direction.value for direction in alerts.Direction)
NAMED_SENSITIVITIES = {"unusual": alerts.UNUSUAL, "very_unusual": alerts.VERY_UNUSUAL}
MIN_TIMES = 1.5
UNWATCHED_SHOWN = 10  # the team's alerts page links this many datasets without rules
MIN_WINDOW_MINUTES, MAX_WINDOW_MINUTES = 60, 7 * 24 * 60
MAX_MIN_TEXTS = 1_000_000
MAX_COOLDOWN = 30 * 24 * 60
EMOTION_METRICS = ("emotion_share", "emotion_count")


class RuleRefused(ValueError):
    """A rule that cannot be made; `field` names what is wrong, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class RuleNotFound(LookupError):
    """No such rule in the team."""


@dataclass(frozen=True)
class RuleInput:
    """What a user asks for (the API's body, the page's form): checked by `create`.

    `sensitivity`: "unusual", "very_unusual", or a number (N >= 1.5: "N times the usual")."""

    metric: str
    direction: str = "either"
    emotion: str | None = None
    keyword: str | None = None
    sensitivity: str | float = "unusual"
    window_minutes: int = 60
    min_texts: int = 10
    cooldown_minutes: int = 360
    webhook_url: str | None = None


@dataclass(frozen=True)
class Created:
    rule: AlertRule
    webhook_secret: str | None  # shown this once; only its sealed form is kept


def create(team_id: int, dataset: Dataset, asked: RuleInput, user_id: int | None) -> Created:
    """Check `asked` against the dataset and store the rule; RuleRefused says what is wrong."""
    sensitivity, times = _sensitivity(asked.sensitivity, asked.metric)
    rule = AlertRule(
        team_id=team_id,
        dataset_id=dataset.id,
        metric=_metric(asked.metric),
        emotion=_emotion(dataset, asked.metric, asked.emotion),
        keyword=_keyword(dataset, asked.keyword),
        direction=_choice("direction", asked.direction, DIRECTIONS),
        sensitivity=sensitivity,
        times=times,
        window_minutes=_window(asked.window_minutes),
        min_texts=_whole("min_texts", asked.min_texts, 1, MAX_MIN_TEXTS),
        cooldown_minutes=_whole("cooldown_minutes", asked.cooldown_minutes, 0, MAX_COOLDOWN),
        webhook_url=_webhook_url(asked.webhook_url),
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
    """The rule in words: "anger share rises, 3 times the usual, per hour (keyword tram)"."""
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
    keyword = f" (keyword {rule.keyword})" if rule.keyword else ""
    return f"{what} {way}, {how}, {window}{keyword}"


def _metric(metric: str) -> str:
    return _choice("metric", metric, METRICS)


def _choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise RuleRefused(field, f"{field} must be one of {', '.join(allowed)} (got {value!r}).")
    return value


def _emotion(dataset: Dataset, metric: str, emotion: str | None) -> str | None:
    if metric not in EMOTION_METRICS:
        if emotion:
            raise RuleRefused("emotion", f"A {metric} rule watches no emotion: leave it out.")
        return None
    labels = labels_of(dataset)
    if not emotion:
        raise RuleRefused("emotion", f"Name the emotion to watch ({', '.join(labels)}).")
    if emotion not in labels:
        raise RuleRefused(
            "emotion", f"Unknown emotion {emotion!r} (this dataset has {', '.join(labels)})."
        )
    return emotion


def _keyword(dataset: Dataset, keyword: str | None) -> str | None:
    if not keyword:
        return None
    if keyword not in dataset.keywords:
        tracked = ", ".join(dataset.keywords) or "none"
        raise RuleRefused(
            "keyword", f"{keyword!r} is not a tracked keyword of this dataset ({tracked})."
        )
    return keyword


def _sensitivity(value: str | float, metric: str) -> tuple[str, float | None]:
    if isinstance(value, str) and value in NAMED_SENSITIVITIES:
        return value, None
    try:
        times = float(value)
    except (TypeError, ValueError):
        times = math.nan
    if isinstance(value, bool) or not math.isfinite(times) or times < MIN_TIMES:
        raise RuleRefused(
            "sensitivity",
            f'sensitivity must be "unusual", "very_unusual" or a number from {MIN_TIMES} '
            f'("N times the usual"); got {str(value)[:40]!r}.',
        )
    if metric == "valence":
        raise RuleRefused(
            "sensitivity", 'A valence rule cannot use "N times the usual": valence is signed.'
        )
    return "times", times


def _window(minutes: int) -> int:
    minutes = _whole("window_minutes", minutes, MIN_WINDOW_MINUTES, MAX_WINDOW_MINUTES)
    if minutes % 60:
        raise RuleRefused("window_minutes", "window_minutes must be a whole number of hours.")
    return minutes


def _whole(field: str, value: int, least: int, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise RuleRefused(field, f"{field} must be a whole number from {least:,} to {most:,}.")
    return value


def _webhook_url(url: str | None) -> str | None:
    url = (url or "").strip()
    if not url:
        return None
    try:
        webhooks.check(url, current_app.config["WEBHOOK_ALLOW_PRIVATE"])
    except webhooks.WebhookRefused as error:
        raise RuleRefused("webhook_url", str(error)) from error
    return url
