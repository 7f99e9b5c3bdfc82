"""The words that rose in an alert's window, kept with the alert: on its pages, in its email and
webhook, in the API."""

from sqlalchemy import update

from emolytics.extensions import db
from emolytics.notifications import messages
from emolytics.pipeline import alert_checks, alert_rules, rising_terms
from emolytics.pipeline.rule_inputs import RuleInput
from emolytics.tables import Alert, AlertRule, Dataset, Result, TextRow
from tests.conftest import team_of
from tests.web.alerts_world import HOUR, LATEST, NOW, build, flat_hours

OUTAGE = [
    {"term": "depot", "texts": 16, "previous_texts": 0, "ratio": None},
    {"term": "outage", "texts": 16, "previous_texts": 0, "ratio": None},
]


def _raised(words: bool = True) -> Alert:
    """Ten days of 40 texts an hour, 10 % angry, and 40 % in the latest hour, whose angry texts
    are about an outage at the depot (`words`); the alert its rule raises."""
    flat, spiked = flat_hours(40, 0.1), flat_hours(40, 0.4)
    hours = 10 * 24
    mix = lambda index: spiked(index) if index == hours - 1 else flat(index)  # noqa: E731
    dataset_id = build(team_of("ada"), hours, mix)
    if words:
        angry = db.session.query(Result.text_id).filter(Result.label == "anger")
        db.session.execute(
            update(TextRow)
            .where(TextRow.posted_at >= LATEST - HOUR, TextRow.id.in_(angry))
            .values(text="Outage at the depot " + TextRow.text)
        )
        db.session.commit()
    dataset = db.session.get(Dataset, dataset_id)
    asked = RuleInput(metric="emotion_share", emotion="anger", sensitivity=3)
    alert_rules.create(dataset.team_id, dataset, asked, None)
    judged = alert_checks.check(now=NOW)
    assert judged and judged[-1].alert_id is not None
    return db.session.get(Alert, judged[-1].alert_id)


def test_an_anger_spike_about_an_outage_names_its_words(app):
    with app.app_context():
        alert = _raised()
        assert alert.rising_words == OUTAGE
        told = messages.tell(alert, db.session.get(AlertRule, alert.rule_id), "Depot feed")
        assert "Words that rose (against the 7 days before): depot (new), outage (new)" in told.body
        assert "Words that rose: depot (new), outage (new). http" in told.text
        assert told.details["rising_words"] == OUTAGE


def test_a_spike_without_new_words_says_none_rose(app):
    with app.app_context():
        alert = _raised(words=False)
        assert alert.rising_words == []  # "anger": in every angry text before too
        told = messages.tell(alert, db.session.get(AlertRule, alert.rule_id), "Depot feed")
        assert "Words that rose (against the 7 days before): none beyond chance" in told.body
        assert "Words that rose" not in told.text


def test_the_alert_pages_and_the_api_list_the_words(app, auth, api):
    with app.app_context():
        alert = _raised()
        dataset_id = alert.dataset_id
    auth.login()
    page = auth.client.get(f"/alerts/datasets/{dataset_id}").get_data(as_text=True)
    assert 'data-role="rising-words"' in page
    assert ">outage</a> (new)" in page and "q=outage" in page
    answer = api.get(f"/api/v1/datasets/{dataset_id}/alerts")
    assert answer.status_code == 200
    assert answer.json["alerts"][0]["rising_words"] == OUTAGE


def test_an_alert_is_raised_even_when_its_words_cannot_be_found(app, monkeypatch, caplog):
    def broken(texts, keywords):
        raise ValueError("a text the tokenizer chokes on")

    monkeypatch.setattr(rising_terms, "words_in", broken)
    with app.app_context():
        alert = _raised()
        assert alert.rising_words is None  # stored, its deliveries pending, without words
        assert alert.observed == 0.4
    assert "the words that rose in dataset" in caplog.text
