"""What an alert says: one line for chat tools (webhooks), an email, and the numbers.

Emails and webhooks are sent by periodic tasks, with no request to take the app's address
from: links are built on `PUBLIC_URL`.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, url_for

from emolytics.pipeline import alert_words
from emolytics.pipeline.filters import Filters
from emolytics.tables import Alert, AlertRule

WENT = {"rise": "rose", "drop": "dropped"}


@dataclass(frozen=True, slots=True)
class Told:
    text: str  # one line: Slack's and Mattermost's `text`
    subject: str
    body: str  # the email's plain text
    details: dict[str, Any]  # the structured numbers beside `text`


def public_link(endpoint: str, **values: Any) -> str:
    """The absolute URL of `endpoint` under PUBLIC_URL (outside any request)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)


def settings_link(team_id: int) -> str:
    """Where a member changes what the team sends them."""
    return public_link("teams.notifications", team_id=team_id)


def watched(rule: AlertRule) -> str:
    """What the rule watches, in words: "the share of anger (texts mentioning tram)", "… (texts
    in segment Web shop)"."""
    what = {
        "volume": "the number of texts",
        "emotion_count": f"the number of {rule.emotion} texts",
        "emotion_share": f"the share of {rule.emotion}",
        "valence": "the mean valence",
    }.get(rule.metric, rule.metric)
    texts = f"texts mentioning {rule.keyword}" if rule.keyword else "texts"
    if rule.segment is not None:
        return f"{what} ({texts} in segment {rule.segment})"
    return f"{what} ({texts})" if rule.keyword else what


def value(rule: AlertRule, number: float) -> str:
    """A number as the rule's metric reads: a share in percent, a valence signed."""
    if rule.metric == "emotion_share":
        return f"{number:.1%}"
    if rule.metric == "valence":
        return f"{number:+.2f}"
    return f"{number:.1f}".removesuffix(".0")


def window(start: datetime, end: datetime) -> str:
    if start.date() == (end - timedelta(microseconds=1)).date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} UTC"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} UTC"


def window_filters(alert: Alert, rule: AlertRule) -> Filters:
    """The dashboard's filters of the texts an alert is about (`alert_words.window_filters`)."""
    return alert_words.window_filters(rule, alert.window_start, alert.window_end)


def dashboard_link(alert: Alert, rule: AlertRule) -> str:
    """The dataset's dashboard filtered to the alert's texts (`window_filters`)."""
    window = window_filters(alert, rule).as_args()
    return public_link("datasets.show", dataset_id=alert.dataset_id, **window)


def texts_view(alert: Alert, rule: AlertRule) -> dict[str, str]:
    """The texts table's view of the texts that raised the alert: those of the dashboard's
    window of the rule's emotion (if it watches one); for a valence, those that moved it
    first (the most negative for a drop, the most positive for a rise)."""
    args = replace(window_filters(alert, rule), label=rule.emotion).as_args()
    if rule.metric == "valence":
        args["sort"] = "negative" if alert.direction == "drop" else "positive"
    return args


def texts_link(alert: Alert, rule: AlertRule) -> str:
    """The dataset's texts table showing the alert's texts (`texts_view`)."""
    return public_link("datasets.texts", dataset_id=alert.dataset_id, **texts_view(alert, rule))


def rising(words: list[dict[str, Any]] | None) -> str | None:
    """The words that rose (an alert's, a digest's), as a line says them: "refund (new), late
    (5.0×)"; None when none were compared (no texts before)."""
    if words is None:
        return None
    return ", ".join(f"{word['term']} ({rise(word)})" for word in words) or "none beyond chance"


def rise(word: dict[str, Any]) -> str:
    """How much a word rose: "new", or "5.0×" (times its share before)."""
    return "new" if word["ratio"] is None else f"{word['ratio']:.1f}×"


def tell(alert: Alert, rule: AlertRule, dataset_name: str) -> Told:
    """The alert in words and numbers."""
    what = watched(rule)
    went = WENT.get(alert.direction, alert.direction)
    when = window(alert.window_start, alert.window_end)
    observed, expected = value(rule, alert.observed), value(rule, alert.expected)
    ratio = f" ({alert.ratio:.1f} times the usual)" if alert.ratio is not None else ""
    link = dashboard_link(alert, rule)
    words = rising(alert.rising_words)
    rose = f"Words that rose: {words}. " if alert.rising_words else ""
    text = (
        f"{dataset_name}: {what} {went} to {observed}, against {expected} expected{ratio}, "
        f"in {when}. {rose}{link}"
    )
    subject = f"Alert on {dataset_name}: {what} {went}"
    body = "\n".join(
        [
            f"An alert rule on the dataset {dataset_name} found an unusual window.",
            "",
            f"Watched:  {what}, {rule.direction}",
            f"Window:   {when} ({alert.texts} texts)",
            f"Observed: {observed}",
            f"Expected: {expected}{ratio}",
            f"How unusual: p = {alert.p_value:.2g} (baseline: {alert.baseline})",
            *(
                [f"Words that rose (against the {alert_words.BEFORE.days} days before): {words}"]
                if words
                else []
            ),
            "",
            f"See that window on the dashboard: {link}",
            f"Read its texts: {texts_link(alert, rule)}",
            "",
            "You receive this because you asked for this team's alerts by email; change that "
            f"in your notification settings: {settings_link(alert.team_id)}",
        ]
    )
    details = {
        "alert_id": alert.id,
        "rule_id": rule.id,
        "dataset_id": alert.dataset_id,
        "dataset": dataset_name,
        "metric": rule.metric,
        "emotion": rule.emotion,
        "keyword": rule.keyword,
        "segment": rule.segment,
        "direction": alert.direction,
        "window_start": alert.window_start.isoformat(),
        "window_end": alert.window_end.isoformat(),
        "texts": alert.texts,
        "observed": alert.observed,
        "expected": alert.expected,
        "ratio": alert.ratio,
        "p_value": alert.p_value,
        "url": link,
        "texts_url": texts_link(alert, rule),
        "rising_words": alert.rising_words,
    }
    return Told(text, subject, body, details)
