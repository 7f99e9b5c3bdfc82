"""The detector on planted and quiet series: what it flags, what it leaves alone, and the
numbers it gives for an alert."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from emolytics.alerts import (
    UNUSUAL,
    VERY_UNUSUAL,
    Direction,
    Hours,
    Metric,
    Reason,
    Rule,
    Window,
    cooling_down,
    evaluate,
    times_the_usual,
)

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday, midnight
DAY = 24


def rhythm(hours: int) -> np.ndarray:
    """Quiet nights, an evening peak three times the night: a mean of 1."""
    hour = np.arange(hours) % DAY
    shape = 0.5 + 1.5 * np.exp(-(((hour - 19) / 3) ** 2))
    return shape / shape.mean()


def feed(days: int, rate: float, seed: int = 1, anger: float = 0.08, flat: bool = False) -> dict:
    """Hourly texts (Poisson around `rate` x the rhythm), their angry ones (binomial) and
    their valences (normal around 0.1, anger around -0.5): the columns of `Hours`."""
    rng = np.random.default_rng(seed)
    expected = np.full(days * DAY, rate) if flat else rate * rhythm(days * DAY)
    texts = rng.poisson(expected)
    angry = rng.binomial(texts, anger)
    return {"texts": texts, "emotion": angry, **valences(rng, texts, angry)}


def valences(rng: np.random.Generator, texts: np.ndarray, angry: np.ndarray) -> dict:
    total, squares = np.zeros(len(texts)), np.zeros(len(texts))
    for hour, (count, angry_count) in enumerate(zip(texts, angry, strict=True)):
        drawn = np.concatenate(
            [rng.normal(0.1, 0.4, count - angry_count), rng.normal(-0.5, 0.3, angry_count)]
        )
        total[hour], squares[hour] = drawn.sum(), (drawn**2).sum()
    return {"valence_sum": total, "valence_squares": squares}


def hours(columns: dict, end: int | None = None) -> Hours:
    """The series as read when hour `end - 1` has ended (all of it by default)."""
    return Hours(START, **{name: column[:end] for name, column in columns.items()})


def plant(columns: dict, hour: int, texts: int, angry: int, seed: int = 7) -> dict:
    """The columns with hour `hour` replaced by `texts` texts, `angry` of them angry."""
    planted = {name: np.array(column) for name, column in columns.items()}
    planted["texts"][hour], planted["emotion"][hour] = texts, angry
    drawn = valences(np.random.default_rng(seed), np.array([texts]), np.array([angry]))
    planted["valence_sum"][hour] = drawn["valence_sum"][0]
    planted["valence_squares"][hour] = drawn["valence_squares"][0]
    return planted


SHARE_RISE = Rule(Metric.EMOTION_SHARE, Direction.RISE)


def test_a_planted_anger_spike_is_caught_with_its_numbers():
    columns = feed(days=21, rate=100)
    last = 21 * DAY - 5  # 19:00 on the last day, the evening peak
    usual = int(columns["texts"][last])
    verdict = evaluate(
        SHARE_RISE, hours(plant(columns, last, usual, round(usual * 0.24)), last + 1)
    )

    assert verdict.alert
    assert verdict.window == Window(
        START + timedelta(hours=last), START + timedelta(hours=last + 1)
    )
    assert verdict.texts == usual
    assert verdict.observed == pytest.approx(0.24, abs=0.01)
    assert verdict.expected == pytest.approx(0.08, abs=0.01)
    assert 2.5 < verdict.ratio < 3.5
    assert verdict.p_value < 1e-6 and verdict.direction is Direction.RISE
    assert verdict.reason is None and verdict.history_windows == last
    assert verdict.model in ("binomial", "beta-binomial")


@pytest.mark.parametrize("metric", list(Metric))
def test_a_quiet_series_raises_no_alert(metric):
    columns = feed(days=24, rate=60)
    rule = Rule(metric, Direction.EITHER, UNUSUAL)
    last_days = range(21 * DAY, 24 * DAY)  # 72 evaluations, as a schedule would make them
    alerts = [hour for hour in last_days if evaluate(rule, hours(columns, hour + 1)).alert]
    assert alerts == []


def test_one_to_three_texts_is_not_a_spike():
    columns = feed(days=14, rate=1, flat=True)
    planted = plant(columns, 14 * DAY - 1, texts=3, angry=0)
    for rule in (
        Rule(Metric.VOLUME, Direction.RISE, min_texts=1),
        Rule(Metric.VOLUME, Direction.RISE, times_the_usual(2), min_texts=1),
    ):
        verdict = evaluate(rule, hours(planted))
        assert verdict.ratio > 2 and verdict.p_value > 0.01
        assert not verdict.alert
    minimum = evaluate(Rule(Metric.VOLUME, Direction.RISE), hours(planted))
    assert minimum.reason is Reason.TOO_FEW_TEXTS and minimum.p_value is None


def test_times_the_usual_needs_the_ratio_as_well_as_the_test():
    columns = feed(days=14, rate=200, flat=True)
    planted = plant(columns, 14 * DAY - 1, texts=300, angry=24)  # 1.5 times, very unusual
    assert evaluate(Rule(Metric.VOLUME, Direction.RISE, VERY_UNUSUAL), hours(planted)).alert
    assert not evaluate(
        Rule(Metric.VOLUME, Direction.RISE, times_the_usual(2)), hours(planted)
    ).alert
    doubled = plant(columns, 14 * DAY - 1, texts=400, angry=32)
    assert evaluate(Rule(Metric.VOLUME, Direction.RISE, times_the_usual(2)), hours(doubled)).alert


def test_a_drop_is_caught_by_drop_and_either_rules_not_by_rise():
    columns = feed(days=14, rate=100, flat=True)
    planted = plant(columns, 14 * DAY - 1, texts=30, angry=2)
    verdicts = {
        direction: evaluate(Rule(Metric.VOLUME, direction), hours(planted))
        for direction in Direction
    }
    assert verdicts[Direction.DROP].alert and verdicts[Direction.EITHER].alert
    assert not verdicts[Direction.RISE].alert
    assert all(verdict.direction is Direction.DROP for verdict in verdicts.values())
    assert verdicts[Direction.DROP].ratio == pytest.approx(0.3, abs=0.05)


def test_a_feed_falling_silent_is_judged_despite_the_minimum():
    columns = feed(days=14, rate=100, flat=True)
    verdict = evaluate(Rule(Metric.VOLUME, Direction.DROP), hours(plant(columns, -1, 0, 0)))
    assert verdict.alert and verdict.observed == 0 and verdict.reason is None


def test_either_catches_a_rise_and_says_so():
    columns = feed(days=14, rate=100, flat=True)
    verdict = evaluate(Rule(Metric.EMOTION_COUNT), hours(plant(columns, -1, 100, 30)))
    assert verdict.alert and verdict.direction is Direction.RISE
    assert verdict.observed == 30 and verdict.expected == pytest.approx(8, rel=0.15)


def test_the_daily_peak_is_expected_and_the_same_volume_at_night_is_not():
    columns = feed(days=21, rate=100)
    peak, night = 21 * DAY - 5, 21 * DAY - 21  # 19:00 and 03:00 on the last day
    evening = int(columns["texts"][peak])
    at_peak = evaluate(Rule(Metric.VOLUME), hours(columns, peak + 1))
    assert not at_peak.alert
    assert at_peak.baseline == "hour of day and day of week"
    assert at_peak.expected == pytest.approx(evening, rel=0.15)
    at_night = evaluate(Rule(Metric.VOLUME), hours(plant(columns, night, evening, 8), night + 1))
    assert at_night.alert and at_night.direction is Direction.RISE


def test_a_short_history_uses_the_hour_of_day_then_none():
    four_days = evaluate(Rule(Metric.VOLUME), hours(feed(days=4, rate=100)))
    assert four_days.baseline == "hour of day" and four_days.reason is None
    two_days = evaluate(Rule(Metric.VOLUME), hours(feed(days=2, rate=100)))
    assert two_days.baseline == "flat" and two_days.reason is None


def test_too_little_history_says_so():
    columns = feed(days=1, rate=100)
    verdict = evaluate(SHARE_RISE, hours(columns, 20))
    assert verdict.reason is Reason.TOO_LITTLE_HISTORY and verdict.history_windows == 19
    assert not verdict.alert and verdict.p_value is None
    assert verdict.observed == columns["emotion"][19] / columns["texts"][19]


def test_a_share_needs_texts_behind_it_a_count_does_not():
    silent = {name: np.zeros(4 * DAY) for name in ("texts", "emotion")}
    silent["texts"][-1], silent["emotion"][-1] = 40, 30
    share = evaluate(SHARE_RISE, Hours(START, **silent))
    assert share.reason is Reason.TOO_LITTLE_HISTORY and share.expected is None
    assert share.observed == 0.75 and share.direction is None
    count = evaluate(Rule(Metric.EMOTION_COUNT, Direction.RISE), Hours(START, **silent))
    assert count.alert and count.observed == 30 and count.expected < 0.1


def test_past_events_do_not_raise_the_usual():
    columns = feed(days=14, rate=100, flat=True)
    event = range(12 * DAY, 12 * DAY + 12)  # half the texts angry for 12 hours, yesterday
    for hour in event:
        columns = plant(columns, hour, texts=100, angry=50)
    latest = plant(columns, -1, texts=100, angry=26)
    alerted = [START + timedelta(hours=hour) for hour in event]
    for passed in ((), alerted):  # left out as outliers, or as windows alerted before
        verdict = evaluate(SHARE_RISE, hours(latest), alerted=passed)
        assert verdict.alert and verdict.expected == pytest.approx(0.08, abs=0.005)


def test_valence_falls_with_anger_and_is_judged_against_its_error():
    columns = feed(days=14, rate=100, flat=True)
    rule = Rule(Metric.VALENCE, Direction.DROP)
    usual = evaluate(rule, hours(columns))
    assert not usual.alert and usual.ratio is None and usual.model == "normal"
    assert usual.expected == pytest.approx(0.1 * 0.92 - 0.5 * 0.08, abs=0.02)
    angry = evaluate(rule, hours(plant(columns, -1, texts=100, angry=50)))
    assert angry.alert and angry.direction is Direction.DROP
    assert angry.observed == pytest.approx(-0.2, abs=0.08)
    assert not evaluate(
        Rule(Metric.VALENCE, Direction.RISE), hours(plant(columns, -1, 100, 50))
    ).alert


def test_windows_of_several_hours_sum_them():
    columns = feed(days=30, rate=20)
    verdict = evaluate(Rule(Metric.VOLUME, window_hours=24), hours(columns))
    assert verdict.window == Window(START + timedelta(days=29), START + timedelta(days=30))
    assert verdict.observed == columns["texts"][-DAY:].sum()
    assert verdict.history_windows == 28 and verdict.baseline == "day of week"


def test_one_event_raises_one_alert():
    last = Window(START, START + timedelta(hours=1))
    cool_down = timedelta(hours=3)
    assert cooling_down(last, last, cool_down)
    assert cooling_down(
        Window(START + timedelta(hours=3), START + timedelta(hours=4)), last, cool_down
    )
    assert not cooling_down(
        Window(START + timedelta(hours=4), START + timedelta(hours=5)), last, cool_down
    )
    assert not cooling_down(last, None, cool_down)


def test_what_a_rule_cannot_ask():
    with pytest.raises(ValueError, match="valence is signed"):
        Rule(Metric.VALENCE, sensitivity=times_the_usual(2))
    with pytest.raises(ValueError, match="above 1"):
        times_the_usual(1)
    with pytest.raises(ValueError, match="emotion's hourly texts"):
        evaluate(SHARE_RISE, Hours(START, texts=[10] * 48))
    with pytest.raises(ValueError, match="on the hour"):
        Hours(START + timedelta(minutes=5), texts=[1])


def test_sensitivities_read_as_the_user_chose_them():
    assert UNUSUAL.label == "unusual" and VERY_UNUSUAL.label == "very unusual"
    assert times_the_usual(3).label == "3 times the usual"
    assert VERY_UNUSUAL.p_value < UNUSUAL.p_value <= 1 / 720
