"""Command-line access to the emotion engine: `analyze`, and what every engine command shares
(`train` and `evaluate` are in `cli_training`).

Plain click commands (no Flask, no app context); the web app registers them on its CLI group.
Exit codes: 0 done, 1 unreadable input or model (one-line message on stderr), 2 usage error.
"""

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from itertools import islice
from pathlib import Path
from typing import IO

import click

from emolytics import cli_results
from emolytics.cli_errors import fail, printable
from emolytics.cli_inputs import STDIN, STDIN_NAME, input_rows, open_input, started
from emolytics.engine import languages
from emolytics.engine.analyzer import DEFAULT, load_analyzer
from emolytics.engine.artifacts import load_model
from emolytics.engine.batching import DEFAULT_BATCH_SIZE
from emolytics.engine.errors import EngineError, InputFormatError
from emolytics.engine.model import LinearModel
from emolytics.engine.readers import InputFormat, InputRow, numbered_by
from emolytics.wording import plural

MAX_REPORTED_BAD_ROWS = 20

model_option = click.option(
    "--model",
    "model_name",
    default=DEFAULT,
    show_default=True,
    help="'default' for the shipped model, or the path of a trained model file.",
)


def load(model_name: str) -> tuple[LinearModel, frozenset[str] | None]:
    """The model, and the languages it reads (None: every language; see `languages.recorded`)."""
    try:
        if model_name == DEFAULT:
            return load_analyzer(DEFAULT), frozenset(languages.DEFAULT_LANGUAGES)
        model, metadata = load_model(Path(model_name))
        return model, languages.recorded(metadata["details"])
    except EngineError as error:
        raise fail(error, source=None if model_name == DEFAULT else model_name) from error


class _BadRowReporter:
    """Prints the first bad rows' numbers (lines, or what `numbered` names) to stderr and
    counts the rest."""

    def __init__(self, numbered: str) -> None:
        self.numbered = numbered
        self.count = 0

    def __call__(self, row: InputRow) -> None:
        self.count += 1
        if self.count <= MAX_REPORTED_BAD_ROWS:
            message = f"{self.numbered} {row.line}: skipped, {row.error}"
            click.echo(printable(message), err=True)

    def summary(self) -> str | None:
        hidden = self.count - MAX_REPORTED_BAD_ROWS
        more = f" ({hidden} not listed above)" if hidden > 0 else ""
        return f"{plural(self.count, 'bad row')} skipped{more}" if self.count else None


def _good_rows(rows: Iterator[InputRow], report: Callable[[InputRow], None]) -> Iterator[InputRow]:
    """The rows that carry a text; the others go to `report`."""
    for row in rows:
        if row.text is None:
            report(row)
        else:
            yield row


@click.command("analyze")
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False, path_type=Path,
                allow_dash=True))  # fmt: skip
@click.option("--column", default="text", show_default=True,
              help="Text column (CSV, JSON, workbook).")  # fmt: skip
@model_option
@click.option("--format", "output_format", type=click.Choice(cli_results.FORMATS), default=None,
              help="Output format [default: from the output file name, else csv].")  # fmt: skip
@click.option("-o", "--output", default="-", help="Output file [default: stdout].")
@click.option("--input-format", type=click.Choice([kind.value for kind in InputFormat]),
              default=None, help="Input format [default: from its start and name].")  # fmt: skip
@click.option("--sheet", default=None,
              help="A workbook's sheet [default: the first with a filled cell].")  # fmt: skip
@click.option("--explain", is_flag=True, help="Add each text's most influential tokens.")
def analyze(
    input_path: Path,
    column: str,
    model_name: str,
    output_format: str | None,
    output: str,
    input_format: str | None,
    sheet: str | None,
    explain: bool,
) -> None:
    """Label the emotion of every text in INPUT (CSV, JSON, JSON Lines, a sheet of an Excel
    workbook or spreadsheet, or one text per line; "-": standard input).

    Each text's language is detected and written beside it; a text in a language the model
    does not read (the default reads English) is not scored. Streams: memory stays flat
    whatever the size of INPUT. The results are CSV, JSON Lines or an Excel workbook (to a
    file: -o results.xlsx). Each text is known by its line (a sheet's row, a JSON array's
    record): bad rows are reported so on stderr and skipped; a count per label, and of the
    texts not scored, is printed at the end.
    """
    analyzer, reads = load(model_name)
    counts: Counter[str] = Counter()
    source = STDIN_NAME if input_path == STDIN else input_path
    with ExitStack() as stack:
        binary, head = open_input(input_path, stack)
        kind = InputFormat(input_format) if input_format else InputFormat.for_file(input_path, head)
        if sheet is not None and kind is not InputFormat.XLSX:
            raise click.UsageError(f"--sheet reads a workbook; {source} is read as {kind.value}.")
        numbered = numbered_by(kind, head)
        reporter = _BadRowReporter(numbered)
        rows = started(input_rows(binary, head, kind, column, sheet, source, numbered), source)
        chosen = cli_results.output_format(output_format, output)
        destination = cli_results.open_output(output, chosen, stack)
        progress = _progress_bar(stack, binary, input_path, counts)
        analysed = _analysed(_good_rows(rows, reporter), analyzer, reads, explain, progress, counts)
        try:
            cli_results.write(destination, chosen, analyzer.labels, analysed, numbered)
        except InputFormatError as error:  # INPUT cannot be read on
            raise fail(error, source=source) from error
        except EngineError as error:
            raise fail(error) from error
        except OSError as error:  # a full disk, or a closed pipe
            raise fail(EngineError(f"cannot write {output}: {error.strerror}")) from error
    _print_summary(counts, analyzer.labels, reporter.summary())


def _analysed(
    rows: Iterator[InputRow],
    analyzer: LinearModel,
    reads: frozenset[str] | None,
    explain: bool,
    progress: Callable[[], None],
    counts: Counter[str],
) -> Iterator[cli_results.Analysed]:
    """Each row's text analysed, in batches: (line, text, language, result or None where the
    model does not read the language), counted by label in `counts` as they go."""
    while batch := list(islice(rows, DEFAULT_BATCH_SIZE)):
        texts = [row.text or "" for row in batch]
        found = languages.found(texts, analyzer, reads)
        results = languages.scored(analyzer, texts, found, explain=explain)
        for row, text, language, result in zip(batch, texts, found, results, strict=True):
            counts[languages.NOT_SCORED_CELL if result is None else result.label] += 1
            yield row.line, text, language.code, result
        progress()


def _progress_bar(
    stack: ExitStack, binary: IO[bytes], path: Path, counts: Counter[str]
) -> Callable[[], None]:
    """Progress on stderr when it is a terminal (otherwise a no-op): a bar of the bytes read of
    a file, or a line counting the texts analysed of standard input, whose size is unknown."""
    if not sys.stderr.isatty():
        return lambda: None
    if path == STDIN:
        stack.callback(click.echo, err=True)  # the line ends with the run

        def tally() -> None:
            click.echo(f"\rAnalyzing: {plural(counts.total(), 'text')}", err=True, nl=False)

        return tally
    size = max(path.stat().st_size, 1)
    bar = stack.enter_context(click.progressbar(length=size, label="Analyzing", file=sys.stderr))

    def advance() -> None:
        bar.update(min(binary.tell(), size) - bar.pos)

    return advance


def _print_summary(counts: Counter[str], labels: tuple[str, ...], bad_rows: str | None) -> None:
    total = sum(counts.values())
    click.echo(f"{plural(total, 'text')} analyzed", err=True)
    for label in labels:
        share = counts[label] / total if total else 0.0
        click.echo(f"  {label:<12} {counts[label]:>10}  {share:6.1%}", err=True)
    if not_scored := counts[languages.NOT_SCORED_CELL]:
        click.echo(
            f"{plural(not_scored, 'text')} not scored: in a language the model does not read "
            "(see the language column)",
            err=True,
        )
    if bad_rows:
        click.echo(bad_rows, err=True)
