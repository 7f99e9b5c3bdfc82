"""The alert rules' API both ways (a rule asked for, a rule answered) and the alerts it answers,
with their deliveries."""

from typing import Literal

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr

from emolytics.pipeline.alert_pages import Raised
from emolytics.pipeline.alert_rules import describe
from emolytics.pipeline.rule_inputs import RuleInput
from emolytics.schemas.answers import Answer
from emolytics.schemas.fields import Timestamp
from emolytics.schemas.reports import RisingTerm
from emolytics.schemas.requests import Body
from emolytics.tables import AlertDelivery, AlertRule

Metric = Literal["volume", "emotion_share", "emotion_count", "valence"]
Direction = Literal["rise", "drop", "either"]
Sensitivity = Literal["unusual", "very_unusual"] | float


def _refused(field: str, what: str) -> tuple[str, str]:
    return f"invalid_{field}", f"{field} must be {what}."


class AlertRuleBody(Body):
    """A rule to make; its values are checked against the dataset (422 when they do not fit)."""

    refusals = {
        "metric": _refused("metric", "a string: volume, emotion_share, emotion_count or valence"),
        "emotion": _refused("emotion", "a string: one of the dataset's labels"),
        "keyword": _refused("keyword", "a string: one of the dataset's tracked keywords"),
        "segment": _refused("segment", "a string: one of the segments of the dataset's texts"),
        "direction": _refused("direction", "a string: rise, drop or either"),
        "sensitivity": _refused("sensitivity", '"unusual", "very_unusual" or a number >= 1.5'),
        "window_minutes": _refused("window_minutes", "a whole number of minutes"),
        "min_texts": _refused("min_texts", "a whole number"),
        "cooldown_minutes": _refused("cooldown_minutes", "a whole number of minutes"),
        "webhook_url": _refused("webhook_url", "an http or https URL (a string)"),
    }

    metric: StrictStr = Field(
        json_schema_extra={"enum": ["volume", "emotion_share", "emotion_count", "valence"]}
    )
    emotion: StrictStr | None = Field(None, description="For emotion_share and emotion_count.")
    keyword: StrictStr | None = Field(
        None, description="Watch only the texts mentioning this tracked keyword."
    )
    segment: StrictStr | None = Field(
        None,
        description="Watch only the texts of this segment (a value of the dataset's segment "
        "column, as the summary's `segments` name it); with a keyword, those of both.",
    )
    direction: StrictStr = Field("either", json_schema_extra={"enum": ["rise", "drop", "either"]})
    sensitivity: StrictStr | StrictFloat | StrictInt = Field(
        "unusual",
        description='"unusual" (p < 5e-4), "very_unusual" (p < 0.05/720), or N >= 1.5: at '
        "least N times the usual (1/N for a drop) and unusual.",
    )
    window_minutes: StrictInt = Field(60, description="A whole number of hours, 60 to 10,080.")
    min_texts: StrictInt = Field(10, description="The least texts a window needs to be judged.")
    cooldown_minutes: StrictInt = Field(
        360, description="After an alert, the rule keeps quiet this long (one event, one alert)."
    )
    webhook_url: StrictStr | None = Field(
        None, description="POSTed to on each alert, signed (the secret is answered once)."
    )

    def rule_input(self) -> RuleInput:
        return RuleInput(**self.model_dump())


class AlertRuleAnswer(Answer):
    id: int
    dataset_id: int
    description: str = Field(description="The rule in words.")
    metric: Metric
    emotion: str | None
    keyword: str | None
    segment: str | None
    direction: Direction
    sensitivity: Sensitivity = Field(description='"unusual", "very_unusual", or N (times).')
    window_minutes: int
    min_texts: int
    cooldown_minutes: int
    webhook_url: str | None
    enabled: bool = Field(
        description="False: paused, no window is judged; resumed, it starts again with the "
        "latest window (the windows of the pause raise nothing)."
    )
    checked_through: Timestamp | None = Field(description="The end of the latest window judged.")
    created_at: Timestamp

    @classmethod
    def of(cls, rule: AlertRule) -> "AlertRuleAnswer":
        sensitivity = rule.times if rule.sensitivity == "times" else rule.sensitivity
        return cls.model_validate(
            {
                **{name: getattr(rule, name) for name in cls.model_fields if hasattr(rule, name)},
                "description": describe(rule),
                "sensitivity": sensitivity,
            }
        )


class AlertRuleSwitch(Body):
    """Pause or resume a rule."""

    refusals = {"enabled": ("invalid_enabled", "enabled is true (resume) or false (pause).")}

    enabled: StrictBool


class CreatedAlertRule(AlertRuleAnswer):
    webhook_secret: str | None = Field(
        description="The HMAC-SHA256 key of the webhook's signature: shown this once."
    )


class AlertRules(Answer):
    rules: list[AlertRuleAnswer]


class Delivery(Answer):
    channel: Literal["webhook", "email"]
    target: str = Field(description="The URL, or the address.")
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    last_status: int | None = Field(description="The receiver's HTTP status (webhooks).")
    last_error: str | None
    next_attempt_at: Timestamp | None
    delivered_at: Timestamp | None

    @classmethod
    def of(cls, delivery: AlertDelivery) -> "Delivery":
        return cls.model_validate(delivery)


class AlertAnswer(Answer):
    id: int
    rule: AlertRuleAnswer
    window_start: Timestamp
    window_end: Timestamp
    texts: int = Field(description="Texts in the window.")
    observed: float = Field(description="Texts, a share in [0, 1] or a mean valence.")
    expected: float
    ratio: float | None = Field(description="observed / expected (null for valence).")
    p_value: float
    direction: Literal["rise", "drop"]
    unusual: str = Field(description="How unusual, in words.")
    baseline: str = Field(description="The seasonality the usual allowed for.")
    rising_words: list[RisingTerm] | None = Field(
        description="The words the window's texts (of the rule's emotion, keyword and segment) "
        "use more often than those of the 7 days before did, most risen first, as the terms "
        "endpoint's `rising` (the period before: those 7 days); null when those days had no "
        "texts, or for an alert raised before the words were kept."
    )
    created_at: Timestamp
    deliveries: list[Delivery]

    @classmethod
    def of(cls, raised: Raised) -> "AlertAnswer":
        alert = raised.alert
        return cls(
            id=alert.id,
            rule=AlertRuleAnswer.of(raised.rule),
            window_start=alert.window_start,
            window_end=alert.window_end,
            texts=alert.texts,
            observed=alert.observed,
            expected=alert.expected,
            ratio=alert.ratio,
            p_value=alert.p_value,
            direction=alert.direction,
            unusual=raised.unusual,
            baseline=alert.baseline,
            rising_words=alert.rising_words,
            created_at=alert.created_at,
            deliveries=[Delivery.of(delivery) for delivery in raised.deliveries],
        )


class Alerts(Answer):
    alerts: list[AlertAnswer] = Field(description="Newest first (at most 100).")
