"""The alert rule form: its shape; `pipeline.alert_rules` checks what it says."""

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from emolytics.pipeline import segments
from emolytics.pipeline.filters import labels_of
from emolytics.pipeline.rule_inputs import RuleInput
from emolytics.tables import Dataset

METRICS = [
    SelectChoice("volume", "Volume of texts"),
    SelectChoice("emotion_share", "Share of an emotion"),
    SelectChoice("emotion_count", "Count of an emotion"),
    SelectChoice("valence", "Mean valence"),
]
DIRECTIONS = [
    SelectChoice("either", "Rises or drops"),
    SelectChoice("rise", "Rises"),
    SelectChoice("drop", "Drops"),
]
SENSITIVITIES = [
    SelectChoice("unusual", "Unusual"),
    SelectChoice("very_unusual", "Very unusual"),
    SelectChoice("2", "2 times the usual"),
    SelectChoice("3", "3 times the usual"),
    SelectChoice("5", "5 times the usual"),
]


# `RuleInput` fields shown by a field of another name (in hours, not minutes)
_FIELDS = {"window_minutes": "window_hours", "cooldown_minutes": "cooldown_hours"}


class RuleForm(FlaskForm):
    live_feed = False  # set by `offer`: the segment is `feed_segment`, free text
    metric = SelectField("Watch", choices=METRICS)
    emotion = SelectField("Emotion (share and count)", choices=[], validate_choice=False)
    keyword = SelectField("Only texts mentioning", choices=[], validate_choice=False)
    segment = SelectField("Only the segment", choices=[], validate_choice=False)
    # a live feed's: any segment its texts will carry, the segments seen so far suggested
    feed_segment = StringField(
        "Only the segment (as the feed's texts name it)",
        validators=[Optional(), Length(max=200)],
        render_kw={"list": "segment-names"},
    )
    direction = SelectField("When it", choices=DIRECTIONS)
    sensitivity = SelectField("How unusual", choices=SENSITIVITIES)
    window_hours = IntegerField(
        "Window (hours)", default=1, validators=[InputRequired(), NumberRange(1, 168)]
    )
    min_texts = IntegerField(
        "Least texts in a window", default=10, validators=[InputRequired(), NumberRange(1)]
    )
    cooldown_hours = IntegerField(
        "Quiet after an alert (hours)", default=6, validators=[InputRequired(), NumberRange(0, 720)]
    )
    webhook_url = StringField(
        "Webhook URL (optional: Slack, Mattermost or your own)",
        validators=[Optional(), Length(max=2000)],
    )

    def offer(self, dataset: Dataset) -> None:
        """The dataset's labels, tracked keywords and segments as choices (no segment field
        when its texts have none, but for a live feed: any segment, those seen suggested)."""
        self.live_feed = dataset.live_feed
        self.emotion.choices = [
            SelectChoice("", "—"),
            *(SelectChoice(name, name) for name in labels_of(dataset)),
        ]
        self.keyword.choices = [
            SelectChoice("", "Every text"),
            *(SelectChoice(word, word) for word in dataset.keywords),
        ]
        self.segment.choices = [
            SelectChoice("", "Every segment"),
            *(SelectChoice(found.name, found.shown) for found in segments.present(dataset)),
        ]

    def field_of(self, name: str) -> Field:
        """The field that shows a refusal of `name`, a `RuleInput` field."""
        if name == "segment" and self.live_feed:
            return self.feed_segment
        return getattr(self, _FIELDS.get(name, name))

    def rule_input(self) -> RuleInput:
        sensitivity: str | float = self.sensitivity.data
        if sensitivity.isdigit():
            sensitivity = float(sensitivity)  # "N times the usual"
        return RuleInput(
            metric=self.metric.data,
            direction=self.direction.data,
            emotion=self.emotion.data or None,
            keyword=self.keyword.data or None,
            segment=self.segment.data or self.feed_segment.data or None,
            sensitivity=sensitivity,
            window_minutes=self.window_hours.data * 60,
            min_texts=self.min_texts.data,
            cooldown_minutes=self.cooldown_hours.data * 60,
            webhook_url=self.webhook_url.data or None,
        )
