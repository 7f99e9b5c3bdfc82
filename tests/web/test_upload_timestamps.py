"""Times as exports write them: spreadsheets, survey tools, Twitter and e-mail each have their
own, and each is read to the right UTC moment; a date whose day and month could be swapped is
read in the order the file's other dates show, else refused with how to write it, never
guessed."""

from datetime import UTC, datetime

import pytest

from emolytics.pipeline.timestamps import AmbiguousDate, date_order, parse_timestamp
from tests.engine.workbook_files import workbook_bytes
from tests.web.bulk_rows import stored_texts
from tests.web.uploads import preview, upload


@pytest.mark.parametrize(
    ("written", "moment"),
    [
        ("2026-10-22T15:50:00Z", datetime(2026, 10, 22, 15, 50)),
        ("1792684200", datetime(2026, 10, 22, 15, 50)),
        ("1792684200250", datetime(2026, 10, 22, 15, 50, 0, 250000)),  # JavaScript's milliseconds
        (1792684200000, datetime(2026, 10, 22, 15, 50)),  # a JSON number, or a workbook's
        ("Thu Oct 22 15:50:00 +0000 2026", datetime(2026, 10, 22, 15, 50)),  # Twitter
        ("Thu, 22 Oct 2026 17:50:00 +0200", datetime(2026, 10, 22, 15, 50)),  # e-mail, RSS
        ("10/22/2026 3:50:07 PM", datetime(2026, 10, 22, 15, 50, 7)),  # a US spreadsheet
        ("10/22/2026 12:10 AM", datetime(2026, 10, 22, 0, 10)),
        ("22/10/2026 15:50", datetime(2026, 10, 22, 15, 50)),
        ("22.10.2026", datetime(2026, 10, 22)),  # dots: day first, always
        ("03.04.2026 08:00", datetime(2026, 4, 3, 8)),
        ("2026/10/22 15:50 +05:30", datetime(2026, 10, 22, 10, 20)),
        ("04/04/2026", datetime(2026, 4, 4)),  # either order reads the same
        ("October 22, 2026 3:50 PM", datetime(2026, 10, 22, 15, 50)),
        ("22 Oct 2026", datetime(2026, 10, 22)),
        ("March 1st, 2026", datetime(2026, 3, 1)),  # an ordinal
        ("August 3rd 2026 9:15 PM", datetime(2026, 8, 3, 21, 15)),  # and no comma
        ("Mar 1, 2026, 8:00:00 AM", datetime(2026, 3, 1, 8)),  # as en-US locales write it
        ("22 Oct 2026 15:50", datetime(2026, 10, 22, 15, 50)),  # another shape read after it
        ("22-10-2026 15:50", datetime(2026, 10, 22, 15, 50)),  # dashes: as slashes
        ("2026-3-1 8:00", datetime(2026, 3, 1, 8)),
        # JavaScript's Date.toString(), and Java's zoned time
        ("Sun Mar 01 2026 08:00:00 GMT+0100 (Central European Time)", datetime(2026, 3, 1, 7)),
        ("2026-03-01T08:00:00+01:00[Europe/Vienna]", datetime(2026, 3, 1, 7)),
        # Google Forms' responses, and a zone of hours and minutes
        ("2026/10/22 3:50:00 PM GMT+2", datetime(2026, 10, 22, 13, 50)),
        ("2026/10/22 3:50:00 pm GMT-5", datetime(2026, 10, 22, 20, 50)),
        ("22/10/2026 15:50:00 GMT+5:30", datetime(2026, 10, 22, 10, 20)),
        ("2026-10-22 15:50 UTC+1", datetime(2026, 10, 22, 14, 50)),
        # as social networks' exports and Apple's apps write it
        ("October 22, 2026 at 3:50 PM", datetime(2026, 10, 22, 15, 50)),
        ("22 October 2026 at 15:50", datetime(2026, 10, 22, 15, 50)),
        # a short date's year of two digits, as Excel reads it (00-29: the 2000s)
        ("10/22/26 15:50:00", datetime(2026, 10, 22, 15, 50)),
        ("22.10.26", datetime(2026, 10, 22)),
        ("10/22/99", datetime(1999, 10, 22)),
        # a number cell: Excel's day (a date column that lost its format), or a day of digits
        (46317.65, datetime(2026, 10, 22, 15, 36)),
        (46317, datetime(2026, 10, 22)),
        (20261022, datetime(2026, 10, 22)),
    ],
)
def test_exports_times_are_read_as_utc(written, moment):
    assert parse_timestamp(written) == moment.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("03/04/2026", "ambiguous date '03/04/2026'"),
        ("03-04-2026", "ambiguous date '03-04-2026'"),
        ("3/4/6", "write the year with 4 digits"),
        ("3/4/26", "ambiguous date '3/4/26'.*\\(2026-04-03 or 2026-03-04\\)"),
        ("31/02/2026", "unreadable timestamp '31/02/2026'"),
        ("10/22/2026 13:00 PM", "unreadable timestamp"),
        ("Oct 32, 2026", "unreadable timestamp"),
        ("next tuesday", "unreadable timestamp 'next tuesday'"),
        ("179268420000000", "unreadable timestamp"),  # microseconds: not read
        (179268420000000, "timestamp out of range"),
        (0.65, "a time of day without its date"),  # a workbook's time cell alone
        ("2026/10/22 3:50 PM GMT+25", "unreadable timestamp"),
    ],
)
def test_a_time_that_cannot_be_read_for_sure_says_why(written, reason):
    with pytest.raises(ValueError, match=reason):
        parse_timestamp(written)


def test_an_ambiguous_date_names_both_readings():
    with pytest.raises(AmbiguousDate) as refused:
        parse_timestamp("03/04/2026 10:00")
    assert "(2026-04-03 or 2026-03-04)" in str(refused.value)


def test_a_file_whose_dates_show_their_order_is_read_in_it():
    month_first = ["03/04/2026", "10/22/2026 3:50 PM", "22/10/2026"]
    assert date_order(month_first) is False  # the first one a part past 12 decides
    assert date_order(["03/04/2026", "22/10/2026 15:50"]) is True
    assert date_order(["03/04/2026", "2026/10/22", "22.10.2026", "", None, 17]) is None
    assert date_order(["03-04-2026", "22-10-2026"]) is True  # dashes, as Dutch files write
    assert parse_timestamp("03/04/2026", day_first=False) == datetime(2026, 3, 4, tzinfo=UTC)
    assert parse_timestamp("03/04/2026", day_first=True) == datetime(2026, 4, 3, tzinfo=UTC)
    with pytest.raises(ValueError, match=r"'22/10/2026' \(month first, as in this file\)"):
        parse_timestamp("22/10/2026", day_first=False)


def test_a_spreadsheet_upload_reads_every_date_in_the_files_order(app, auth):
    auth.login()
    content = (
        "Response,Submitted\n"
        "lovely app,03/04/2026 9:00 AM\n"  # ambiguous alone; the next row decides
        "late again,10/22/2026 3:50 PM\n"
        "so slow,12/01/2026 8:00 AM\n"
        "odd one,22/10/2026 8:00 AM\n"  # not month first: refused
    )
    found = preview(auth, content).json
    assert found["guesses"]["posted_at"] == "Submitted"  # by its dates: no name gives it away
    assert found["dates"] == "month first"
    assert found["problems"] == [
        {
            "line": 5,
            "reason": "unreadable timestamp '22/10/2026 8:00 AM' (month first, as in this file)",
            "row": 3,
        }
    ]

    assert upload(auth, content, skip_bad_rows="y").status_code == 302
    stored = [(row.text, row.posted_at) for row in stored_texts(app)]
    assert stored == [
        ("lovely app", datetime(2026, 3, 4, 9, tzinfo=UTC)),
        ("late again", datetime(2026, 10, 22, 15, 50, tzinfo=UTC)),
        ("so slow", datetime(2026, 12, 1, 8, tzinfo=UTC)),
    ]


def test_a_file_whose_dates_never_show_their_order_refuses_the_ambiguous_ones(auth):
    auth.login()
    content = "text,created_at\nfine,04/04/2026\nhm,03/04/2026\n"
    found = preview(auth, content).json
    assert found["dates"] is None
    assert [problem["line"] for problem in found["problems"]] == [3]
    assert "ambiguous date '03/04/2026'" in found["problems"][0]["reason"]


def test_a_workbooks_day_numbers_are_read_as_the_days_excel_shows(app, auth):
    """A date column whose cells lost their date format holds Excel's day numbers; read as Unix
    seconds they were moments of 1 January 1970."""
    auth.login()
    book = workbook_bytes(["Comment", "Date"], ["so slow", 46317.65], ["lovely", 46318])
    assert upload(auth, book, "comments.xlsx").status_code == 302
    stored = [(row.text, row.posted_at) for row in stored_texts(app)]
    assert stored == [
        ("so slow", datetime(2026, 10, 22, 15, 36, tzinfo=UTC)),
        ("lovely", datetime(2026, 10, 23, tzinfo=UTC)),
    ]
