"""How a CSV file lays out its rows: the delimiter, and the lines before the header. Both the
web upload (`pipeline/formats`) and `emolytics analyze` (`readers`) read CSV files so."""

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
