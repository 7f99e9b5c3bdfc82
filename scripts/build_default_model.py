"""Rebuild the default emotion model shipped in `src/emolytics/engine/data/` from two domains.

    .venv/bin/python scripts/build_default_model.py [GOEMOTIONS_DIR] [--xed XED_DIR]
        -o MODEL_FILE [--c C] [--xed-weight WEIGHT]

Training data (read from ../shared/data/ by default; nothing is downloaded): GoEmotions train,
XED English's training part and seed emoji and words (`default_corpus.py` says which rows and
why); an XED row weighs `xed_weight`.

Model: logistic regression (L-BFGS, inverse regularisation `c`, stopped at `TOLERANCE`) plus, on
the same features, complement naive Bayes, a linear SVM and NB-scaled one-vs-rest logistic
regressions ("NBSVM", Wang and Manning 2012: each label's binary regression reads the features
scaled by their naive Bayes log-count ratio for that label, so the weights fold back into one
column per label; its XED rows weigh `NBSVM_XED_WEIGHT`), their weights times `nb_weight`,
`svm_weight` and `nbsvm_weight`, summed into one linear model; then per-label offsets and the
score temperature (scores are softmax(logits / T): the summed layer is surer than it is right);
last, `feeling_words.py` teaches it the words and word pairs that name a feeling, without
refitting.

Every choice is made on 5-fold out-of-fold predictions over the training data, each score the
mean over two fold splits (`FOLD_SEEDS`); the GoEmotions dev and XED held-out splits are never
used. The per-label offsets maximise GoEmotions' out-of-fold macro-F1 (single-label rows) alone:
it is the default's home domain and the larger, cleaner labelled set, while XED's label
proportions differ (offsets tuned to both domains cost GoEmotions dev 0.015 in an earlier build).
The score temperature has the least out-of-fold log-loss on the single-label rows, XED's counting
as in the blend's choice: 1.9, which changes no label; measured afterwards on GoEmotions dev, the
mean top score falls from 0.82 to 0.66 against an accuracy of 0.68 (expected calibration error
0.145 to 0.036), and on XED held-out from 0.80 to 0.61 against 0.49 (0.307 to 0.118).
The blend (`default_blend.py`: `NB_WEIGHTS`, `NB_ALPHAS`, `SVM_WEIGHTS`, `NBSVM_WEIGHTS`) is
scored, with its offsets, as each domain's macro-F1, XED's counting `XED_SHARE` of GoEmotions';
blends differ by about 0.002, which is noise, so the build takes the simplest (`simplicity`:
fewest parts, then smallest weights) within `BLEND_TOLERANCE` of the best, and prints every score.
`c` and `xed_weight` (`CHOSEN`) were picked by comparing out-of-fold scores between settings:
XED rows at 0.3 cost GoEmotions 0.003 to 0.006 out-of-fold against XED rows at 0 (the
GoEmotions-only recipe: out-of-fold 0.592, dev 0.601 with this tolerance; 0.602 at 0d9d3f4).
Runs on one core and is deterministic: rerunning it on the same data with the same NumPy, SciPy
and scikit-learn (recorded in the file's `built_with`) gives a byte-identical file. Other versions
may move the point where L-BFGS stops, and with it GoEmotions dev by a few thousandths.
The shipped file is this recipe's build at commit 50003d0: logistic regression plus NBSVM (weight
1.0, its XED rows at 1.0), out-of-fold 0.590 GoEmotions and 0.357 XED, against 0.588 and 0.337 for
the blend shipped before it (LR + NB + SVM). It scored 0.6090 on GoEmotions dev and 0.3594 on XED
held-out (0.6089 and 0.3576 before the words were taught), against that blend's 0.604 and 0.344
and the GoEmotions-only model of commit 0d9d3f4's 0.602 and 0.298 (`bench/engine.py`). Since then
the tokenizer leaves a negation that intensifies unmarked ("never been this sad", 3330ae3), which
reads the same weights as 0.6095 and 0.3598, and `feeling_words.py` has taught the file the negated
feeling words: 0.6099 and 0.3598. Rebuilt with today's tokenizer, the recipe chooses NBSVM at 1.5
and a score temperature of 2.5 (out-of-fold 0.589 and 0.356) and scores 0.6042 and 0.3624: lower
at home, so the shipped file stays that build, taught.
"""

import argparse
import os
import sys
import time
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402 (thread limits must be set before NumPy loads)
from default_blend import (  # noqa: E402 (scripts/ is on the path when run as a script)
    CHOSEN,
    NB_ALPHAS,
    XED_SHARE,
    Objective,
    Settings,
    blended,
    choose_blend,
)
from default_corpus import (  # noqa: E402
    DOMAINS,
    SEED_EMOJI,
    SEED_WEIGHT,
    SEED_WORDS,
    SOURCES,
    Corpus,
    read_corpus,
)
from feeling_words import details_with, taught  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.naive_bayes import ComplementNB  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from emolytics.engine.analyzer import DEFAULT_MODEL_FILE  # noqa: E402
from emolytics.engine.artifacts import save_model  # noqa: E402
from emolytics.engine.errors import EngineError  # noqa: E402
from emolytics.engine.features import FeatureCounts  # noqa: E402
from emolytics.engine.labels import EMOTIONS  # noqa: E402
from emolytics.engine.model import LinearModel, centred  # noqa: E402
from emolytics.engine.training import FOLDS, SEED  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
SHIPPED_MODEL = REPO_ROOT / "src" / "emolytics" / "engine" / "data" / DEFAULT_MODEL_FILE
MIN_DF = 2
# L-BFGS stops here, after about 150 iterations: the shipped model's setting. Stopping early
# regularises; at 1e-4 the GoEmotions-only rebuild fell from dev 0.601 to 0.590-0.594.
TOLERANCE = 1e-3
MAX_ITERATIONS = 3000
SVM_C = 0.1
NBSVM_C = 2.0  # each label's binary regression (liblinear) in NBSVM
NBSVM_ALPHA = 0.5  # smoothing of NBSVM's naive Bayes log-count ratios
FOLD_SEEDS = (SEED, SEED + 1)  # two fold splits; every out-of-fold score is their mean
# NBSVM's XED rows weigh 1: at 0.3 (as in the regression), its log-count ratios are Reddit's and
# the best blend's XED out-of-fold score fell below the blend without NBSVM (0.333 against 0.337)
# while GoEmotions' rose to 0.598; at 1, both rose (0.590 and 0.357 against 0.588 and 0.337).
NBSVM_XED_WEIGHT = 1.0


def fit_parts(
    corpus: Corpus,
    counts: FeatureCounts,
    rows: np.ndarray,
    settings: Settings,
    alphas: Any,
) -> tuple[Any, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Fit on the examples whose row is in `rows`: the vectorizer, the logistic regression's
    weights and intercept, and the centred weights of the blended parts: naive Bayes' log-weights
    for each alpha (`nb <alpha>`), the linear SVM's (`svm`) and NBSVM's (`nbsvm`)."""
    row_indexes, targets, _ = corpus.examples
    vectorizer, features = counts.fit(rows, MIN_DF)
    position = np.full(len(corpus.texts), -1)
    position[rows] = np.arange(len(rows))
    chosen = np.flatnonzero(position[row_indexes] >= 0)
    example_features = features[position[row_indexes[chosen]]]
    weights = corpus.weights(settings.xed_weight)[chosen]
    regression = LogisticRegression(C=settings.c, tol=TOLERANCE, max_iter=MAX_ITERATIONS)
    regression.fit(example_features, targets[chosen], sample_weight=weights)
    parts = {
        f"nb {alpha}": ComplementNB(alpha=alpha)
        .fit(example_features, targets[chosen], sample_weight=weights)
        .feature_log_prob_.T
        for alpha in alphas
    }
    svm = LinearSVC(C=SVM_C, max_iter=MAX_ITERATIONS, random_state=SEED)
    parts["svm"] = svm.fit(example_features, targets[chosen], sample_weight=weights).coef_.T
    nbsvm_rows = corpus.weights(NBSVM_XED_WEIGHT)[chosen]
    parts["nbsvm"] = nbsvm(example_features, targets[chosen], nbsvm_rows)
    centred_parts = {name: centred(part) for name, part in parts.items()}
    return vectorizer, centred(regression.coef_.T), regression.intercept_, centred_parts


def nbsvm(features: Any, targets: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """NBSVM's weights, one column per label: a binary logistic regression of the label against
    the rest over the features scaled by their log-count ratio r (how much likelier a feature is
    present in the label's examples than in the others'), its weights times r."""
    present = features.copy()
    present.data[:] = 1.0
    columns = []
    for label in range(len(EMOTIONS)):
        positive = targets == label
        inside = NBSVM_ALPHA + np.asarray(present[positive].T @ weights[positive]).ravel()
        outside = NBSVM_ALPHA + np.asarray(present[~positive].T @ weights[~positive]).ravel()
        ratio = np.log(inside / inside.sum()) - np.log(outside / outside.sum())
        regression = LogisticRegression(
            C=NBSVM_C, solver="liblinear", max_iter=MAX_ITERATIONS, random_state=SEED
        )
        scaled = features.multiply(ratio).tocsr()
        regression.fit(scaled, positive.astype(int), sample_weight=weights)
        columns.append(regression.coef_[0] * ratio)
    return np.column_stack(columns)


def out_of_fold_logits(
    corpus: Corpus, settings: Settings, seed: int
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Out-of-fold logits of the logistic regression alone, and of each blended part, over the
    fold split drawn with `seed`."""
    counts = corpus.with_char_weight(settings.char_weight)
    single = np.array([len(emotions) == 1 for emotions in corpus.emotions])
    first = np.array([EMOTIONS.index(min(emotions)) for emotions in corpus.emotions])
    strata = corpus.domain * 10 + np.where(single, first, 9)
    strata[corpus.domain == len(DOMAINS)] = 99  # seeds: one stratum, spread across folds
    regression_logits = np.zeros((len(corpus.texts), len(EMOTIONS)))
    part_logits: dict[str, np.ndarray] = {}
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for fold, (train_rows, test_rows) in enumerate(folds.split(strata, strata)):
        started = time.perf_counter()
        vectorizer, weights, intercept, parts = fit_parts(
            corpus, counts, train_rows, settings, NB_ALPHAS
        )
        features = vectorizer.transform([corpus.forms[row] for row in test_rows])
        regression_logits[test_rows] = features @ weights + intercept
        for name, part_weights in parts.items():
            part_logits.setdefault(name, np.zeros_like(regression_logits))
            part_logits[name][test_rows] = features @ part_weights
        elapsed = time.perf_counter() - started
        print(f"  split {seed}, fold {fold + 1}/{FOLDS} done in {elapsed:.0f} s", file=sys.stderr)
    return regression_logits, part_logits


def build(corpus: Corpus, settings: Settings, output: Path) -> None:
    started = time.perf_counter()
    objective = Objective(corpus)
    out_of_fold = [out_of_fold_logits(corpus, settings, seed) for seed in FOLD_SEEDS]
    alone = objective.per_domain([regression for regression, _ in out_of_fold])
    print(f"out-of-fold macro-F1 per domain, LR alone {alone}")
    settings, offsets, scores = choose_blend(objective, out_of_fold, settings)
    overall = objective.overall(scores)
    print(f"chose {settings}: out-of-fold macro-F1 per domain {scores}, overall {overall:.4f}")
    splits = [blended(regression, parts, settings) for regression, parts in out_of_fold]
    temperature = objective.score_temperature(splits, offsets)
    print(f"score temperature {temperature:g}")

    counts = corpus.with_char_weight(settings.char_weight)
    every_row = np.arange(len(corpus.texts))
    vectorizer, weights, intercept, final_parts = fit_parts(
        corpus, counts, every_row, settings, (settings.nb_alpha,)
    )
    weights = blended(weights, final_parts, settings)
    model = LinearModel(EMOTIONS, vectorizer, weights, intercept + offsets, temperature)
    model, changes = taught(model)
    save_model(model, output, details_with(details(corpus, settings, offsets, scores), changes))
    size = output.stat().st_size / 1e6
    elapsed = time.perf_counter() - started
    print(f"wrote {output} ({size:.1f} MB, {model.vectorizer.size} features) in {elapsed:.0f} s")


def details(
    corpus: Corpus, settings: Settings, offsets: np.ndarray, scores: list[float]
) -> dict[str, Any]:
    rows = np.bincount(corpus.domain, minlength=len(DOMAINS) + 1)
    return {
        "name": "Emolytics default (GoEmotions + XED, Ekman + neutral)",
        "trained_on": [
            {"source": SOURCES[name], "licence": "CC BY 4.0", "rows": int(rows[index])}
            for index, name in enumerate(DOMAINS)
        ],
        "seed_emoji": SEED_EMOJI,
        "seed_words": SEED_WORDS,
        "seed_weight": SEED_WEIGHT,
        "options": {
            "min_df": MIN_DF,
            "regularisation": settings.c,
            "char_weight": settings.char_weight,
            "xed_row_weight": settings.xed_weight,
            "complement_nb_weight": settings.nb_weight,
            "complement_nb_alpha": settings.nb_alpha,
            "linear_svm_weight": settings.svm_weight,
            "linear_svm_c": SVM_C,
            "nbsvm_weight": settings.nbsvm_weight,
            "nbsvm_xed_row_weight": NBSVM_XED_WEIGHT,
            "nbsvm_c": NBSVM_C,
            "nbsvm_alpha": NBSVM_ALPHA,
            "xed_share_in_choices": XED_SHARE,
            "lbfgs_tolerance": TOLERANCE,
        },
        "built_with": {name: version(name) for name in ("numpy", "scipy", "scikit-learn")},
        "label_bias": [round(float(offset), 2) for offset in offsets],
        "out_of_fold_single_label_macro_f1": {
            name: round(score, 4) for name, score in zip(DOMAINS, scores, strict=True)
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("goemotions", nargs="?", type=Path, default=SHARED_DATA / "goemotions")
    parser.add_argument("--xed", type=Path, default=SHARED_DATA / "xed")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help=f"where to write the model; replace the shipped {SHIPPED_MODEL} only with one "
        "that bench/engine.py shows better on every domain",
    )
    parser.add_argument("--c", type=float, default=CHOSEN.c, help="to compare settings")
    parser.add_argument("--xed-weight", type=float, default=CHOSEN.xed_weight)
    arguments = parser.parse_args()
    try:
        corpus = read_corpus(arguments.goemotions, arguments.xed)
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    counts = np.bincount(corpus.domain, minlength=3)
    print(
        f"{counts[0]} GoEmotions rows, {counts[1]} XED rows, {counts[2]} seed emoji and words; "
        f"{len(corpus.counts.terms)} candidate features",
        file=sys.stderr,
    )
    settings = replace(CHOSEN, c=arguments.c, xed_weight=arguments.xed_weight)
    build(corpus, settings, arguments.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
