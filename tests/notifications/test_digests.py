"""Digests through a local SMTP server: the period's numbers from the counts, the change against
the period before, the alerts, the charts as inline PNGs; each period sent once."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import select

from emolytics.accounts import registration
from emolytics.extensions import db
from emolytics.notifications import digest_numbers, digests
from emolytics.notifications.digest_numbers import Numbers
from emolytics.pipeline import annotations, intake, rising_terms
from emolytics.pipeline.datasets import Upload
from emolytics.pipeline.ingest import Columns
from emolytics.tables import DigestSubscription, utcnow
from tests.conftest import team_of
from tests.mailbox import free_port
from tests.notifications.alert_rows import make_alert

THURSDAY = datetime(2026, 12, 3, 0, 5, tzinfo=UTC)  # the daily run after Wednesday 2 December
MONDAY = datetime(2026, 12, 7, 0, 5, tzinfo=UTC)  # the run after the week of 30 November


def corpus() -> bytes:
    """10 texts on Wednesday 2 December (9:00 and 10:00), 5 on Tuesday, 1 on Thursday."""
    rows = ["text,posted_at"]
    rows += [f"I love the tram {n},2026-12-02T{9 + n % 2:02}:15:00Z" for n in range(6)]
    rows += [f"The tram is late again {n},2026-12-02T10:30:00Z" for n in range(4)]
    rows += [f"The tram {n},2026-12-01T12:00:00Z" for n in range(5)]
    rows += ["Thursday's tram,2026-12-03T08:00:00Z"]
    return "\n".join(rows).encode()


@pytest.fixture
def mailing(app_factory, app, smtp):
    url, inbox = smtp
    mailing = app_factory(SMTP_URL=url, PUBLIC_URL="https://emolytics.example.org")
    with mailing.app_context():
        ada = registration.find_user("ada")
        ada.email, ada.email_confirmed_at = "ada@example.org", utcnow()
        db.session.commit()
        upload = Upload(name="Tram texts", source="upload")
        dataset = intake.import_and_analyse(team_of("ada"), upload, BytesIO(corpus()), "t.csv")
        dataset_id = dataset.id
        make_alert(dataset_id=dataset_id, window_start=datetime(2026, 12, 2, 10, tzinfo=UTC))
        for day, note in ((2, "New timetable"), (3, "Snow")):  # Thursday's: another period
            annotations.add(dataset, datetime(2026, 12, day, 7, 45), note, ada.id)
    return mailing, inbox, dataset_id


def subscribe(app, period: str, dataset_id: int | None) -> None:
    with app.app_context():
        user_id = registration.find_user("ada").id
        db.session.add(
            DigestSubscription(
                user_id=user_id, team_id=team_of("ada"), dataset_id=dataset_id, period=period
            )
        )
        db.session.commit()


def images_of(message) -> dict[str, Image.Image]:
    found = {}
    for part in message.walk():
        if part.get_content_type() == "image/png":
            image = Image.open(BytesIO(part.get_content()))
            image.load()  # decodes the whole PNG
            found[part["Content-ID"]] = image
    return found


def test_a_daily_digest_of_a_dataset(mailing):
    app, inbox, dataset_id = mailing
    with app.app_context():
        team_id = team_of("ada")
    subscribe(app, "daily", dataset_id)
    with app.app_context():
        assert digests.send_due("daily", THURSDAY) == "1 sent, 0 failed"

    [message] = inbox.messages
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Daily digest of Tram texts: 2026-12-02"
    text = message.get_body(("plain",)).get_content()
    assert "Volume: 10 texts (+100% on the 5 before)" in text
    assert "Alerts raised: 1" in text
    assert "Noted on the timeline:\r\n  - 2026-12-02 07:45 UTC, Tram texts: New timetable" in text
    assert "Snow" not in text
    assert "2026-12-02 10:00–11:00 UTC, Tram texts: the share of anger rose to 25.0%" in text
    link = f"https://emolytics.example.org/datasets/{dataset_id}?start=2026-12-02&end=2026-12-02"
    assert link in text
    assert f"settings: https://emolytics.example.org/teams/{team_id}/notifications" in text
    mix = [
        line.split()
        for line in text.splitlines()
        if line.startswith("  ") and not line.startswith("  -")
    ]
    assert sum(int(row[1]) for row in mix) == 10  # every text of the day in the mix
    # 6 of 10 against none of 5: a change, but too few texts to call it beyond chance
    assert ["joy", "6", "60.0%", "+60.0", "points"] in mix
    html = message.get_body(("html",)).get_content()
    assert 'src="cid:mix@emolytics"' in html and 'src="cid:volume@emolytics"' in html
    assert "<li>2026-12-02 07:45 UTC, Tram texts: New timetable</li>" in html
    images = images_of(message)
    assert set(images) == {"<mix@emolytics>", "<volume@emolytics>"}
    assert all(image.format == "PNG" and image.width == 600 for image in images.values())


def test_a_change_beyond_chance_is_called_significant():
    found = Numbers(
        texts=100,
        previous_texts=100,
        mix=[("joy", 70), ("anger", 28), ("fear", 2)],
        previous_mix={"joy": 30, "anger": 67, "fear": 3},
        volume=[],
        alerts=[],
        notes=[],
    )
    assert digests._mix_rows(found) == [
        ("joy", "70", "70.0%", "+40.0 points (significant)"),
        ("anger", "28", "28.0%", "-39.0 points (significant)"),
        ("fear", "2", "2.0%", "-1.0 points"),
    ]


def test_each_period_is_sent_once(mailing):
    app, inbox, dataset_id = mailing
    subscribe(app, "daily", dataset_id)
    with app.app_context():
        digests.send_due("daily", THURSDAY)
        assert digests.send_due("daily", THURSDAY + timedelta(hours=5)) == "0 sent, 0 failed"
        sent_through = db.session.scalar(select(DigestSubscription.sent_through))
    assert sent_through == datetime(2026, 12, 2, tzinfo=UTC)
    assert len(inbox.messages) == 1


def test_a_weekly_digest_of_the_team_goes_out_after_the_week(mailing):
    app, inbox, _ = mailing
    subscribe(app, "weekly", None)
    with app.app_context():
        assert digests.send_due("weekly", MONDAY - timedelta(days=1)) == "1 sent, 0 failed"
        assert digests.send_due("weekly", MONDAY - timedelta(hours=1)) == "0 sent, 0 failed"
        assert digests.send_due("weekly", MONDAY) == "1 sent, 0 failed"
    message = inbox.messages[-1]
    assert message["Subject"] == "Weekly digest of the team ada: 2026-11-30 to 2026-12-06"
    text = message.get_body(("plain",)).get_content()
    assert "Volume: 16 texts (none in the period before)" in text
    assert "https://emolytics.example.org/dashboard?team=" in text
    assert set(images_of(message)) == {"<mix@emolytics>", "<volume@emolytics>"}


def test_only_a_confirmed_address_of_a_member_gets_a_digest(mailing):
    app, inbox, dataset_id = mailing
    subscribe(app, "daily", dataset_id)
    with app.app_context():
        registration.find_user("ada").email_confirmed_at = None
        db.session.commit()
        assert digests.send_due("daily", THURSDAY) == "0 sent, 0 failed"
    assert inbox.messages == []


def test_a_refused_digest_is_tried_again_by_the_next_run(app_factory, mailing):
    app, _, dataset_id = mailing
    subscribe(app, "daily", dataset_id)
    failing = app_factory(SMTP_URL=f"smtp://127.0.0.1:{free_port()}")  # nobody listens
    with failing.app_context():
        assert digests.send_due("daily", THURSDAY) == "0 sent, 1 failed"
        assert db.session.scalar(select(DigestSubscription.sent_through)) is None


def test_a_digest_names_the_segments_that_changed(app_factory, app, smtp, monkeypatch):
    url, inbox = smtp
    mailing = app_factory(SMTP_URL=url, PUBLIC_URL="https://emolytics.example.org")
    rows = ["text,posted_at,store"]
    for day, airport in (
        (1, "I love the tram and this lovely ride"),
        (2, "I am furious and so angry"),
    ):
        rows += [f"{airport} {n},2026-12-0{day}T09:00:00Z,Airport" for n in range(20)]
        rows += [f"The tram {n},2026-12-0{day}T10:00:00Z,Harbour" for n in range(5)]
    rows += ["The tram,2026-12-02T11:00:00Z,Online", "No store,2026-12-02T11:00:00Z,"]
    with mailing.app_context():
        ada = registration.find_user("ada")
        ada.email, ada.email_confirmed_at = "ada@example.org", utcnow()
        db.session.commit()
        upload = Upload(
            name="Stores", source="upload", columns=Columns("text", "posted_at", segment="store")
        )
        data = BytesIO("\n".join(rows).encode())
        dataset_id = intake.import_and_analyse(team_of("ada"), upload, data, "s.csv").id
    subscribe(mailing, "daily", dataset_id)
    monkeypatch.setattr(digest_numbers, "SEGMENTS", 2)
    with mailing.app_context():
        assert digests.send_due("daily", THURSDAY) == "1 sent, 0 failed"

    [message] = inbox.messages
    text = message.get_body(("plain",)).get_content()
    assert (
        "By segment:\r\n"
        "  Airport: 20 texts (+0% on the 20 before); anger +100.0 points (significant)\r\n"
        "  Harbour: 5 texts (+0% on the 5 before); no significant change\r\n"
        "  and 1 other segment\r\n"
    ) in text
    html = message.get_body(("html",)).get_content()
    link = (
        f"https://emolytics.example.org/datasets/{dataset_id}?segment=Airport&amp;start=2026-12-02"
    )
    assert f'<a href="{link}&amp;end=2026-12-02">Airport</a>' in html
    assert "and 1 other segment" in html
    monkeypatch.setattr(digest_numbers, "SEGMENTS", 8)
    with mailing.app_context():
        found = digest_numbers.numbers([dataset_id], digest_numbers.period_of("daily", THURSDAY))
    assert [(each.segment, each.texts, each.previous_texts) for each in found.segments] == [
        ("Airport", 20, 20),
        ("Harbour", 5, 5),
        ("Online", 1, 0),
    ]
    assert found.texts == 27  # the text without a store too
    assert found.segments[2].most_changed() is None


def test_a_dataset_digest_names_the_words_that_rose(mailing):
    app, inbox, _ = mailing
    rows = ["text,posted_at"]
    rows += [f"The tram {n},2026-12-01T12:00:00Z" for n in range(10)]
    rows += [f"Tram outage at the depot {n},2026-12-02T09:00:00Z" for n in range(10)]
    with app.app_context():
        upload = Upload(name="Depot", source="upload")
        dataset = intake.import_and_analyse(
            team_of("ada"), upload, BytesIO("\n".join(rows).encode()), "d.csv"
        )
        dataset_id = dataset.id
    subscribe(app, "daily", dataset_id)
    with app.app_context():
        assert digests.send_due("daily", THURSDAY) == "1 sent, 0 failed"
    [message] = inbox.messages
    text = message.get_body(("plain",)).get_content()
    assert "Words that rose: depot (new), outage (new)" in text  # "tram": every day
    html = message.get_body(("html",)).get_content()
    assert ">outage</a> (new)" in html
    texts = f"https://emolytics.example.org/datasets/{dataset_id}/texts?q=outage&amp;start="
    assert texts in html


def test_a_digest_without_words_that_rose_has_no_such_line(mailing):
    app, inbox, dataset_id = mailing
    subscribe(app, "daily", dataset_id)
    with app.app_context():
        digests.send_due("daily", THURSDAY)
    [message] = inbox.messages  # "love": 6 texts of 10 against none of 5, which chance can give
    assert "Words that rose" not in message.get_body(("plain",)).get_content()
    assert "Words that rose" not in message.get_body(("html",)).get_content()


def test_a_digest_goes_out_even_when_its_words_cannot_be_found(mailing, monkeypatch):
    app, inbox, dataset_id = mailing

    def broken(texts, keywords):
        raise ValueError("a text the tokenizer chokes on")

    monkeypatch.setattr(rising_terms, "words_in", broken)
    subscribe(app, "daily", dataset_id)
    with app.app_context():
        assert digests.send_due("daily", THURSDAY) == "1 sent, 0 failed"
    [message] = inbox.messages
    assert "Volume: 10 texts" in message.get_body(("plain",)).get_content()
