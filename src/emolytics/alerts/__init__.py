"""Spike alerts' statistical core: whether the latest window of a series is unusual. Plain
Python, NumPy and SciPy; no Flask, no SQLAlchemy, no I/O (like `engine`, it imports nothing
else of ours).

    from emolytics.alerts import Hours, Metric, Direction, Rule, evaluate, times_the_usual
    hours = Hours(start, texts=[...], emotion=[...])  # hourly, oldest first, no gaps
    rule = Rule(Metric.EMOTION_SHARE, Direction.RISE, times_the_usual(3), window_hours=1)
    verdict = evaluate(rule, hours, alerted=starts_of_windows_that_alerted_before)
    verdict.alert, verdict.window, verdict.observed, verdict.expected, verdict.ratio,
    verdict.p_value, verdict.direction, verdict.reason  # what the alert records

Input: hourly buckets (the counts store's hours; a window of several hours sums them), the
last whole hour ending the latest window (the caller leaves out the hour in progress). Per
hour: `texts`; for emotion rules the texts of the emotion; for valence the sum of valences
and of valences squared over the scored texts (which `job_counts` would need to keep beside
`texts`: two floats per row).

Metrics and models:
- volume and emotion_count: the window's count (all texts, or the emotion's) against
  level x hour-of-day x day-of-week profiles fitted on the last four weeks (the profiles from
  three days and two weeks of history, flat before), negative binomial with the baseline's
  overdispersion plus the uncertainty of the expected value (few texts behind it: wide).
  An emotion's count is its own series, not judged given the window's texts (that would be
  the share's test again): it catches more angry texts however they come, the share a
  changed mix. The two profiles multiply (31 numbers, not 168 hours of the week each from
  two to four values): a weekend whose daily shape differs shows as overdispersion.
- emotion_share: the emotion's texts among the window's, binomial given the window's texts,
  beta-binomial when the baseline's share varies more than binomial.
- valence: the window's mean, normal with its standard error (the within-window spread over
  its texts, the drift between windows, the baseline mean's own error).
Windows alerted before (`alerted`) and earlier windows more than 5 robust standard
deviations from their fit are left out of the baseline, so a past spike does not raise the
usual.

Sensitivity: UNUSUAL (p < 5e-4: 0.36 false alerts expected in 30 days of hourly evaluations),
VERY_UNUSUAL (p < 0.05 / 720: at most a 5 % chance of one in those 30 days), or
`times_the_usual(n)` (at least n x the expected, or at most 1/n for a drop, and UNUSUAL). A
window needs `Rule.min_texts` to be judged; a baseline a day of hours and 7 windows (and for
a share or a mean, 7 x `min_texts` texts).
`cooling_down` tells whether a rule keeps quiet after its last alert.
"""

from emolytics.alerts.baseline import Hours
from emolytics.alerts.detection import evaluate
from emolytics.alerts.rules import (
    UNUSUAL,
    VERY_UNUSUAL,
    Direction,
    Metric,
    Reason,
    Rule,
    Sensitivity,
    Verdict,
    Window,
    cooling_down,
    times_the_usual,
)

__all__ = [
    "UNUSUAL",
    "VERY_UNUSUAL",
    "Direction",
    "Hours",
    "Metric",
    "Reason",
    "Rule",
    "Sensitivity",
    "Verdict",
    "Window",
    "cooling_down",
    "evaluate",
    "times_the_usual",
]
