"""`emolytics train` and `emolytics evaluate`: fitting a model to labeled texts, scoring one.

Exit codes as in `cli_engine`: 0 done, 1 unreadable input or model, 2 usage error. Progress of
the settings search goes to stderr; reports go to stdout.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from emolytics.cli_adaptation import adapt_file
from emolytics.cli_engine import load, model_option
from emolytics.cli_errors import fail
from emolytics.engine import languages
from emolytics.engine.analyzer import DEFAULT
from emolytics.engine.artifacts import save_model
from emolytics.engine.errors import EngineError
from emolytics.wording import plural

if TYPE_CHECKING:
    from emolytics.engine.training import Evaluation, TrainingReport


sheet_option = click.option(
    "--sheet", default=None, help="A workbook's sheet [default: the first with a filled cell]."
)


@click.command("train")
@click.argument("labeled", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the model file.")  # fmt: skip
@click.option("--text-column", default="text", show_default=True)
@click.option("--label-column", default="label", show_default=True)
@sheet_option
@click.option("--budget", type=click.FloatRange(min=1, max=86_400), default=None,
              help="Seconds of CPU time the whole training may take while choosing settings "
              "[default: 50].")  # fmt: skip
@click.option("--candidates", type=click.IntRange(min=1), default=None,
              help="Stop choosing after this many candidate settings.")  # fmt: skip
@click.option("--fixed", is_flag=True,
              help="Do not choose: L-BFGS with C=4 below 10,000 rows, SGD from there.")  # fmt: skip
@click.option("--base", "base_name", default=None,
              help="Adapt this model ('default' or a model file) to the labeled texts instead "
              "of training one from scratch.")  # fmt: skip
@click.option("--domain", "domain_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None,
              help="With --base default: a CSV file of unlabeled texts of the labeled texts' "
              "domain (the text column; up to 10,000, evenly spread, are used), from which the "
              "adapted model learns to tell that domain's texts from the default's.")  # fmt: skip
def train(
    labeled: Path,
    output: Path,
    text_column: str,
    label_column: str,
    sheet: str | None,
    budget: float | None,
    candidates: int | None,
    fixed: bool,
    base_name: str | None,
    domain_file: Path | None,
) -> None:
    """Train a model on LABELED (a text and a label per row: CSV, an Excel workbook, or JSON:
    an array of objects or JSON Lines) and print its metrics.

    The features, solver and regularisation are chosen by cross-validation within a time
    budget (each candidate's score is printed); metrics are stratified 5-fold cross-validated;
    the saved model is then fitted on all rows. With --base, the base model is adapted to the
    labels instead (labels from its label set; --budget bounds the adaptation, default 30 s).
    """
    if domain_file is not None and base_name != DEFAULT:
        raise click.UsageError("--domain goes with --base default: only the default analyzer "
                               "carries the texts it tells a domain's texts from.")  # fmt: skip
    if fixed and (budget is not None or candidates is not None):
        raise click.UsageError("--fixed chooses nothing: drop --budget and --candidates.")
    if text_column == label_column:
        raise click.UsageError("--text-column and --label-column name one column: name two.")
    if base_name is not None:
        if fixed or candidates is not None:
            raise click.UsageError("--base adapts a model: drop --fixed and --candidates.")
        columns = (text_column, label_column, sheet)
        adapt_file(labeled, output, base_name, columns, budget, domain_file)
        return
    from emolytics.engine import training  # scikit-learn loads only for the commands using it

    search = None if fixed else training.Search(budget or training.Search().seconds, candidates)
    options = training.TrainingOptions(search=search)
    try:
        texts, labels = training.read_labeled_csv(labeled, text_column, label_column, sheet)
        report = training.train(texts, labels, options, on_progress=_progress)
        details = {
            "cross_validation": report.cross_validation.as_dict(),
            "label_bias": report.label_bias,
            "languages": languages.main_languages(languages.detect(texts)),
        }
        if report.selection:
            details["selection"] = report.selection.as_dict()
        save_model(report.model, output, details)
    except EngineError as error:
        raise fail(error, source=labeled) from error
    except OSError as error:
        raise fail(EngineError(f"cannot write {output}: {error.strerror}")) from error
    _print_report(report)
    click.echo(f"model written to {output}")


def _progress(line: str) -> None:
    click.echo(line, err=True)


def _print_report(report: "TrainingReport") -> None:
    folds = ", ".join(f"{score:.3f}" for score in report.fold_macro_f1)
    click.echo(f"trained on {plural(report.rows, 'text')}, {len(report.model.labels)} labels")
    if report.selection is None:
        click.echo("settings: fixed (no search)")
    else:
        _print_selection(report.selection.as_dict())
    click.echo(_label_bias_line(report.label_bias, report.macro_f1_without_bias or 0.0))
    click.echo(f"5-fold cross-validation, macro-F1 per fold: {folds}")
    _print_evaluation(report.cross_validation, confusion=True)


def _label_bias_line(bias: dict[str, float] | None, without: float) -> str:
    if bias is None:
        return f"per-label offsets: none (they did not raise macro-F1 out of fold, {without:.3f})"
    offsets = ", ".join(f"{label} {offset:+g}" for label, offset in bias.items())
    return f"per-label offsets: {offsets} (tuned out of fold; macro-F1 without them {without:.3f})"


def _print_selection(selection: dict[str, Any]) -> None:
    """The chosen settings, then every candidate tried with its cross-validated macro-F1."""
    stopped = f"; stopped by its {selection['stopped']}" if selection["stopped"] else ""
    click.echo(f"settings chosen: {selection['chosen']['description']}")
    click.echo(
        f"search: {plural(len(selection['candidates']), 'candidate')}, each scored on "
        f"{plural(selection['folds'], 'fold')} of 5, {selection['seconds']:.1f} s "
        f"(budget {selection['budget_seconds']:g} s of CPU for all of training){stopped}"
    )
    click.echo(f"  {'#':>3}  {'features':<32}{'solver':<14}{'C':>8}{'macro-F1':>10}{'seconds':>9}")
    for number, candidate in enumerate(selection["candidates"], start=1):
        mark = "*" if candidate["chosen"] else " "
        solver = "L-BFGS" if candidate["solver"] == "lbfgs" else "averaged SGD"
        click.echo(
            f"{mark} {number:>3}  {candidate['features']:<32}{solver:<14}"
            f"{candidate['regularisation']:>8g}{candidate['macro_f1']:>10.4f}"
            f"{candidate['seconds']:>9.1f}"
        )


@click.command("evaluate")
@click.argument("labeled", type=click.Path(dir_okay=False, path_type=Path))
@model_option
@click.option("--text-column", default="text", show_default=True)
@click.option("--label-column", default="label", show_default=True)
@sheet_option
def evaluate(
    labeled: Path, model_name: str, text_column: str, label_column: str, sheet: str | None
) -> None:
    """Score a model on LABELED (CSV, workbook or JSON): accuracy, macro-F1 and per-label F1."""
    from emolytics.engine import training  # scikit-learn loads only for the commands using it

    analyzer, _ = load(model_name)
    try:
        texts, labels = training.read_labeled_csv(labeled, text_column, label_column, sheet)
        evaluation = training.evaluate(analyzer, texts, labels)
    except EngineError as error:
        raise fail(error, source=labeled) from error
    click.echo(f"evaluated {plural(len(texts), 'text')} with model {model_name}")
    _print_evaluation(evaluation, confusion=False)


def _print_evaluation(evaluation: "Evaluation", *, confusion: bool) -> None:
    click.echo(f"accuracy  {evaluation.accuracy:.4f}")
    click.echo(f"macro-F1  {evaluation.macro_f1:.4f}")
    click.echo(f"{'label':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for label, scores in evaluation.per_label.items():
        click.echo(
            f"{label:<16}{scores['precision']:>10.4f}{scores['recall']:>10.4f}"
            f"{scores['f1']:>10.4f}{scores['support']:>10}"
        )
    if confusion:
        click.echo("confusion matrix (rows: true label, columns: predicted)")
        width = max(8, *(len(label) + 1 for label in evaluation.labels))
        click.echo(" " * 16 + "".join(f"{label:>{width}}" for label in evaluation.labels))
        for label, counts in zip(evaluation.labels, evaluation.confusion, strict=True):
            click.echo(f"{label:<16}" + "".join(f"{count:>{width}}" for count in counts))
