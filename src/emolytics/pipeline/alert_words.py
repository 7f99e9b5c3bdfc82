"""What an alert's texts are about: the words that rose in its window, kept with the alert as it
is raised (its emails, webhooks and pages list them).

The window's texts (the rule's keyword's and segment's, and its emotion's when it watches one)
against those of the `BEFORE` before the window, alike: `view_terms.rose` over a sample of each.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from emolytics import alerts
from emolytics.pipeline import view_terms
from emolytics.pipeline.filters import Filters
from emolytics.tables import AlertRule, Dataset

BEFORE = timedelta(days=7)


def window_filters(rule: AlertRule, start: datetime, end: datetime) -> Filters:
    """The filters of the texts a rule judges in a window: its dates, to the hour, and the
    rule's keyword and segment."""
    return Filters(keyword=rule.keyword, segment=rule.segment, start=start, end=end)


def rising_words(
    rule: AlertRule, dataset: Dataset, window: alerts.Window
) -> list[dict[str, Any]] | None:
    """The words the window's texts use more than those before it did (None: no texts before,
    or none in the window)."""
    now = replace(window_filters(rule, window.start, window.end), label=rule.emotion)
    before = replace(now, start=window.start - BEFORE, end=window.start)
    return view_terms.rose(dataset, now, before)
