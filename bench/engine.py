"""Benchmark the emotion engine on every domain, against today's model and plain baselines.

    .venv/bin/python bench/engine.py [--data DIR] [--lines 1000000] [--skip-nrclex]
        [--skip-memory] [--reference-model PATH]

DIR (default ../shared/data) holds `goemotions/` and `xed/`. One run measures, on each domain's
single-label rows (Ekman 6 + neutral): GoEmotions dev (Reddit; policy `ekman-unique`) and the
held-out fifth of XED English (film subtitles; `engine.xed.split_rows`, never trained or tuned
on). Models: the default analyzer of this checkout; today's default, as shipped at commit
REFERENCE_COMMIT (read with `git show`, or from `--reference-model` when git cannot); a majority
baseline, TF-IDF + multinomial naive Bayes (the original Emolytics recipe), plain TF-IDF +
logistic regression and the trainable analyzer, all four fitted on the training data of both
domains (GoEmotions train and XED's training part, single-label rows); NRCLex through its
token-list path. Each model's macro-F1 and accuracy per domain, their mean, texts/s on one core
(GoEmotions dev texts) and peak memory; how sure the defaults and the trainable analyzer say
they are against how often they are right (mean top score, expected calibration error over ten
bins of it); the load time and file size of both defaults; the trainable analyzer's training
time; and whether `emolytics analyze` keeps flat memory over a generated input of `--lines`
lines (written to the temp directory, deleted afterwards).

Every model runs in its own single-threaded process (`engine_workers.py`) so that its peak memory
is its own. NRCLex (research-only lexicon, never a project dependency) runs from its own virtual
environment, created on first use with:

    python3 -m venv bench/.venv-nrclex && bench/.venv-nrclex/bin/pip install nrclex
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from engine_workers import run_worker
from processes import spawn
from reddit_default import REFERENCE_COMMIT, reddit_default

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
NRCLEX_VENV = REPO_ROOT / "bench" / ".venv-nrclex"
MODELS = ("default", "reference", "majority", "naive-bayes", "tfidf-logreg", "trainable")
DOMAIN_NAMES = {"goemotions-dev": "GoEmotions dev", "xed-held-out": "XED held-out"}


def load_split(data: Path) -> dict[str, Any]:
    """Training rows of both domains, each domain's evaluation rows, the texts to time."""
    from emolytics.engine import goemotions, xed

    train_texts, train_labels = goemotions.single_label(
        goemotions.read_split(data / "goemotions", "train")
    )
    dev_texts, dev_labels = goemotions.single_label(
        goemotions.read_split(data / "goemotions", "dev")
    )
    xed_training, xed_held_out = xed.split_rows(xed.read_xed(data / "xed"))
    xed_train_texts, xed_train_labels = xed.single_label(xed_training)
    xed_texts, xed_labels = xed.single_label(xed_held_out)
    return {
        "train_texts": train_texts + xed_train_texts,
        "train_labels": train_labels + xed_train_labels,
        "domains": {
            "goemotions-dev": {"texts": dev_texts, "labels": dev_labels},
            "xed-held-out": {"texts": xed_texts, "labels": xed_labels},
        },
        "speed_texts": dev_texts,
    }


def nrclex_python() -> Path | None:
    """The NRCLex environment's interpreter, creating it if needed; None if it cannot be."""
    python = NRCLEX_VENV / "bin" / "python"
    if not python.exists():
        steps = [
            [sys.executable, "-m", "venv", str(NRCLEX_VENV)],
            [str(python), "-m", "pip", "install", "--quiet", "nrclex"],
        ]
        for step in steps:
            if subprocess.run(step, capture_output=True, check=False).returncode != 0:
                return None
    return python


def print_table(rows: dict[str, dict[str, Any]]) -> None:
    header = "".join(f"{DOMAIN_NAMES[name]:>20}" for name in DOMAIN_NAMES)
    print(f"{'':<22}{header}")
    columns = "".join(f"{'macro-F1':>11}{'acc':>9}" for _ in DOMAIN_NAMES)
    print(f"{'model':<22}{columns}{'mean F1':>9}{'texts/s':>13}{'peak MB':>9}")
    for name, measured in rows.items():
        if "error" in measured:
            print(f"{name:<22} not measured: {measured['error']}")
            continue
        domains = [measured["domains"][domain] for domain in DOMAIN_NAMES]
        cells = "".join(f"{d['macro_f1']:>11.4f}{d['accuracy']:>9.4f}" for d in domains)
        mean = sum(d["macro_f1"] for d in domains) / len(domains)
        print(
            f"{name:<22}{cells}{mean:>9.4f}"
            f"{measured['texts_per_s']:>13,.0f}{measured['peak_mb']:>9.0f}"
        )


def memory_check(dev_texts: list[str], lines: int) -> None:
    """Peak memory of `emolytics analyze` on 1% of `lines` and on all of them."""
    flat = [" ".join(text.split()) for text in dev_texts]
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        for count in (lines // 100, lines):
            path = Path(directory) / f"texts-{count}.txt"
            with path.open("w", encoding="utf-8") as stream:
                for number in range(count):
                    stream.write(flat[number % len(flat)] + "\n")
            results[count] = spawn(__file__, "cli", str(path))
            path.unlink()
    for count, measured in results.items():
        rate = count / measured["seconds"]
        print(
            f"emolytics analyze, {count:>9,} lines: peak {measured['peak_mb']:.0f} MB, "
            f"{measured['seconds']:.1f} s ({rate:,.0f} lines/s)"
        )


def measure_models(split: dict[str, Any], skip_nrclex: bool) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as split_file:
        json.dump(split, split_file)
        split_file.flush()
        for name in MODELS:
            if name == "reference" and split["reference_model"] is None:
                rows[name] = {"error": "today's model not found"}
                continue
            rows[name] = spawn(__file__, name, split_file.name)
        python = None if skip_nrclex else nrclex_python()
        if python is None:
            rows["nrclex"] = {"error": "skipped or could not be installed (offline?)"}
        else:
            try:
                rows["nrclex"] = spawn(__file__, "nrclex", split_file.name, python)
            except RuntimeError as error:
                rows["nrclex"] = {"error": str(error)}
    return rows


def print_models(rows: dict[str, dict[str, Any]], split: dict[str, Any], source: str) -> None:
    from emolytics.engine.analyzer import default_model_path

    rows = {
        f"default {'(this tree)':>11}": rows.pop("default"),
        f"default @{REFERENCE_COMMIT}": rows.pop("reference"),
        **rows,
    }
    print_table(rows)
    print(f"today's default (@{REFERENCE_COMMIT}) read from: {source}")
    sizes = {"this tree": default_model_path(), REFERENCE_COMMIT: split["reference_model"]}
    for (name, path), measured in zip(sizes.items(), list(rows.values())[:2], strict=True):
        if path is None or "error" in measured:
            continue
        print(
            f"default ({name}): load {measured['load_s']:.3f} s (import + load, fresh process), "
            f"{Path(path).stat().st_size / 1e6:.2f} MB"
        )
    for name, measured in rows.items():
        if "calibration" in measured:
            accuracy = {domain: d["accuracy"] for domain, d in measured["domains"].items()}
            cells = ", ".join(
                f"{DOMAIN_NAMES[domain]} {c['calibration_error']:.3f} "
                f"(says {c['mean_top_score']:.3f}, right {accuracy[domain]:.3f})"
                for domain, c in measured["calibration"].items()
            )
            print(f"calibration error of {name.strip()}: {cells}")
    trainable = rows["trainable"]
    print(
        f"trainable analyzer on {len(split['train_texts'])} train texts: "
        f"fit {trainable['fit_s']:.1f} s, "
        f"with 5-fold cross-validation {trainable['train_with_cv_s']:.1f} s "
        f"({trainable['train_with_cv_cpu_s']:.1f} s CPU), "
        f"CV macro-F1 {trainable['cv_macro_f1']:.4f}; "
        f"plain TF-IDF + LR fit {rows['tfidf-logreg']['fit_s']:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--skip-nrclex", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--reference-model", type=Path, help="today's model, if git cannot")
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "ARGUMENT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        run_worker(*arguments.worker)
        return 0

    split = load_split(arguments.data)
    sizes = ", ".join(
        f"{DOMAIN_NAMES[name]} {len(domain['texts'])}" for name, domain in split["domains"].items()
    )
    print(f"single-label rows: {sizes}; training (both domains) {len(split['train_texts'])}; "
          f"one core per model")  # fmt: skip
    with tempfile.TemporaryDirectory() as directory:
        split["reference_model"], source = reddit_default(
            Path(directory), arguments.reference_model
        )
        rows = measure_models(split, arguments.skip_nrclex)
        print_models(rows, split, source)
    if not arguments.skip_memory:
        memory_check(split["speed_texts"], arguments.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
