"""How a CSV file lays out its rows: the delimiter, the lines before the header, and the names
of its columns. Every reader of CSV files reads them so (`csv_tables`); a workbook's header is
found and named as a CSV file's (`workbooks`).

Before the header there may be Excel's `sep=;` line, or a report's blank lines and title lines
(`Tram survey`, or `"Tram survey, March",,,` as a sheet saves it): lines with one filled field
at most. They are left out when a table of two columns or more follows them, right after a
blank line or a title padded with empty fields: a bare line right above a longer one is as
likely the header of a file of one column whose texts hold unquoted commas, which it stays.
"""

import csv
import re
from collections.abc import Sequence
from itertools import islice
from typing import IO

EXCEL_SEPARATOR = re.compile(r"sep=(.)")  # Excel's first line naming the delimiter
PREAMBLE_LINES = 10  # blank or title lines before a header, at most
TAB_LINES = 20  # a text file's first lines that tell a tab-separated table


def is_tab_table(first_lines: str) -> bool:
    """Whether a text file (.txt) is a table with tabs between its columns, as Excel's "Unicode
    Text" saves a sheet: its first lines (up to TAB_LINES) all hold the same number of tabs,
    one or more. Plain text, one text per line, almost never does."""
    lines = [line for line in first_lines.splitlines()[:TAB_LINES] if line.strip()]
    tabs = {line.count("\t") for line in lines}
    return len(lines) >= 2 and len(tabs) == 1 and min(tabs) >= 1


def csv_delimiter(first_line: str) -> str:
    """The CSV delimiter: whichever of , ; tab | the header line uses most (comma on a tie)."""
    counts = {candidate: first_line.count(candidate) for candidate in ",;\t|"}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] > counts[","] else ","


def csv_layout(first_lines: str) -> tuple[str, int]:
    """The delimiter and the number of lines before the header (see above), from the file's
    first lines (at least PREAMBLE_LINES + 2 of them, where the file has so many)."""
    lines = first_lines.split("\n", PREAMBLE_LINES + 2)[: PREAMBLE_LINES + 2]
    hint = EXCEL_SEPARATOR.fullmatch(lines[0].strip("\r\ufeff"))
    if hint:
        return hint[1], 1
    delimiters = [csv_delimiter(line) for line in lines]
    fields = [_fields(line, delimiter) for line, delimiter in zip(lines, delimiters, strict=True)]
    following = [  # each line's next one, split as that line is (the header's delimiter)
        _filled(_fields(after, delimiter))
        for after, delimiter in zip([*lines[1:], ""], delimiters, strict=True)
    ]
    skipped = preamble([_filled(row) for row in fields], following)
    if skipped and len(fields[skipped - 1]) == 1 and fields[skipped - 1][0].strip():
        skipped = 0  # a bare line right above: maybe the header of one column (see above)
    return delimiters[skipped], skipped


def first_lines(stream: IO[str]) -> list[str]:
    """The lines `csv_layout` reads (read from `stream`: callers read on after them)."""
    return list(islice(iter(stream.readline, ""), PREAMBLE_LINES + 2))


def preamble(filled: Sequence[int], following: Sequence[int]) -> int:
    """How many lines come before the header, given how many filled fields each of the first
    lines holds (`filled`) and the line after each, read as that line is (`following`, 0 for
    none): the blank and title lines (one filled field at most) before a line of two or more
    that the next line follows with two or more too; 0 when no such table starts within
    PREAMBLE_LINES lines."""
    for index, count in enumerate(filled[: PREAMBLE_LINES + 1]):
        if count >= 2:
            return index if following[index] >= 2 else 0
    return 0


def _fields(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line.rstrip("\r")], delimiter=delimiter), [])
    except csv.Error:  # a field past the csv module's size limit: one bare field
        return [line]


def _filled(fields: list[str]) -> int:
    return sum(1 for field in fields if field.strip())


def header_names(names: list[str]) -> list[str]:
    """A CSV header's column names, stripped, a repeated one numbered from its second time on
    ("note", "note (2)"), so that each column can be chosen and none hides another's values."""
    unique: list[str] = []
    taken: set[str] = set()
    counts: dict[str, int] = {}  # the last number given to a name
    for name in (name.strip() for name in names):
        candidate = name
        while candidate and candidate in taken:
            counts[name] = counts.get(name, 1) + 1
            candidate = f"{name} ({counts[name]})"
        unique.append(candidate)
        taken.add(candidate)
    return unique
