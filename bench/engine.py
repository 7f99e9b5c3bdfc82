"""Benchmark the emotion engine against baselines on GoEmotions dev (Ekman + neutral).

    .venv/bin/python bench/engine.py [--data DIR] [--lines 1000000] [--skip-nrclex]

One run measures, on dev.tsv's single-label rows (policy `ekman-unique`): macro-F1, accuracy,
texts/s on one core and peak memory for the default analyzer, a majority baseline, TF-IDF +
multinomial naive Bayes (the original Emolytics recipe), plain TF-IDF + logistic regression,
the trainable analyzer fitted on train, and NRCLex through its token-list path. It also times
loading the default model and training, and checks that `emolytics analyze` keeps flat memory
over a generated input of `--lines` lines (written to the temp directory, deleted afterwards).

Every model runs in its own single-threaded process so that its peak memory is its own. NRCLex
(research-only lexicon, never a project dependency) runs from its own virtual environment,
created on first use with:

    python3 -m venv bench/.venv-nrclex && bench/.venv-nrclex/bin/pip install nrclex
"""

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "goemotions"
NRCLEX_VENV = REPO_ROOT / "bench" / ".venv-nrclex"
SPEED_TEXTS = 20_000  # texts scored per speed measurement (dev repeated)
BATCH = 1024
EKMAN = ("anger", "disgust", "fear", "joy", "sadness", "surprise")
SINGLE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
WORD_RE = re.compile(r"[a-z']+")


# ---- workers: each runs in its own process and prints one JSON object ----


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(predict: Any, texts: list[str]) -> float:
    """Texts per second of `predict` over SPEED_TEXTS texts, scored BATCH at a time."""
    repeated = (texts * (SPEED_TEXTS // len(texts) + 1))[:SPEED_TEXTS]
    started = time.perf_counter()
    for start in range(0, len(repeated), BATCH):
        predict(repeated[start : start + BATCH])
    return len(repeated) / (time.perf_counter() - started)


def quality(gold: list[str], predicted: list[str]) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "macro_f1": float(f1_score(gold, predicted, average="macro")),
        "accuracy": float(accuracy_score(gold, predicted)),
    }


def worker_default(split: dict[str, Any]) -> dict[str, Any]:
    started = time.perf_counter()
    from emolytics.engine import load_analyzer

    analyzer = load_analyzer()
    load_seconds = time.perf_counter() - started

    def predict(texts: list[str]) -> list[str]:
        return [result.label for result in analyzer.analyze(texts)]

    measured = quality(split["dev_labels"], predict(split["dev_texts"]))
    return {**measured, "texts_per_s": speed(predict, split["dev_texts"]), "load_s": load_seconds}


def worker_majority(split: dict[str, Any]) -> dict[str, Any]:
    majority = Counter(split["train_labels"]).most_common(1)[0][0]

    def predict(texts: list[str]) -> list[str]:
        return [majority for _ in texts]

    measured = quality(split["dev_labels"], predict(split["dev_texts"]))
    return {**measured, "texts_per_s": speed(predict, split["dev_texts"])}


def worker_sklearn(split: dict[str, Any], recipe: str) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    classifier = MultinomialNB() if recipe == "naive-bayes" else LogisticRegression(max_iter=1000)
    pipeline = make_pipeline(TfidfVectorizer(), classifier)
    started = time.perf_counter()
    pipeline.fit(split["train_texts"], split["train_labels"])
    fit_seconds = time.perf_counter() - started

    def predict(texts: list[str]) -> list[str]:
        return pipeline.predict(texts).tolist()

    measured = quality(split["dev_labels"], predict(split["dev_texts"]))
    speed_measured = speed(predict, split["dev_texts"])
    return {**measured, "texts_per_s": speed_measured, "fit_s": fit_seconds}


def worker_trainable(split: dict[str, Any]) -> dict[str, Any]:
    from emolytics.engine import training

    started = time.perf_counter()
    model = training.fit_model(split["train_texts"], split["train_labels"])
    fit_seconds = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    report = training.train(split["train_texts"], split["train_labels"])
    train_seconds = time.perf_counter() - started
    train_cpu_seconds = time.process_time() - cpu_started

    def predict(texts: list[str]) -> list[str]:
        return [result.label for result in model.analyze(texts)]

    measured = quality(split["dev_labels"], predict(split["dev_texts"]))
    return {
        **measured,
        "texts_per_s": speed(predict, split["dev_texts"]),
        "fit_s": fit_seconds,
        "train_with_cv_s": train_seconds,
        "train_with_cv_cpu_s": train_cpu_seconds,
        "cv_macro_f1": report.cross_validation.macro_f1,
    }


def worker_nrclex(split: dict[str, Any]) -> dict[str, Any]:
    """NRCLex through `load_token_list` (no TextBlob, no NLTK corpora); top Ekman emotion."""
    from nrclex import NRCLex

    lexicon = NRCLex()

    def label(text: str) -> str:
        lexicon.load_token_list(WORD_RE.findall(text.lower()))
        scores = {emotion: lexicon.raw_emotion_scores.get(emotion, 0) for emotion in EKMAN}
        best = max(EKMAN, key=scores.__getitem__)
        return best if scores[best] else "neutral"

    def predict(texts: list[str]) -> list[str]:
        return [label(text) for text in texts]

    predicted = predict(split["dev_texts"])
    gold = split["dev_labels"]
    labels = sorted(set(gold) | set(predicted))
    f1_scores = []
    for name in labels:  # plain Python: this environment has no scikit-learn
        true_positive = sum(g == p == name for g, p in zip(gold, predicted, strict=True))
        predicted_count, gold_count = predicted.count(name), gold.count(name)
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / gold_count if gold_count else 0.0
        total = precision + recall
        f1_scores.append(2 * precision * recall / total if total else 0.0)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    return {
        "macro_f1": sum(f1_scores) / len(f1_scores),
        "accuracy": accuracy,
        "texts_per_s": speed(predict, split["dev_texts"]),
    }


def worker_cli(input_path: str) -> dict[str, Any]:
    from emolytics.cli_engine import analyze

    started = time.perf_counter()
    analyze.main([input_path, "-o", os.devnull], standalone_mode=False)
    return {"seconds": time.perf_counter() - started}


def run_worker(name: str, argument: str) -> None:
    if name == "cli":
        measured = worker_cli(argument)
    else:
        split = json.loads(Path(argument).read_text(encoding="utf-8"))
        if name in ("naive-bayes", "tfidf-logreg"):
            measured = worker_sklearn(split, name)
        else:
            measured = {
                "default": worker_default,
                "majority": worker_majority,
                "trainable": worker_trainable,
                "nrclex": worker_nrclex,
            }[name](split)
    measured["peak_mb"] = peak_memory_mb()
    print(json.dumps(measured))


# ---- orchestration ----


def spawn(python: Path, name: str, argument: str) -> dict[str, Any]:
    completed = subprocess.run(
        [str(python), str(Path(__file__).resolve()), "--worker", name, argument],
        capture_output=True,
        text=True,
        env={**os.environ, **SINGLE_CORE},
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{name} failed: {completed.stderr.strip().splitlines()[-1:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def load_split(data: Path) -> dict[str, Any]:
    from emolytics.engine.goemotions import read_split, single_label

    train_texts, train_labels = single_label(read_split(data, "train"))
    dev_texts, dev_labels = single_label(read_split(data, "dev"))
    return {
        "train_texts": train_texts,
        "train_labels": train_labels,
        "dev_texts": dev_texts,
        "dev_labels": dev_labels,
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
    majority = rows["majority"]["macro_f1"]
    bayes = rows["naive-bayes"]["macro_f1"]
    print(
        f"{'model':<22}{'macro-F1':>9}{'accuracy':>9}{'texts/s':>12}{'peak MB':>9}"
        f"{'F1 x majority':>15}{'F1 x NB':>9}"
    )
    for name, measured in rows.items():
        if "error" in measured:
            print(f"{name:<22} not measured: {measured['error']}")
            continue
        print(
            f"{name:<22}{measured['macro_f1']:>9.4f}{measured['accuracy']:>9.4f}"
            f"{measured['texts_per_s']:>12,.0f}{measured['peak_mb']:>9.0f}"
            f"{measured['macro_f1'] / majority:>15.2f}{measured['macro_f1'] / bayes:>9.2f}"
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
            results[count] = spawn(Path(sys.executable), "cli", str(path))
            path.unlink()
    for count, measured in results.items():
        rate = count / measured["seconds"]
        print(
            f"emolytics analyze, {count:>9,} lines: peak {measured['peak_mb']:.0f} MB, "
            f"{measured['seconds']:.1f} s ({rate:,.0f} lines/s)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--skip-nrclex", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "ARGUMENT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        run_worker(*arguments.worker)
        return 0

    split = load_split(arguments.data)
    print(f"GoEmotions dev, single-label rows: {len(split['dev_texts'])}; train: "
          f"{len(split['train_texts'])}; one core per model")  # fmt: skip
    rows: dict[str, dict[str, Any]] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as split_file:
        json.dump(split, split_file)
        split_file.flush()
        for name in ("default", "majority", "naive-bayes", "tfidf-logreg", "trainable"):
            rows[name] = spawn(Path(sys.executable), name, split_file.name)
        python = None if arguments.skip_nrclex else nrclex_python()
        if python is None:
            rows["nrclex"] = {"error": "skipped or could not be installed (offline?)"}
        else:
            try:
                rows["nrclex"] = spawn(python, "nrclex", split_file.name)
            except RuntimeError as error:
                rows["nrclex"] = {"error": str(error)}
    print_table(rows)
    default, trainable = rows["default"], rows["trainable"]
    print(f"default model load: {default['load_s']:.3f} s (import + load, fresh process)")
    print(
        f"trainable analyzer on {len(split['train_texts'])} train texts: "
        f"fit {trainable['fit_s']:.1f} s, "
        f"with 5-fold cross-validation {trainable['train_with_cv_s']:.1f} s "
        f"({trainable['train_with_cv_cpu_s']:.1f} s CPU), "
        f"CV macro-F1 {trainable['cv_macro_f1']:.4f}; "
        f"plain TF-IDF + LR fit {rows['tfidf-logreg']['fit_s']:.1f} s"
    )
    if not arguments.skip_memory:
        memory_check(split["dev_texts"], arguments.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
