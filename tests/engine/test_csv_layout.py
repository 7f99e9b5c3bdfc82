"""Where a CSV file's header is, and its delimiter: after Excel's `sep=` line, after a report's
title and blank lines, or on the first line (a file of one column keeps it there)."""

import pytest

from emolytics.engine.csv_layout import csv_layout


@pytest.mark.parametrize(
    ("start", "layout"),
    [
        ("text,date\nhi,2026-03-01\n", (",", 0)),
        ("sep=;\ntext;date\nhi;2026-03-01\n", (";", 1)),
        ("\n\ntext,date\nhi,2026-03-01\n", (",", 2)),
        ("Tram survey\n\nid;text\n1;hi\n", (";", 2)),
        ('"Tram survey, March",,\n,,\nid,text,date\n1,hi,x\n', (",", 2)),  # as a sheet saves it
        # the first row reads as commas on its own (a tie): it is read as its header is
        ("Report\n\nid\ttext\n1;2\tso late, again;\n", ("\t", 2)),
        ("Tram survey\nid;text\n1;hi\n", (",", 0)),  # a bare line right above: maybe a header
        ("text\nI love it, really\nso late, again\n", (",", 0)),  # one column, unquoted commas
        ("Tram survey\n\ntext\nhello\n", (",", 0)),  # one column: no table follows
    ],
)
def test_the_header_is_found_after_what_a_report_puts_above_it(start, layout):
    assert csv_layout(start) == layout
