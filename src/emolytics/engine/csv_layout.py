"""How a CSV file lays out its rows: the delimiter, the lines before the header, and the names
of its columns. Both the web upload (`pipeline/formats`) and `emolytics analyze` (`readers`)
read CSV files so; a workbook's header is named as a CSV file's (`workbooks`)."""

import re

EXCEL_SEPARATOR = re.compile(r"sep=(.)")  # Excel's first line naming the delimiter


def csv_delimiter(first_line: str) -> str:
    """The CSV delimiter: whichever of , ; tab | the header line uses most (comma on a tie)."""
    counts = {candidate: first_line.count(candidate) for candidate in ",;\t|"}
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] > counts[","] else ","


def csv_layout(first_lines: str) -> tuple[str, int]:
    """The delimiter and the lines before the header: Excel may write `sep=;` as the first
    line, naming the delimiter, and the header follows it."""
    first_line = first_lines.split("\n", 1)[0]
    hint = EXCEL_SEPARATOR.fullmatch(first_line.strip("\r\ufeff"))
    if hint:
        return hint[1], 1
    return csv_delimiter(first_line), 0


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
