"""Reading a text's time as exports write it: ISO 8601 (also with Java's zone name after the
offset), Unix seconds (or milliseconds, as JavaScript and Java write them: 1767225600000),
Excel's day numbers in a number cell, e-mail and RSS dates, Twitter's classic `created_at`,
JavaScript's `Date.toString()`, dates with month names (and ordinals: "March 1st, 2026"), and
numeric dates with slashes, dashes or dots (and Google Forms' zone: "GMT+2"; a year of two
digits as Excel reads a short date: 10/22/26 is 2026, 10/22/99 is 1999).

Naive times are UTC. A numeric date is read only when its order is certain: year first
(2026/10/22, 2026-3-1), dots (22.10.2026, always day first), slashes or dashes with a part past
12 (10/22/2026, 22-10-2026), or in the order the file's other such dates show (`date_order`).
Otherwise "03/04/2026" could be either, so it is refused with the way to write it; it is never
guessed, since a wrong guess would shift every chart without a word."""

import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

# The Unix seconds a datetime can hold: years 1 to 9999.
FIRST_SECOND = datetime(1, 1, 1, tzinfo=UTC).timestamp()
LAST_SECOND = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp() + 1
UNIX_SECONDS = re.compile(r"\s*\d{9,13}(\.\d+)?\s*")
# From 1e11 on (the year 5138 in seconds, 1973 in milliseconds), a Unix time is milliseconds.
FIRST_MILLISECOND = 1e11
LAST_MILLISECOND = 1e14
# Excel's days: from 1899-12-30 (so that 1900-03-01 is day 61) to 9999-12-31 (day 2,958,465)
EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)
EXCEL_LAST_DAY = 2_958_466
FIRST_DIGITS_DAY, LAST_DIGITS_DAY = 1800_01_01, 2999_12_31  # a day as digits: 20260322
TWITTER = "%a %b %d %H:%M:%S %z %Y"  # Tue Oct 22 15:50:00 +0000 2026
# E-mail and RSS (RFC 2822): Tue, 22 Oct 2026 15:50:00 GMT
MAIL = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}(?::\d{2})? \S+")
# Month names: Oct 22, 2026 · October 22, 2026 3:50 PM · 22 Oct 2026 15:50
# as en-US locales write them: Mar 1, 2026, 8:00:00 AM · and as social networks' exports and
# Apple's apps do: March 1, 2026 at 8:00 AM
CLOCKS = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p")
NAMED = tuple(
    day + time
    for day in ("%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y")
    for time in ("", *(gap + clock for gap in (" ", ", ", " at ") for clock in CLOCKS))
)
# JavaScript's Date.toString(): Sun Mar 01 2026 08:00:00 GMT+0100 (Central European Time)
JAVASCRIPT = re.compile(r"(?P<moment>\w{3} \w{3} \d{2} \d{4} [\d:]{8} GMT[+-]\d{4})(?: \(.*\))?")
JAVASCRIPT_SHAPE = "%a %b %d %Y %H:%M:%S GMT%z"
# A day's ordinal suffix, as people write dates: March 1st, 2026 · 22nd Oct 2026
ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
ZONE_NAME = re.compile(r"(?<=[+-]\d\d:\d\d)\[[\w/+-]+\]$")  # Java's 08:00+01:00[Europe/Vienna]
# Numeric dates: 10/22/2026 3:50 PM · 22.10.2026 15:50 · 22-10-2026 · 2026/10/22 · with an
# optional zone (dashes are read as slashes: in the order the file shows, unless a part decides),
# also as Google Forms writes it: 2026/10/22 3:50:00 PM GMT+2
NUMERIC = re.compile(
    r"(?P<first>\d{1,4})(?P<mark>[/.-])(?P<second>\d{1,2})(?P=mark)(?P<third>\d{4}|\d{1,2})"
    r"(?:[ T,]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<sec>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
    r"\s*(?P<half>[AaPp]\.?[Mm]\.?)?)?"
    r"\s*(?P<zone>Z|(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})?",
)
OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>\d{1,2}):?(?P<minutes>\d{2})?")

# The shape that read the last written time, tried first (about 90 microseconds a time saved:
# a million times in an upload); any thread may change it, and any shape read right is right.
_last_shape = [TWITTER]

CENTURY_CUT = 30  # a year of two digits below it is of the 2000s, as Excel reads "10/22/26"
ORDERS = {True: "day", False: "month"}  # `day_first` -> the part a date of slashes starts with


class AmbiguousDate(ValueError):
    """A date whose day and month could be swapped: a date all the same, but unreadable."""


def parse_timestamp(value: Any, day_first: bool | None = None) -> datetime | None:
    """A UTC datetime; None when empty; ValueError, with the reason, when unreadable.

    `day_first`: the order of a numeric date with slashes or dashes, as the file's other dates
    show it (`date_order`); None: read only when a part past 12 decides it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"unreadable timestamp {value!r}")
    if isinstance(value, int | float):
        return _from_number(value)
    if UNIX_SECONDS.fullmatch(str(value)):
        return _from_unix_seconds(value)
    text = str(value).strip()
    if text.endswith("]"):  # Java's zone name: its offset says the same
        text = ZONE_NAME.sub("", text)
    try:
        moment = datetime.fromisoformat(text.replace(" UTC", "").replace("Z", "+00:00"))
    except ValueError:
        moment = _written(text, day_first)  # the quick path above reads nearly every export
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def date_order(values: Iterable[Any]) -> bool | None:
    """Whether numeric dates with slashes or dashes among `values` put the day first (True:
    22/10/2026) or the month first (False: 10/22/2026), from the first one a part past 12
    decides; None when none does."""
    for value in values:
        if not isinstance(value, str) or not (found := NUMERIC.fullmatch(value.strip())):
            continue
        if found["mark"] == "." or len(found["first"]) == 4:
            continue
        first, second = int(found["first"]), int(found["second"])
        if first > 12 >= second:
            return True
        if second > 12 >= first:
            return False
    return None


def _written(text: str, day_first: bool | None) -> datetime:
    if found := NUMERIC.fullmatch(text):
        return _numeric(found, text, day_first)
    if MAIL.fullmatch(text):  # the parser is lenient: it would read "3:50 PM" as 03:50
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
    found = JAVASCRIPT.fullmatch(text)
    written = found["moment"] if found else ORDINAL.sub("", text)  # "March 1st" as "March 1"
    for shape in (_last_shape[0], TWITTER, JAVASCRIPT_SHAPE, *NAMED):
        try:
            moment = datetime.strptime(written, shape)
        except ValueError:
            continue
        _last_shape[0] = shape  # a file keeps to one: its next time is read at the first try
        return moment
    raise ValueError(f"unreadable timestamp {_shown(text)}")


def _numeric(found: re.Match[str], text: str, day_first: bool | None) -> datetime:
    first, second, third = (int(found[name]) for name in ("first", "second", "third"))
    year_first = len(found["first"]) == 4
    in_file = None if found["mark"] == "." or year_first else day_first  # as the file shows
    if found["mark"] == ".":
        day_first = True
    elif day_first is None and (first > 12 or second > 12 or first == second):
        day_first = first > 12
    if not year_first and len(found["third"]) == 1:
        raise ValueError(f"unreadable timestamp {_shown(text)}: write the year with 4 digits")
    if not year_first and len(found["third"]) == 2:  # a short date's year, as Excel reads it
        third += 2000 if third < CENTURY_CUT else 1900
    if year_first:
        year, month, day = first, second, third
    elif day_first is True:
        day, month, year = first, second, third
    elif day_first is False:
        month, day, year = first, second, third
    else:
        raise AmbiguousDate(
            f"ambiguous date {_shown(text)}: day {first} of month {second}, or the other way"
            f" round? Write it as ISO 8601 ({third}-{second:02}-{first:02} or"
            f" {third}-{first:02}-{second:02})"
        )
    try:
        return datetime(year, month, day, *_clock(found), tzinfo=_zone(found["zone"]))
    except ValueError:
        order = "" if in_file is None else f" ({ORDERS[in_file]} first, as in this file)"
        raise ValueError(f"unreadable timestamp {_shown(text)}{order}") from None


def _clock(found: re.Match[str]) -> tuple[int, int, int, int]:
    if found["hour"] is None:
        return 0, 0, 0, 0
    hour, minute = int(found["hour"]), int(found["minute"])
    if half := found["half"]:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range")
        hour = hour % 12 + (12 if half[0] in "Pp" else 0)
    micro = int((found["fraction"] or "0").ljust(6, "0"))
    return hour, minute, int(found["sec"] or 0), micro


def _zone(zone: str | None) -> timezone | None:
    if zone is None:
        return None
    if zone in ("Z", "UTC", "GMT"):
        return UTC
    if not (found := OFFSET.fullmatch(zone.removeprefix("UTC").removeprefix("GMT"))):
        raise ValueError("unreadable zone")
    offset = timedelta(hours=int(found["hours"]), minutes=int(found["minutes"] or 0))
    return timezone(-offset if found["sign"] == "-" else offset)


def _from_number(value: int | float) -> datetime:
    """A number in a workbook's or JSON file's cell: a day as Excel counts it when it is one
    (a date cell without a date's format: 46283.5, to the millisecond), a day written as digits
    (20260322), or Unix seconds (or milliseconds). A Unix time of the first weeks of 1970 is no
    text's time; a fraction of a day alone is a time of day, which is no date either."""
    if 0 < value < 1:
        raise ValueError(f"a time of day without its date: {value!r}")
    if 1 <= value < EXCEL_LAST_DAY:
        return EXCEL_EPOCH + timedelta(milliseconds=round(value * 86_400_000))
    if FIRST_DIGITS_DAY <= value <= LAST_DIGITS_DAY and value == int(value):
        try:
            return datetime.strptime(str(int(value)), "%Y%m%d").replace(tzinfo=UTC)
        except ValueError:
            pass
    return _from_unix_seconds(value)


def _from_unix_seconds(value: int | float | str) -> datetime:
    """Checked against datetime's range first: past it, the platform's C time functions raise
    OSError or OverflowError instead of ValueError."""
    try:
        seconds = float(value)
    except OverflowError:  # an integer of hundreds of digits
        seconds = math.inf
    if math.isnan(seconds):
        raise ValueError(f"unreadable timestamp {value!r}")
    if FIRST_MILLISECOND <= seconds < LAST_MILLISECOND:
        seconds /= 1000
    if not FIRST_SECOND <= seconds < LAST_SECOND:
        raise ValueError(f"timestamp out of range (years 1 to 9999): {_shown(str(value).strip())}")
    return datetime.fromtimestamp(seconds, UTC)


def _shown(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
