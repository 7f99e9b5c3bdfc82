"""What `emolytics analyze` writes: each text's result as CSV, JSON Lines or an Excel workbook,
as it is analysed.

A text in a language the model does not read is written as the exports write it: label "not
scored (language)" in CSV and the workbook, with no valence or scores; `label` null and
`not_scored` "language" in JSON Lines.
"""

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

import click

from emolytics.engine import languages
from emolytics.engine.model import EmotionResult
from emolytics.engine.whole_files import written_whole
from emolytics.engine.workbook_stream import Cell, Table, workbook

FORMATS = ("csv", "jsonl", "xlsx")
Analysed = tuple[int, str, str, EmotionResult | None]  # line, text, language, result


def output_format(chosen: str | None, output: str) -> str:
    """The format asked for, else the one the output file's name says, else CSV."""
    if chosen:
        return chosen
    if output.lower().endswith((".jsonl", ".ndjson")):
        return "jsonl"
    return "xlsx" if output.lower().endswith(".xlsx") else "csv"


def open_output(output: str, chosen: str, stack: ExitStack) -> IO[Any]:
    """OUTPUT (a file written whole or not at all: a run stopped by an error leaves no half a
    file, and an earlier one as it was), or stdout for "-"; a workbook in binary mode, never
    to a terminal."""
    binary = chosen == "xlsx"
    mode, encoding = ("wb", None) if binary else ("w", "utf-8")
    try:
        if output != "-":
            return stack.enter_context(written_whole(Path(output), mode, encoding=encoding))
        if binary and sys.stdout.isatty():
            raise click.BadParameter(
                "a workbook is no use on a terminal: name a file (-o results.xlsx)",
                param_hint="'-o' / '--output'",
            )
        return stack.enter_context(click.open_file(output, mode, encoding=encoding))
    except OSError as error:
        message = f"cannot write {output}: {error.strerror}"
        raise click.BadParameter(message, param_hint="'-o' / '--output'") from error


def write(
    stream: IO[Any],
    chosen: str,
    labels: tuple[str, ...],
    analysed: Iterator[Analysed],
    numbered: str = "line",
) -> None:
    """Write every analysed text to `stream` in the `chosen` format, its number first, named
    for what it counts (`numbered`: line, row of a sheet, record of a JSON array)."""
    if chosen == "jsonl":
        for item in analysed:
            stream.write(json.dumps(_record(numbered, *item), ensure_ascii=False) + "\n")
        return
    header = [numbered, "language", "label", "valence"]
    header += [f"score_{label}" for label in labels] + ["explanation", "text"]
    rows = (_cells(labels, *item) for item in analysed)
    if chosen == "xlsx":
        for chunk in workbook(Table("Results", header, rows, widths={len(header) - 1: 60})):
            stream.write(chunk)
        return
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    for cells in rows:  # numbers to four decimals, as the exports write them
        writer.writerow([f"{cell:.4f}" if isinstance(cell, float) else cell for cell in cells])


def _cells(
    labels: tuple[str, ...], line: int, text: str, language: str, result: EmotionResult | None
) -> list[Cell]:
    if result is None:
        blanks: list[Cell] = [None] * (len(labels) + 2)
        return [line, language, languages.NOT_SCORED_CELL, *blanks, text]
    scores = [result.scores[label] for label in labels]
    explanation = " ".join(f"{token}:{weight:+.3f}" for token, weight in result.contributions)
    return [line, language, result.label, result.valence, *scores, explanation or None, text]


def _record(
    numbered: str, line: int, text: str, language: str, result: EmotionResult | None
) -> dict[str, Any]:
    record: dict[str, Any] = {numbered: line, "language": language}
    if result is None:
        record.update(label=None, not_scored="language", text=text)
        return record
    record.update(
        label=result.label,
        scores={label: round(score, 4) for label, score in result.scores.items()},
        valence=round(result.valence, 4),
        text=text,
    )
    if result.contributions:
        record["explanation"] = [list(pair) for pair in result.contributions]
    if result.terms_favour:
        record["terms_favour"] = result.terms_favour
    return record
