"""Benchmark adapting a base model with corrections: learning curves per domain.

    .venv/bin/python bench/adaptation.py [--xed DIR] [--goemotions DIR] [--sizes 100,300,1000]
        [--draws 3] [--base reddit|default|PATH] [--mark WORD] [--domain 10000]

The base is, unless `--base` says otherwise, the default as it was before it read XED
(`reddit_default`: trained on Reddit comments only), so that XED is a domain it never saw, as
the tweets of issue 13 were. Today's default (`--base default`) was trained on XED's training
part, which the corrections are drawn from: on it the curve measures relearning texts it has
seen.

With `--mark WORD`, every XED text ends with WORD (one the base knows, such as "dialogue"), so a
gate tells the domain from Reddit at once, as it should the hidden tweets of issue 13 (lower
case, "i feel ..."), which subtitles are not: what adapting gives a domain it can recognise.

The training part of XED English (`engine.xed.split_rows`; single-label rows) plays the team's
dataset: `--domain` of its texts (10,000 by default, the most the adaptation job takes of a
dataset) teach the gates what the domain looks like, as the job does with a dataset's texts;
with `--domain 0` they learn it from the corrections alone, as with `emolytics train --base
default` without `--domain`.

For each number of corrections, `--draws` random draws of that many rows from the training
part play the corrections; each draw adapts the base three ways and scores it on XED's
held-out fifth (the team's domain) and on GoEmotions dev (the base's own domain: forgetting):
- base: the model as it is;
- stack: the plain stack the issue measured, logistic regression (class-balanced, C=1) over
  TF-IDF of the corrections (words and pairs, sublinear) and the base's log-scores;
- refit: one regularised refit towards the corrections (`engine.refitting`, L2 0.01 on the
  weight change) with no distillation and no guard: what adapting gains and forgets unchecked;
- adapted: `engine.adaptation.adapt` with the default's shipped reference (GoEmotions rows), as
  `emolytics train --base default` does: distilled refits and gated ones (`engine.gating`),
  chosen by cross-validation under the forgetting guard; each draw's line names its choice.
GoEmotions dev is scored without the rows the adaptation's guard chooses settings on (the odd
lines of engine/data/default-held-out.tsv). Macro-F1 over the 7 labels, mean and standard
deviation over the draws, gains over the base measured in the same run, the worst draw's
gain, and the adaptation's CPU seconds per draw. No third domain: no other labeled emotion
data is on this machine, and the benchmark downloads nothing. Runs on one core.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402 (thread limits must be set before NumPy loads)
import scipy.sparse as sp  # noqa: E402
from reddit_default import reddit_default  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

from emolytics.engine import goemotions, xed  # noqa: E402
from emolytics.engine.adaptation import adapt  # noqa: E402
from emolytics.engine.analyzer import load_analyzer  # noqa: E402
from emolytics.engine.model import LinearModel  # noqa: E402
from emolytics.engine.reference import default_reference, feature_rows  # noqa: E402
from emolytics.engine.refitting import RefitSettings, refit  # noqa: E402
from emolytics.engine.training import forms_of  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared" / "data"
METHODS = ("stack", "refit", "adapted")
PLAIN_REFIT = RefitSettings(strength=0.01, distillation=0.0)

Labeled = tuple[list[str], list[str]]


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    return float(f1_score(gold, predicted, average="macro"))


def predict(model: LinearModel, texts: list[str]) -> list[str]:
    probabilities = model.probabilities([forms_of(text) for text in texts])
    return [model.labels[index] for index in probabilities.argmax(axis=1)]


class Stack:
    """Logistic regression over TF-IDF of the corrections and the default's log-scores."""

    def __init__(self, base: LinearModel, texts: list[str], labels: list[str]) -> None:
        self.base = base
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        features = self._features(texts, fit=True)
        self.classifier = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
        self.classifier.fit(features, labels)

    def _features(self, texts: list[str], fit: bool = False) -> sp.csr_matrix:
        words = self.vectorizer.fit_transform(texts) if fit else self.vectorizer.transform(texts)
        scores = np.log(self.base.probabilities([forms_of(text) for text in texts]) + 1e-9)
        return sp.hstack([words, sp.csr_matrix(scores)], format="csr")

    def predict(self, texts: list[str]) -> list[str]:
        return self.classifier.predict(self._features(texts)).tolist()


def read_domains(xed_dir: Path, goemotions_dir: Path) -> tuple[Labeled, Labeled, Labeled]:
    """(XED training part, XED held-out fifth, GoEmotions dev without the guard rows)."""
    training, held_out = xed.split_rows(xed.read_xed(xed_dir))
    dev_texts, dev_labels = goemotions.single_label(goemotions.read_split(goemotions_dir, "dev"))
    guard = {text for text, _ in default_reference().guard}
    kept = [(text, label) for text, label in zip(dev_texts, dev_labels, strict=True)
            if text not in guard]  # fmt: skip
    dev = ([text for text, _ in kept], [label for _, label in kept])
    return xed.single_label(training), xed.single_label(held_out), dev


def run_draw(
    base: LinearModel, corrections: Labeled, domain: list[str], tests: dict[str, Labeled]
) -> dict[str, Any]:
    """Each method's macro-F1 on each test domain, the adaptation's CPU seconds and what it
    chose."""
    texts, labels = corrections
    started = time.process_time()
    report = adapt(base, texts, labels, reference=default_reference(), domain=domain)
    seconds = time.process_time() - started
    adapted = report.model
    stack = Stack(base, texts, labels)
    gold = np.array([base.labels.index(label) for label in labels])
    plain = refit(base, feature_rows(base, texts), gold, None, PLAIN_REFIT)
    scores: dict[str, Any] = {}
    for domain, (test_texts, test_labels) in tests.items():
        scores[domain] = {
            "stack": macro_f1(test_labels, stack.predict(test_texts)),
            "refit": macro_f1(test_labels, predict(plain, test_texts)),
            "adapted": macro_f1(test_labels, predict(adapted, test_texts)),
        }
    scores["seconds"] = {"adapted": seconds}
    scores["chosen"] = report.chosen.candidate.describe() if report.chosen else "the default"
    return scores


def summary(values: list[float]) -> str:
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.4f} ± {spread:.4f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xed", type=Path, default=SHARED / "xed")
    parser.add_argument("--goemotions", type=Path, default=SHARED / "goemotions")
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--base", default="reddit", help="reddit, default or a model's path")
    parser.add_argument("--mark", default="", help="a word to end every XED text with")
    parser.add_argument("--domain", type=int, default=10_000,
                        help="unlabeled XED texts the gates learn the domain from")  # fmt: skip
    arguments = parser.parse_args()
    if not (arguments.xed.is_dir() and arguments.goemotions.is_dir()):
        print("XED English and GoEmotions are both needed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as directory:
        if arguments.base == "reddit":
            path, source = reddit_default(Path(directory), None)
            if path is None:
                print(f"the Reddit-only default: {source}", file=sys.stderr)
                return 1
        else:
            path, source = arguments.base, arguments.base
        base = load_analyzer(path)
    print(f"base: {source}")
    training, held_out, dev = read_domains(arguments.xed, arguments.goemotions)
    if arguments.mark:
        if not base.knows(arguments.mark):
            print(f"the base does not know {arguments.mark!r}: a gate could not see it",
                  file=sys.stderr)  # fmt: skip
            return 1
        print(f"every XED text ends with {arguments.mark!r}")
        training, held_out = (([f"{text} {arguments.mark}" for text in texts], labels)
                              for texts, labels in (training, held_out))  # fmt: skip
    tests = {"XED held-out": held_out, "GoEmotions dev": dev}
    defaults = {domain: macro_f1(labels, predict(base, texts))
                for domain, (texts, labels) in tests.items()}  # fmt: skip
    print(f"corrections drawn from {len(training[0]):,} XED training rows; tested on "
          f"{len(held_out[0]):,} XED held-out and {len(dev[0]):,} GoEmotions dev rows")  # fmt: skip
    unlabeled = min(max(arguments.domain, 0), len(training[0]))
    domain = random.Random("domain").sample(training[0], unlabeled)
    print(f"the gates learn the domain from {unlabeled:,} unlabeled XED training texts too")
    print(f"{arguments.draws} draws per size; macro-F1 mean ± standard deviation over draws\n")
    results: dict[int, list[dict[str, Any]]] = {}
    for size in (int(size) for size in arguments.sizes.split(",")):
        results[size] = []
        for draw in range(arguments.draws):
            rows = random.Random(f"draw-{size}-{draw}").sample(range(len(training[0])), size)
            corrections = ([training[0][row] for row in rows], [training[1][row] for row in rows])
            results[size].append(run_draw(base, corrections, domain, tests))
            measured = results[size][-1]
            print(f"  {size} corrections, draw {draw + 1}: " + "; ".join(
                f"{domain} " + " ".join(f"{method} {scores[method]:.4f}" for method in METHODS)
                for domain, scores in measured.items() if domain in tests
            ) + f" ({measured['seconds']['adapted']:.1f} s CPU; chose {measured['chosen']})",
                  flush=True)  # fmt: skip
    for domain, default in defaults.items():
        print(f"\n{domain}: base {default:.4f}")
        print(f"{'corrections':>11}" + "".join(f"{method:>17}" for method in METHODS)
              + "".join(f"{method + ' gain':>14}" for method in METHODS)
              + f"{'worst adapted':>15}")  # fmt: skip
        for size, draws in results.items():
            scores = {method: [draw[domain][method] for draw in draws] for method in METHODS}
            print(f"{size:>11}" + "".join(f"{summary(scores[method]):>17}" for method in METHODS)
                  + "".join(f"{statistics.mean(scores[method]) - default:>+14.4f}"
                            for method in METHODS)
                  + f"{min(scores['adapted']) - default:>+15.4f}")  # fmt: skip
    seconds = [draw["seconds"]["adapted"] for draws in results.values() for draw in draws]
    print(f"\nadaptation CPU seconds per draw: max {max(seconds):.1f}, mean "
          f"{statistics.mean(seconds):.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
