"""`emolytics train --base`: adapting a model to labeled texts instead of training one.

Exit codes as in `cli_engine`: 0 done, 1 unreadable input or model, 2 usage error. Progress
goes to stderr; the report to stdout. Nothing is written unless the adaptation succeeds.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from emolytics.cli_engine import load
from emolytics.cli_errors import fail
from emolytics.engine.analyzer import DEFAULT
from emolytics.engine.artifacts import save_model
from emolytics.engine.errors import EngineError
from emolytics.wording import plural

if TYPE_CHECKING:
    from emolytics.engine.adaptation import AdaptationReport


def adapt_file(
    labeled: Path,
    output: Path,
    base_name: str,
    columns: tuple[str, str, str | None],  # the texts', the labels', a workbook's sheet
    budget: float | None,
    domain_file: Path | None = None,
) -> None:
    """Adapt the model `base_name` ('default' or a model file) to LABELED's rows (and the
    default's gates to the unlabeled texts of `domain_file`), save it to `output` and print
    the report."""
    from emolytics.engine import adaptation, training  # scikit-learn loads only when used
    from emolytics.engine.reference import default_reference

    base, reads = load(base_name)
    reference = default_reference() if base_name == DEFAULT else None
    seconds = budget or adaptation.DEFAULT_BUDGET_SECONDS
    domain = _domain_texts(domain_file, columns[0])
    try:
        texts, labels = training.read_labeled_csv(labeled, *columns)
        report = adaptation.adapt(
            base,
            texts,
            labels,
            reference=reference,
            domain=domain,
            seconds=seconds,
            on_progress=_progress,
        )
        details = {
            "base": base_name if base_name == DEFAULT else Path(base_name).name,
            "languages": sorted(reads or ()),  # what the base reads
        }
        save_model(report.model, output, {**details, **_details(report)})
    except EngineError as error:
        raise fail(error, source=labeled) from error
    except OSError as error:
        raise fail(EngineError(f"cannot write {output}: {error.strerror}")) from error
    _print_report(report, base_name)
    click.echo(f"model written to {output}")


def _domain_texts(path: Path | None, column: str) -> list[str]:
    from emolytics.engine import training

    if path is None:
        return []
    try:
        return training.read_texts_csv(path, column)
    except EngineError as error:
        raise fail(error, source=path) from error


def _details(report: "AdaptationReport") -> dict[str, Any]:
    metrics = report.metrics()
    return {"cross_validation": report.cross_validation.as_dict(), **metrics["adaptation"]}


def _progress(line: str) -> None:
    click.echo(line, err=True)


def _print_report(report: "AdaptationReport", base_name: str) -> None:
    from emolytics.engine import trials

    click.echo(f"adapted model {base_name} with {plural(report.rows, 'labeled text')}")
    if report.domain_texts:
        unlabeled = plural(report.domain_texts, "unlabeled text")
        click.echo(f"and its gates learnt what the domain looks like from {unlabeled}")
    if report.chosen is None:
        click.echo("no setting clearly beat the base without forgetting: the model is the base's")
    else:
        click.echo(f"settings chosen: {report.chosen.candidate.describe()}")
    click.echo(
        f"  {'settings':<48}{'macro-F1':>10}{'changed':>9}{'likelihood':>12}{'p':>8}"
        f"{'forgets':>10}{'agrees':>8}{'seconds':>9}"
    )
    for trial in report.trials:
        mark = "*" if trial is report.chosen else " "
        forgets = "-" if trial.forgetting is None else f"{trial.forgetting:+.4f}"
        agrees = "-" if trial.agreement is None else f"{trial.agreement:.1%}"
        click.echo(
            f"{mark} {trial.candidate.describe():<48}{trial.macro_f1:>10.4f}{trial.changed:>9}"
            f"{trial.gain:>+12.3f}{trial.p_value:>8.3f}{forgets:>10}{agrees:>8}{trial.seconds:>9.1f}"
        )
        if trial is not report.chosen:
            click.echo(f"      not chosen: {report.verdict(trial)}")
    click.echo(
        "(changed: the texts that just one of it and the base gets right, out of fold; "
        "likelihood: the mean out-of-fold gain in the log-probability of the right label over "
        "the base's; p: the share of bootstrap resamples of the texts in which that gain is not "
        "above zero; forgets, agrees: on the base's guard texts; a setting is kept only if its "
        f"macro-F1 beats the base's on at least {trials.MIN_CHANGED} changed texts with p under "
        f"{trials.MAX_P:g}, and it keeps the base's label on {trials.MIN_AGREEMENT:.0%} of its "
        f"guard texts and loses at most {trials.MAX_FORGETTING:g} macro-F1 on them)"
    )
    adapted, base = report.cross_validation, report.base_cross_validation
    click.echo("5-fold cross-validation on the labeled texts (adapted on 4 folds, scored on 1)")
    click.echo(f"  {'':<10}{'macro-F1':>10}{'accuracy':>10}  per fold")
    for name, evaluation, folds in (
        ("base", base, report.base_fold_macro_f1),
        ("adapted", adapted, report.fold_macro_f1),
    ):
        per_fold = ", ".join(f"{score:.3f}" for score in folds)
        click.echo(
            f"  {name:<10}{evaluation.macro_f1:>10.4f}{evaluation.accuracy:>10.4f}  {per_fold}"
        )
    forgetting = report.forgetting
    if forgetting is None:
        click.echo("forgetting: not available (the base model carries no validation data)")
    else:
        click.echo(
            f"forgetting, on {plural(forgetting['rows'], 'validation text')} of the base's "
            f"domain: macro-F1 {forgetting['base_macro_f1']:.4f} -> {forgetting['macro_f1']:.4f}, "
            f"same label as the base for {forgetting['agreement']:.1%}"
        )
