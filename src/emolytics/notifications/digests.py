"""Digests: a member's daily or weekly email of one dataset or of the whole team, with the
period's volume, emotion mix, change against the period before (and a dataset's words that
rose), the alerts raised, what the team noted on the timeline, and the charts as inline PNG
images.

A daily digest covers the previous UTC day; a weekly one the previous Monday to Sunday, sent
on the first run after the week ends. `send_due` runs daily in whichever process claims the
day (scheduler); each subscription's period is claimed on its own by an UPDATE that moves
`sent_through` to the period's start only if it is still before it, so it is sent once even
if two runs overlap. A message the mail server refuses puts `sent_through` back: the next run
tries again. Only a confirmed address of a member still in the team receives one.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select, update

from emolytics import mail
from emolytics.extensions import db
from emolytics.notifications import charts, messages
from emolytics.notifications.digest_numbers import (
    Numbers,
    Period,
    SegmentNumbers,
    numbers,
    period_of,
)
from emolytics.pipeline import search_syntax, view_terms
from emolytics.pipeline.filters import Filters
from emolytics.tables import Dataset, DigestSubscription, Membership, Team, User
from emolytics.wording import plural


def send_due(kind: str, now: datetime) -> str:
    """Send the latest period of every `kind` subscription that has not had it; a summary."""
    period = period_of(kind, now)
    due = db.session.execute(
        select(DigestSubscription.id, DigestSubscription.sent_through, User.email)
        .join(User, User.id == DigestSubscription.user_id)
        .join(
            Membership,
            and_(
                Membership.team_id == DigestSubscription.team_id,
                Membership.user_id == DigestSubscription.user_id,
            ),
        )
        .where(
            DigestSubscription.period == kind,
            User.active,
            User.email.is_not(None),
            User.email_confirmed_at.is_not(None),
            or_(
                DigestSubscription.sent_through.is_(None),
                DigestSubscription.sent_through < period.start,
            ),
        )
        .order_by(DigestSubscription.id)
    ).all()
    sent = failed = 0
    for subscription_id, before, address in due:
        if not _claim(subscription_id, period):
            continue
        try:
            _send(db.session.get(DigestSubscription, subscription_id), address, period)
        except mail.MailNotSent:
            _unclaim(subscription_id, period, before)
            failed += 1
        else:
            sent += 1
    return f"{sent} sent, {failed} failed"


def _claim(subscription_id: int, period: Period) -> bool:
    claimed = db.session.execute(
        update(DigestSubscription)
        .where(
            DigestSubscription.id == subscription_id,
            or_(
                DigestSubscription.sent_through.is_(None),
                DigestSubscription.sent_through < period.start,
            ),
        )
        .values(sent_through=period.start)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _unclaim(subscription_id: int, period: Period, before: datetime | None) -> None:
    db.session.execute(
        update(DigestSubscription)
        .where(
            DigestSubscription.id == subscription_id,
            DigestSubscription.sent_through == period.start,
        )
        .values(sent_through=before)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _send(subscription: DigestSubscription, address: str, period: Period) -> None:
    segment_link: Callable[[str], str] | None = None  # a segment's dashboard (one dataset's)
    words: list[tuple[str, str, str]] = []  # (word, how it rose, its texts' link): one dataset's
    rose = None
    if subscription.dataset_id is not None:
        dataset = db.session.get(Dataset, subscription.dataset_id)
        name, dataset_ids = dataset.name, [dataset.id]
        dates = {
            "start": period.start.date().isoformat(),
            "end": (period.end - timedelta(days=1)).date().isoformat(),
        }
        link = messages.public_link("datasets.show", dataset_id=dataset.id, **dates)
        segment_link = partial(_segment_link, dataset.id, dates)
        rose = _rose(dataset, period)
        words = [
            (word["term"], messages.rise(word), _texts_link(dataset.id, dates, word["term"]))
            for word in rose or []
        ]
    else:
        team = db.session.get(Team, subscription.team_id)
        name = f"the team {team.name}"
        dataset_ids = list(db.session.scalars(select(Dataset.id).where(Dataset.team_id == team.id)))
        link = messages.public_link("dashboard.home", team=team.id)
    found = numbers(dataset_ids, period)
    title = f"{subscription.period.capitalize()} digest of {name}: {_dates(period)}"
    images = [
        mail.InlineImage("mix@emolytics", charts.mix_bars(found.mix, "Emotion mix")),
        mail.InlineImage(
            "volume@emolytics",
            charts.volume_line(
                [(_step_name(moment, period), texts) for moment, texts in found.volume],
                "Texts per hour" if period.step < timedelta(days=1) else "Texts per day",
            ),
        ),
    ]
    settings_link = messages.settings_link(subscription.team_id)
    html = current_app.jinja_env.get_template("email/digest.html").render(
        title=title,
        rows=_mix_rows(found),
        volume=_volume(found),
        alerts=_alert_lines(found),
        notes=_note_lines(found),
        segments=[
            (segment_link(segment) if segment_link else None, segment, *row)
            for segment, *row in _segment_rows(found)
        ],
        other_segments=found.other_segments,
        words=words,
        link=link,
        settings_link=settings_link,
    )
    text = _text(title, found, messages.rising(rose) if rose else None, link, settings_link)
    mail.send(address, title, text, html=html, images=images)


def _rose(dataset: Dataset, period: Period) -> list[dict[str, Any]] | None:
    """The words that rose in the period against the one before (`view_terms.rose`)."""
    before = period.previous
    now, earlier = (
        Filters(start=period.start, end=period.end),
        Filters(start=before.start, end=before.end),
    )
    return view_terms.rose(dataset, now, earlier)


def _texts_link(dataset_id: int, dates: dict[str, str], word: str) -> str:
    return messages.public_link(
        "datasets.texts", dataset_id=dataset_id, q=search_syntax.quoted(word), **dates
    )


def _segment_link(dataset_id: int, dates: dict[str, str], segment: str) -> str:
    return messages.public_link("datasets.show", dataset_id=dataset_id, segment=segment, **dates)


def _dates(period: Period) -> str:
    last = (period.end - timedelta(days=1)).date()
    if last == period.start.date():
        return last.isoformat()
    return f"{period.start.date().isoformat()} to {last.isoformat()}"


def _step_name(moment: datetime, period: Period) -> str:
    return f"{moment:%H:%M}" if period.step < timedelta(days=1) else f"{moment:%a %d %b}"


def _volume(found: Numbers | SegmentNumbers) -> str:
    """The volume and its change against the previous period, in words."""
    if not found.previous_texts:
        return f"{found.texts:,} texts (none in the period before)"
    change = found.texts / found.previous_texts - 1
    return f"{found.texts:,} texts ({change:+.0%} on the {found.previous_texts:,} before)"


def _segment_rows(found: Numbers) -> list[tuple[str, str, str]]:
    """(segment, its volume, the emotion whose share changed most significantly) per segment
    listed, the most texts first."""
    rows = []
    for segment in found.segments:
        change = segment.most_changed()
        if change is None:
            changed = "no significant change" if segment.previous_texts else ""
        else:
            changed = f"{change.label} {(change.change or 0) * 100:+.1f} points (significant)"
        rows.append((segment.segment, _volume(segment), changed))
    return rows


def _mix_rows(found: Numbers) -> list[tuple[str, str, str, str]]:
    """(emotion, texts, share, change in points and whether it is significant) per emotion,
    most first."""
    rows = []
    changed = found.changes()
    for label, count in found.mix:
        change = changed[label]
        points = "" if change.change is None else f"{change.change * 100:+.1f} points"
        if change.significant:
            points += " (significant)"
        rows.append((label, f"{count:,}", f"{count / found.texts:.1%}", points))
    return rows


def _alert_lines(found: Numbers) -> list[str]:
    return [
        f"{messages.window(alert.window_start, alert.window_end)}, {dataset_name}: "
        f"{messages.watched(rule)} {messages.WENT.get(alert.direction, alert.direction)} to "
        f"{messages.value(rule, alert.observed)} against {messages.value(rule, alert.expected)}"
        for alert, rule, dataset_name in found.alerts
    ]


def _note_lines(found: Numbers) -> list[str]:
    return [f"{at:%Y-%m-%d %H:%M} UTC, {name}: {note}" for at, note, name in found.notes]


def _text(title: str, found: Numbers, words: str | None, link: str, settings_link: str) -> str:
    lines = [title, "", f"Volume: {_volume(found)}", "", "Emotion mix:"]
    lines += [
        f"  {label:<12} {texts:>8} {share:>7}  {change}"
        for label, texts, share, change in _mix_rows(found)
    ]
    if words:
        lines += ["", f"Words that rose: {words}"]
    if found.segments:
        lines += ["", "By segment:"]
        lines += [
            f"  {segment}: {volume}{'; ' if changed else ''}{changed}"
            for segment, volume, changed in _segment_rows(found)
        ]
        if found.other_segments:
            lines.append(f"  and {plural(found.other_segments, 'other segment')}")
    lines += ["", f"Alerts raised: {len(found.alerts)}"]
    lines += [f"  - {line}" for line in _alert_lines(found)]
    if found.notes:
        lines += ["", "Noted on the timeline:", *(f"  - {line}" for line in _note_lines(found))]
    lines += [
        "",
        f"Open the dashboard: {link}",
        "",
        f"Change your digests in your notification settings: {settings_link}",
    ]
    return "\n".join(lines)
