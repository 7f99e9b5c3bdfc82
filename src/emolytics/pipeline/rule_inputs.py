"""What a user may ask of an alert rule (`RuleInput`: the API's body, the page's form), each
value checked against the dataset: its labels, its tracked keywords, its analysis's segments;
a webhook URL as every delivery is (public addresses only unless WEBHOOK_ALLOW_PRIVATE)."""

import math
from dataclasses import dataclass
from typing import Any

from flask import current_app

from emolytics import alerts, outbound
from emolytics.pipeline import segments
from emolytics.pipeline.filters import labels_of
from emolytics.pipeline.ingest import segment_of
from emolytics.tables import Dataset

METRICS = tuple(metric.value for metric in alerts.Metric)
DIRECTIONS = tuple(direction.value for direction in alerts.Direction)
NAMED_SENSITIVITIES = {"unusual": alerts.UNUSUAL, "very_unusual": alerts.VERY_UNUSUAL}
MIN_TIMES = 1.5
MIN_WINDOW_MINUTES, MAX_WINDOW_MINUTES = 60, 7 * 24 * 60
MAX_MIN_TEXTS = 1_000_000
MAX_COOLDOWN = 30 * 24 * 60
EMOTION_METRICS = ("emotion_share", "emotion_count")
SEGMENTS_NAMED = 10  # a refused segment's message names this many of the dataset's


class RuleRefused(ValueError):
    """A rule that cannot be made; `field` names what is wrong, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RuleInput:
    """What a user asks for (the API's body, the page's form): checked by `checked`.

    `sensitivity`: "unusual", "very_unusual", or a number (N >= 1.5: "N times the usual")."""

    metric: str
    direction: str = "either"
    emotion: str | None = None
    keyword: str | None = None
    segment: str | None = None
    sensitivity: str | float = "unusual"
    window_minutes: int = 60
    min_texts: int = 10
    cooldown_minutes: int = 360
    webhook_url: str | None = None


def checked(dataset: Dataset, asked: RuleInput) -> dict[str, Any]:
    """The rule's stored values (`AlertRule`'s columns); RuleRefused says what is wrong."""
    sensitivity, times = _sensitivity(asked.sensitivity, asked.metric)
    return {
        "metric": _choice("metric", asked.metric, METRICS),
        "emotion": _emotion(dataset, asked.metric, asked.emotion),
        "keyword": _keyword(dataset, asked.keyword),
        "segment": _segment(dataset, asked.segment),
        "direction": _choice("direction", asked.direction, DIRECTIONS),
        "sensitivity": sensitivity,
        "times": times,
        "window_minutes": _window(asked.window_minutes),
        "min_texts": _whole("min_texts", asked.min_texts, 1, MAX_MIN_TEXTS),
        "cooldown_minutes": _whole("cooldown_minutes", asked.cooldown_minutes, 0, MAX_COOLDOWN),
        "webhook_url": _webhook_url(asked.webhook_url),
    }


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


def _segment(dataset: Dataset, segment: str | None) -> str | None:
    """One of the segments of the dataset's texts; for a live feed, also a segment still to
    come, as its texts would carry it (trimmed, 200 characters at most: its stores or channels
    may send their first texts after the rule is made), unless it is one of its segments
    written in another case (a slip: segments are told apart by case)."""
    if segment is None or segment == "":
        return None
    names = [found.name for found in segments.present(dataset)]
    if segment in names:
        return segment
    kept = segment_of(segment) if dataset.live_feed else None
    if kept is not None and kept.casefold() not in {name.casefold() for name in names}:
        return kept
    offered = ", ".join(repr(name) for name in names[:SEGMENTS_NAMED]) or "none"
    more = f" and {len(names) - SEGMENTS_NAMED:,} more" if len(names) > SEGMENTS_NAMED else ""
    raise RuleRefused(
        "segment",
        f"{segment[:200]!r} is not a segment of this dataset's texts ({offered}{more}).",
    )


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
        outbound.check(url, current_app.config["WEBHOOK_ALLOW_PRIVATE"])
    except outbound.Refused as error:
        raise RuleRefused("webhook_url", str(error)) from error
    return url
