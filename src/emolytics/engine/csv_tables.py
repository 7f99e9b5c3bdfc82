"""A CSV file's table, read the one way every reader reads it: an upload and its preview
(`pipeline/formats`), `emolytics analyze` (`readers`) and the labeled texts of training
(`labeled_files`).

- The header comes after the lines `csv_layout` finds before it (Excel's `sep=;`, a report's
  title), with its names stripped and a repeated one numbered (`header_names`).
- A survey tool's rows under the header are left out (`surveys`).
- A row of nothing but delimiters and blanks is no row: Excel writes them under a table.
- In a table of one column, an unquoted delimiter is part of the text.
- A row with more fields than the header is refused, with the reason; one with fewer lacks
  the columns past its last field (`record`).
- A row's line is the line it starts on (a quoted text may hold line breaks).

A header or row that cannot be read raises InputFormatError with its line.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import IO, Any

from emolytics.engine.csv_layout import csv_layout, first_lines, header_names
from emolytics.engine.errors import InputFormatError
from emolytics.engine.surveys import without_export_rows

# Rows are checked for length by their readers (an overlong text is a bad row with a clear
# reason), so the csv module's own limit only has to stay above any field a file can hold.
csv.field_size_limit(2**30)

Row = tuple[int, list[str] | str]  # a row's line, and its fields or the reason it is refused


@dataclass(frozen=True)
class CsvTable:
    header: list[str]
    rows: Iterator[Row]

    def record(self, fields: list[str]) -> dict[str, str]:
        """A row's fields by column name."""
        return dict(zip(self.header, fields, strict=False))


def csv_table(stream: IO[str]) -> CsvTable:
    """The table of a CSV file read from its start (`stream`: opened with newline="")."""
    first = first_lines(stream)
    delimiter, skipped = csv_layout("".join(first))
    reader = csv.reader(chain(first[skipped:], stream), delimiter=delimiter, strict=True)
    try:
        names = next(reader)
    except StopIteration:
        raise InputFormatError("The file is empty.") from None
    except csv.Error as error:
        raise InputFormatError(
            f"line {skipped + 1}: the CSV header cannot be read ({error})."
        ) from error
    header = header_names(names)
    if not any(header):
        raise InputFormatError(f"line {skipped + 1}: the CSV header is empty.")
    rows = _rows(reader, header, delimiter, skipped)
    return CsvTable(header, without_export_rows(rows, _cells))


def _rows(reader: Any, header: list[str], delimiter: str, skipped: int) -> Iterator[Row]:
    """The rows after the header (`reader`: read past it; `skipped`: the lines before it)."""
    width = len(header)
    end = skipped + reader.line_num  # the last line read
    try:
        for values in reader:
            line, end = end + 1, skipped + reader.line_num
            if len(values) != width:
                if not "".join(values).strip():
                    continue
                if width == 1:  # one column: an unquoted delimiter is part of the text
                    values = [delimiter.join(values)]
                elif len(values) > width:
                    yield line, f"{len(values)} fields, but the header has {width}"
                    continue
            elif not values[0].strip() and not "".join(values).strip():
                continue
            yield line, values
    except csv.Error as error:
        raise InputFormatError(
            f"line {end + 1}: the CSV cannot be read ({error}); "
            "is the file cut short or a quote left open?"
        ) from error


def _cells(row: Row) -> Iterable[str]:
    return row[1] if isinstance(row[1], list) else ()  # a refused row tells nothing
