"""Rebuild the default emotion model shipped in `src/emolytics/engine/data/` from GoEmotions.

    .venv/bin/python scripts/build_default_model.py [GOEMOTIONS_DIR] [-o MODEL_FILE]

GOEMOTIONS_DIR holds `train.tsv` and `emotions.txt` (default: ../shared/data/goemotions from the
repository root). Only the train split is used: multi-label rows count once per Ekman class with
their weight split between the classes, and about a hundred hand-picked emoji and emotion words
are added as one-token texts (`SEED_EMOJI`, `SEED_WORDS`). Logistic regression and complement
naive Bayes are fitted on the same features and summed into one linear model; per-label offsets
that maximise macro-F1 are tuned on 5-fold out-of-fold predictions over train. Runs on one core
and is deterministic: rerunning it on the same data gives a byte-identical file.
"""

import argparse
import os
import sys
import time
from pathlib import Path

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402 (thread limits must be set before NumPy loads)
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.naive_bayes import ComplementNB  # noqa: E402

from emolytics.engine.analyzer import DEFAULT_MODEL_FILE  # noqa: E402
from emolytics.engine.artifacts import save_model  # noqa: E402
from emolytics.engine.errors import EngineError  # noqa: E402
from emolytics.engine.features import FeatureCounts, FeatureSpec  # noqa: E402
from emolytics.engine.goemotions import GoEmotionsRow, read_split  # noqa: E402
from emolytics.engine.labels import EMOTIONS  # noqa: E402
from emolytics.engine.model import LinearModel, centred  # noqa: E402
from emolytics.engine.training import (  # noqa: E402
    FOLDS,
    SEED,
    TrainingOptions,
    evaluate_predictions,
    fit_weights,
    forms_of,
    tune_label_bias,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "goemotions"
DEFAULT_OUTPUT = REPO_ROOT / "src" / "emolytics" / "engine" / "data" / DEFAULT_MODEL_FILE
# Emoji whose emotion is unambiguous (emoticons map onto them), added as one-token training texts
# so that emoji rare on Reddit still carry their meaning in tweets and reviews.
SEED_EMOJI = {
    "joy": "😂🤣😍🥰😘😊😀😃😄😁😆🙂😉😛❤💕👍🎉🙏🥳👏😎",
    "sadness": "😢😭💔😞😔🙁☹😿",
    "anger": "😡😠🤬👎😤",
    "disgust": "🤢🤮",
    "fear": "😱😨😰😧",
    "surprise": "😮😲🤯😯",
    "neutral": "😐😑",
}
# Plain emotion words, for the same reason: some are rare on Reddit, and character n-grams
# would otherwise let look-alikes decide ("furious" resembles "curious").
SEED_WORDS = {
    "anger": "angry furious enraged outraged livid infuriated irate pissed annoyed irritated mad",
    "disgust": "disgusting disgusted gross revolting repulsive nauseating vile yuck eww sickening",
    "fear": "afraid scared terrified frightened fearful anxious nervous panicked worried horrified",
    "joy": "happy delighted joyful glad thrilled excited grateful cheerful elated ecstatic pleased",
    "sadness": "sad unhappy depressed miserable heartbroken gloomy devastated lonely grieving",
    "surprise": "surprised astonished amazed shocked stunned astounded speechless wow whoa",
}
SEED_WEIGHT = 5.0
# Complement naive Bayes on the same features is linear too: its log-weights, times NB_WEIGHT,
# are added to the logistic regression's, so the shipped model stays one weight matrix. The
# weight (and char_weight above) were chosen on out-of-fold macro-F1 over train, never on dev.
NB_WEIGHT = 1.0
NB_ALPHA = 0.3
OPTIONS = TrainingOptions(
    features=FeatureSpec(word_ngrams=2, char_min=2, char_max=5, sublinear_tf=True, char_weight=0.6),
    min_df=2,
    regularisation=2.0,
    balanced=False,
    solver="lbfgs",
)


def seed_rows() -> list[GoEmotionsRow]:
    emoji = [(emotion, symbol) for emotion, symbols in SEED_EMOJI.items() for symbol in symbols]
    words = [(emotion, word) for emotion, words in SEED_WORDS.items() for word in words.split()]
    return [
        GoEmotionsRow(text=text, emotions=frozenset({emotion})) for emotion, text in emoji + words
    ]


def expand(
    rows: list[GoEmotionsRow], row_weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One training example per (row, Ekman class), the row's weight split between its classes."""
    row_indexes, targets, weights = [], [], []
    for index, row in enumerate(rows):
        for emotion in sorted(row.emotions):
            row_indexes.append(index)
            targets.append(EMOTIONS.index(emotion))
            weights.append(row_weights[index] / len(row.emotions))
    return np.array(row_indexes), np.array(targets), np.array(weights)


def fit(corpus: FeatureCounts, rows: np.ndarray, examples: tuple[np.ndarray, ...]) -> LinearModel:
    """Fit on the examples whose row is in `rows`."""
    row_indexes, targets, weights = examples
    vectorizer, features = corpus.fit(rows, OPTIONS.min_df)
    position = np.full(corpus.counts.shape[0], -1)
    position[rows] = np.arange(len(rows))
    chosen = np.flatnonzero(position[row_indexes] >= 0)
    example_features = features[position[row_indexes[chosen]]]
    weight_matrix, intercept = fit_weights(
        example_features, targets[chosen], len(EMOTIONS), OPTIONS, sample_weight=weights[chosen]
    )
    bayes = ComplementNB(alpha=NB_ALPHA).fit(
        example_features, targets[chosen], sample_weight=weights[chosen]
    )
    weight_matrix = weight_matrix + NB_WEIGHT * centred(bayes.feature_log_prob_.T)
    return LinearModel(EMOTIONS, vectorizer, weight_matrix, intercept)


def out_of_fold_log_probabilities(
    corpus: FeatureCounts,
    forms: list[list[str]],
    examples: tuple[np.ndarray, ...],
    strata: np.ndarray,
) -> np.ndarray:
    log_probabilities = np.zeros((len(forms), len(EMOTIONS)))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    for fold, (train_rows, test_rows) in enumerate(folds.split(np.zeros(len(strata)), strata)):
        model = fit(corpus, train_rows, examples)
        probabilities = model.probabilities([forms[row] for row in test_rows])
        log_probabilities[test_rows] = np.log(probabilities)
        print(f"  fold {fold + 1}/{FOLDS} done", file=sys.stderr)
    return log_probabilities


def build(data_directory: Path, output: Path) -> None:
    started = time.perf_counter()
    goemotions = read_split(data_directory, "train")
    seeds = seed_rows()
    rows = goemotions + seeds
    forms = [forms_of(row.text) for row in rows]
    corpus = FeatureCounts.of(OPTIONS.features, forms)
    is_seed = np.arange(len(rows)) >= len(goemotions)
    examples = expand(rows, np.where(is_seed, SEED_WEIGHT, 1.0))
    single = np.array([len(row.emotions) == 1 for row in rows]) & ~is_seed
    strata = np.array([EMOTIONS.index(min(row.emotions)) for row in rows]) + 10 * ~single
    strata[is_seed] = 100  # one stratum: spread across folds

    print(
        f"{len(goemotions)} GoEmotions rows + {len(seeds)} seed emoji and words, "
        f"{len(corpus.terms)} candidate features",
        file=sys.stderr,
    )
    log_probabilities = out_of_fold_log_probabilities(corpus, forms, examples, strata)
    gold = np.array([EMOTIONS.index(min(row.emotions)) for row in rows])
    bias = tune_label_bias(log_probabilities[single], gold[single])
    before = evaluate_predictions(EMOTIONS, gold[single], log_probabilities[single].argmax(1))
    after = evaluate_predictions(
        EMOTIONS, gold[single], (log_probabilities[single] + bias).argmax(1)
    )
    print(f"out-of-fold macro-F1 {before.macro_f1:.4f} -> {after.macro_f1:.4f}", file=sys.stderr)

    final = fit(corpus, np.arange(len(rows)), examples)
    model = LinearModel(EMOTIONS, final.vectorizer, final.weights, final.intercept + bias)
    details = {
        "name": "Emolytics default (GoEmotions, Ekman + neutral)",
        "trained_on": "GoEmotions train split (Demszky et al., 2020), CC BY 4.0, (c) Google LLC",
        "seed_emoji": SEED_EMOJI,
        "seed_words": SEED_WORDS,
        "seed_weight": SEED_WEIGHT,
        "options": {
            "min_df": OPTIONS.min_df,
            "regularisation": OPTIONS.regularisation,
            "balanced": OPTIONS.balanced,
            "char_weight": OPTIONS.features.char_weight,
            "complement_nb_weight": NB_WEIGHT,
            "complement_nb_alpha": NB_ALPHA,
        },
        "label_bias": [round(float(offset), 2) for offset in bias],
        "out_of_fold_single_label": after.as_dict(),
    }
    save_model(model, output, details)
    size = output.stat().st_size / 1e6
    elapsed = time.perf_counter() - started
    print(f"wrote {output} ({size:.1f} MB, {model.vectorizer.size} features) in {elapsed:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    arguments = parser.parse_args()
    try:
        build(arguments.data, arguments.output)
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
