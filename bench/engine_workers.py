"""The models `bench/engine.py` measures, each run in its own process (see `run_worker`).

A worker reads the split file (JSON: training texts and labels, each domain's evaluation texts
and labels, the texts to time, the reference model's path), scores every domain and prints one
JSON object. Quality is computed in plain Python: the NRCLex environment has no scikit-learn.
"""

import json
import os
import re
import resource
import time
from collections import Counter
from pathlib import Path
from typing import Any

SPEED_TEXTS = 20_000  # texts scored per speed measurement (the timing texts repeated)
BATCH = 1024
EKMAN = ("anger", "disgust", "fear", "joy", "sadness", "surprise")
WORD_RE = re.compile(r"[a-z']+")
Predict = Any  # a function from a list of texts to a list of labels


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(predict: Predict, texts: list[str]) -> float:
    """Texts per second of `predict` over SPEED_TEXTS texts, scored BATCH at a time."""
    repeated = (texts * (SPEED_TEXTS // len(texts) + 1))[:SPEED_TEXTS]
    started = time.perf_counter()
    for start in range(0, len(repeated), BATCH):
        predict(repeated[start : start + BATCH])
    return len(repeated) / (time.perf_counter() - started)


def quality(gold: list[str], predicted: list[str]) -> dict[str, float]:
    """Macro-F1 (over labels present in gold or predictions, as scikit-learn) and accuracy."""
    f1_scores = []
    for name in sorted(set(gold) | set(predicted)):
        true_positive = sum(g == p == name for g, p in zip(gold, predicted, strict=True))
        total = predicted.count(name) + gold.count(name)
        f1_scores.append(2 * true_positive / total if total else 0.0)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    return {"macro_f1": sum(f1_scores) / len(f1_scores), "accuracy": accuracy}


def measure(predict: Predict, split: dict[str, Any]) -> dict[str, Any]:
    """Quality on every domain, then speed on the timing texts."""
    domains = {
        name: quality(domain["labels"], predict(domain["texts"]))
        for name, domain in split["domains"].items()
    }
    return {"domains": domains, "texts_per_s": speed(predict, split["speed_texts"])}


def measure_analyzer(analyzer: Any, split: dict[str, Any]) -> dict[str, Any]:
    """`measure` for an Emolytics model, with its calibration on every domain from the same
    scores."""
    scored = {name: analyzer.analyze(domain["texts"]) for name, domain in split["domains"].items()}

    def predict(texts: list[str]) -> list[str]:
        return [result.label for result in analyzer.analyze(texts)]

    labels = {name: domain["labels"] for name, domain in split["domains"].items()}
    return {
        "domains": {
            name: quality(labels[name], [result.label for result in results])
            for name, results in scored.items()
        },
        "texts_per_s": speed(predict, split["speed_texts"]),
        "calibration": {
            name: calibration(results, labels[name]) for name, results in scored.items()
        },
    }


def calibration(results: list[Any], gold: list[str]) -> dict[str, float]:
    """How sure a model says it is against how often it is right: the mean top score, and the
    expected calibration error (over ten bins of the top score, the gap between a bin's mean
    top score and its accuracy, weighted by its share of the texts)."""
    bins: dict[int, list[float]] = {}
    for result, label in zip(results, gold, strict=True):
        top = result.scores[result.label]
        gap = bins.setdefault(min(int(top * 10), 9), [0.0])
        gap[0] += top - (result.label == label)
    return {
        "mean_top_score": sum(result.scores[result.label] for result in results) / len(results),
        "calibration_error": sum(abs(gap) for [gap] in bins.values()) / len(results),
    }


def analyzer_worker(model: str) -> Any:
    def worker(split: dict[str, Any]) -> dict[str, Any]:
        started = time.perf_counter()
        from emolytics.engine import load_analyzer

        analyzer = load_analyzer(split["reference_model"] if model == "reference" else model)
        load_seconds = time.perf_counter() - started
        return {**measure_analyzer(analyzer, split), "load_s": load_seconds}

    return worker


def worker_majority(split: dict[str, Any]) -> dict[str, Any]:
    majority = Counter(split["train_labels"]).most_common(1)[0][0]
    return measure(lambda texts: [majority for _ in texts], split)


def sklearn_worker(recipe: str) -> Any:
    def worker(split: dict[str, Any]) -> dict[str, Any]:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.naive_bayes import MultinomialNB
        from sklearn.pipeline import make_pipeline

        classifier = (
            MultinomialNB() if recipe == "naive-bayes" else LogisticRegression(max_iter=1000)
        )
        pipeline = make_pipeline(TfidfVectorizer(), classifier)
        started = time.perf_counter()
        pipeline.fit(split["train_texts"], split["train_labels"])
        fit_seconds = time.perf_counter() - started
        measured = measure(lambda texts: pipeline.predict(texts).tolist(), split)
        return {**measured, "fit_s": fit_seconds}

    return worker


def worker_trainable(split: dict[str, Any]) -> dict[str, Any]:
    from emolytics.engine import training

    started = time.perf_counter()
    model = training.fit_model(split["train_texts"], split["train_labels"])
    fit_seconds = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    report = training.train(split["train_texts"], split["train_labels"])
    train_seconds = time.perf_counter() - started
    train_cpu_seconds = time.process_time() - cpu_started

    return {
        **measure_analyzer(model, split),
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

    return measure(lambda texts: [label(text) for text in texts], split)


def worker_cli(input_path: str) -> dict[str, Any]:
    from emolytics.cli_engine import analyze

    started = time.perf_counter()
    analyze.main([input_path, "-o", os.devnull], standalone_mode=False)
    return {"seconds": time.perf_counter() - started}


WORKERS = {
    "default": analyzer_worker("default"),
    "reference": analyzer_worker("reference"),
    "majority": worker_majority,
    "naive-bayes": sklearn_worker("naive-bayes"),
    "tfidf-logreg": sklearn_worker("tfidf-logreg"),
    "trainable": worker_trainable,
    "nrclex": worker_nrclex,
}


def run_worker(name: str, argument: str) -> None:
    """Measure one model (or the CLI on one input file) and print the figures as JSON."""
    if name == "cli":
        measured = worker_cli(argument)
    else:
        measured = WORKERS[name](json.loads(Path(argument).read_text(encoding="utf-8")))
    measured["peak_mb"] = peak_memory_mb()
    print(json.dumps(measured))
