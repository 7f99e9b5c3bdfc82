"""Benchmark the trainable analyzer's settings search against tuned plain baselines.

    .venv/bin/python bench/training.py [--goemotions DIR] [--xed DIR] [--skip-40k]

On every data set available (GoEmotions train -> dev, single-label Ekman + neutral rows as in
bench/engine.py; XED English, trained on its training part and tested on the held-out fifth that
`emolytics.engine.xed` sets aside, as bench/engine.py does), prints test macro-F1 and training
seconds of: the trainable analyzer choosing its settings (the default), the same with today's
fixed settings, TF-IDF + logistic regression (class-balanced) with C chosen by 3-fold CV, and a
LinearSVC (class-balanced) with C chosen the same way; then ours over the best plain baseline.
Both baselines use word unigrams and bigrams, min_df 2 and sublinear TF, which beat scikit-
learn's defaults on these sets. Finally it times `emolytics train` end to end on 40,000 texts
(GoEmotions train + dev). Every model runs in its own single-threaded process; CPU seconds
beside wall seconds tell a busy machine from a slow model (the search's budget is CPU time).
"""

import argparse
import csv
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from processes import spawn

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared" / "data"
END_TO_END_TEXTS = 40_000
MODELS = ("selection", "fixed", "tfidf-lr", "linear-svm")
BASELINE_C = {"tfidf-lr": (0.5, 1.0, 2.0, 4.0, 8.0, 16.0), "linear-svm": (0.03, 0.1, 0.3, 1.0)}
SEED = 0


# ---- data ----


def goemotions(directory: Path) -> dict[str, list[str]]:
    from emolytics.engine.goemotions import read_split, single_label

    train_texts, train_labels = single_label(read_split(directory, "train"))
    test_texts, test_labels = single_label(read_split(directory, "dev"))
    return {"train_texts": train_texts, "train_labels": train_labels,
            "test_texts": test_texts, "test_labels": test_labels}  # fmt: skip


def xed(directory: Path) -> dict[str, list[str]]:
    """XED English: trained on the training part, tested on the held-out fifth (the same split
    as bench/engine.py, from `emolytics.engine.xed`)."""
    from emolytics.engine.xed import read_xed, single_label, split_rows

    training, held_out = split_rows(read_xed(directory))
    train_texts, train_labels = single_label(training)
    test_texts, test_labels = single_label(held_out)
    return {"train_texts": train_texts, "train_labels": train_labels,
            "test_texts": test_texts, "test_labels": test_labels}  # fmt: skip


# ---- workers: each runs in its own process and prints one JSON object ----


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, predicted, average="macro"))


def worker_trainable(split: dict[str, list[str]], search: bool) -> dict[str, Any]:
    from emolytics.engine import training

    options = training.TrainingOptions() if search else training.TrainingOptions(search=None)
    started, cpu_started = time.perf_counter(), time.process_time()
    report = training.train(split["train_texts"], split["train_labels"], options)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    predicted = [result.label for result in report.model.analyze(split["test_texts"])]
    measured = {"macro_f1": macro_f1(split["test_labels"], predicted), "seconds": seconds,
                "cpu_seconds": cpu_seconds}  # fmt: skip
    if report.selection:
        measured["chosen"] = report.selection.chosen.describe()
        measured["tried"] = len(report.selection.trials)
        measured["stopped"] = report.selection.stopped
    return measured


def worker_baseline(split: dict[str, list[str]], name: str) -> dict[str, Any]:
    """C chosen by stratified 3-fold CV on train (a vectorizer fitted per fold), then refit."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    def classifier(strength: float) -> Any:
        if name == "tfidf-lr":
            return LogisticRegression(C=strength, class_weight="balanced", max_iter=1000)
        return LinearSVC(C=strength, class_weight="balanced")

    def vectorizer() -> TfidfVectorizer:
        return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)

    started, cpu_started = time.perf_counter(), time.process_time()
    texts, labels = np.array(split["train_texts"], dtype=object), np.array(split["train_labels"])
    scores = {strength: [] for strength in BASELINE_C[name]}
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
    for train_rows, test_rows in folds.split(texts, labels):
        fitted = vectorizer()
        train_features = fitted.fit_transform(texts[train_rows])
        test_features = fitted.transform(texts[test_rows])
        for strength in scores:
            model = classifier(strength).fit(train_features, labels[train_rows])
            predicted = model.predict(test_features).tolist()
            scores[strength].append(macro_f1(labels[test_rows].tolist(), predicted))
    best = max(scores, key=lambda strength: float(np.mean(scores[strength])))
    fitted = vectorizer()
    model = classifier(best).fit(fitted.fit_transform(texts), labels)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    predicted = model.predict(fitted.transform(split["test_texts"])).tolist()
    return {"macro_f1": macro_f1(split["test_labels"], predicted), "seconds": seconds,
            "cpu_seconds": cpu_seconds, "chosen": f"C={best:g}"}  # fmt: skip


def worker_end_to_end(csv_path: str) -> dict[str, Any]:
    from emolytics.cli_training import train

    with tempfile.TemporaryDirectory() as directory:
        started, cpu_started = time.perf_counter(), time.process_time()
        train.main([csv_path, "-o", str(Path(directory) / "model.zip")], standalone_mode=False)
        return {"seconds": time.perf_counter() - started,
                "cpu_seconds": time.process_time() - cpu_started}  # fmt: skip


def run_worker(name: str, argument: str) -> None:
    if name == "end-to-end":
        measured = worker_end_to_end(argument)
    else:
        split = json.loads(Path(argument).read_text(encoding="utf-8"))
        if name in BASELINE_C:
            measured = worker_baseline(split, name)
        else:
            measured = worker_trainable(split, search=name == "selection")
    print(json.dumps(measured))


# ---- orchestration ----


def bench_split(title: str, split: dict[str, list[str]]) -> float:
    """Print one data set's table; return ours over the best plain baseline."""
    print(
        f"\n{title}: {len(split['train_texts']):,} train, {len(split['test_texts']):,} test texts"
    )
    rows = {}
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as split_file:
        json.dump(split, split_file)
        split_file.flush()
        for name in MODELS:
            rows[name] = spawn(__file__, name, split_file.name)
    print(f"{'model':<14}{'macro-F1':>9}{'train s':>9}{'CPU s':>8}  settings")
    for name, measured in rows.items():
        settings = measured.get("chosen", "fixed")
        if "tried" in measured:
            stopped = f", stopped by {measured['stopped']}" if measured["stopped"] else ""
            settings += f" (of {measured['tried']} candidates{stopped})"
        print(f"{name:<14}{measured['macro_f1']:>9.4f}{measured['seconds']:>9.1f}"
              f"{measured['cpu_seconds']:>8.1f}  {settings}")  # fmt: skip
    plain = max(rows[name]["macro_f1"] for name in BASELINE_C)
    ratio = rows["selection"]["macro_f1"] / plain
    print(f"selection / best plain baseline: {ratio:.3f}")
    return ratio


def end_to_end(split: dict[str, list[str]]) -> None:
    texts = (split["train_texts"] + split["test_texts"])[:END_TO_END_TEXTS]
    labels = (split["train_labels"] + split["test_labels"])[:END_TO_END_TEXTS]
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["text", "label"])
        writer.writerows(zip(texts, labels, strict=True))
        file.flush()
        measured = spawn(__file__, "end-to-end", file.name)
    print(f"\nemolytics train on {len(texts):,} texts, one core, end to end: "
          f"{measured['seconds']:.1f} s, {measured['cpu_seconds']:.1f} s CPU "
          f"(target < 60 s)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--goemotions", type=Path, default=SHARED / "goemotions")
    parser.add_argument("--xed", type=Path, default=SHARED / "xed")
    parser.add_argument("--skip-40k", action="store_true")
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "ARGUMENT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        run_worker(*arguments.worker)
        return 0
    ratios = {}
    found = {name: path for name, path in (("goemotions", arguments.goemotions),
             ("xed", arguments.xed)) if path.is_dir()}  # fmt: skip
    if "goemotions" in found:
        split = goemotions(found["goemotions"])
        ratios["GoEmotions"] = bench_split("GoEmotions train -> dev", split)
        if not arguments.skip_40k:
            end_to_end(split)
    if "xed" in found:
        ratios["XED"] = bench_split("XED English, stratified 80/20", xed(found["xed"]))
    if not ratios:
        print("no data set found", file=sys.stderr)
        return 1
    worst = min(ratios.items(), key=lambda item: item[1])
    print(f"\nworst ratio to the best plain baseline: {worst[1]:.3f} ({worst[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
