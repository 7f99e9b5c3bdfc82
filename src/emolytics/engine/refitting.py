"""One regularised refit of a linear model towards labeled texts: the step `adaptation` repeats.

The refit keeps the base model's features and moves its weights by as little as the labels
need: `W = W_base + delta`, `b = b_base + shift`, minimising

    weighted cross-entropy on the labeled rows (each label weighing the same in total)
    + distillation * cross-entropy between the base's probabilities and the new ones on anchor
      texts (so the model keeps agreeing with the base where the labels say nothing)
    + strength / 2 * |delta|^2 + prior_strength / 2 * |shift|^2

with L-BFGS. Only the features the labeled rows contain may move (the others get no gradient
from the labels), so a refit costs about what the labeled rows and anchors weigh, not the size
of the vocabulary.

`GatedFits` keeps the refits and gates (`gating`) that gated candidates of an adaptation share.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

from emolytics.engine.gating import Gate, GatedModel, train_gate
from emolytics.engine.model import LinearModel, centred, softmax

MAX_ITERATIONS = 150


@dataclass(frozen=True, slots=True)
class RefitSettings:
    """How far a refit may move: larger `strength` keeps the weights closer to the base's,
    larger `distillation` keeps the answers on the anchors closer to the base's."""

    strength: float
    distillation: float
    prior_strength: float = 0.1

    def describe(self) -> str:
        return f"L2 {self.strength:g}, distillation {self.distillation:g}"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A refit's settings and, for a gated candidate, how its gate is set."""

    settings: RefitSettings
    temperature: float | None = None  # None: not gated
    offset: float = 0.0  # added to the gate's bias: below 0 it lets less of the change through

    def describe(self) -> str:
        if self.temperature is None:
            return self.settings.describe()
        gate = f"temperature {self.temperature:g}, bias {self.offset:+g}"
        return f"L2 {self.settings.strength:g}, gated ({gate})"


@dataclass(frozen=True, slots=True)
class Anchors:
    """Texts the refit should keep answering as the base does: their features and the base's
    probabilities for them."""

    features: sp.csr_matrix
    logits: np.ndarray  # the base's
    probabilities: np.ndarray  # the base's

    @classmethod
    def of(cls, base: LinearModel, features: sp.csr_matrix) -> "Anchors":
        logits = np.asarray(features @ base.weights, dtype=np.float64) + base.intercept
        return cls(features, logits, softmax(logits.copy()))


def refit(
    base: LinearModel,
    features: sp.csr_matrix,
    gold: np.ndarray,
    anchors: Anchors | None,
    settings: RefitSettings,
) -> LinearModel:
    """`base` moved towards `gold` (label indexes into `base.labels`) on `features` (rows of
    `base.vectorizer`): a new model with the same labels and vectorizer."""
    label_count = len(base.labels)
    columns = np.unique(features.indices)
    objective = _Objective(base, features, gold, columns)
    if anchors is not None and settings.distillation > 0:
        objective.add_anchors(anchors, settings.distillation)
    start = np.zeros(len(columns) * label_count + label_count)
    solution = minimize(
        objective.value_and_gradient,
        start,
        args=(settings,),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": MAX_ITERATIONS},
    ).x
    delta, shift = objective.unpack(solution)
    weights = base.weights.astype(np.float64)
    weights[columns] += delta
    intercept = base.intercept + shift
    return LinearModel(
        base.labels, base.vectorizer, centred(weights), intercept, base.score_temperature
    )


class _Objective:
    """The refit's loss and its gradient over (delta of the moving rows, intercept shift)."""

    def __init__(
        self, base: LinearModel, features: sp.csr_matrix, gold: np.ndarray, columns: np.ndarray
    ) -> None:
        self.columns = columns
        self.label_count = len(base.labels)
        self.features = features[:, columns].tocsr()
        self.base_logits = np.asarray(features @ base.weights, dtype=np.float64) + base.intercept
        self.targets = np.zeros((len(gold), self.label_count))
        self.targets[np.arange(len(gold)), gold] = 1.0
        counts = np.bincount(gold, minlength=self.label_count).astype(np.float64)
        row_weights = 1.0 / counts[gold]  # each label present weighs the same in total
        self.row_weights = row_weights / row_weights.sum()
        self.anchor_features: sp.csr_matrix | None = None
        self.anchor_logits = np.empty(0)
        self.anchor_targets = np.empty(0)
        self.distillation = 0.0

    def add_anchors(self, anchors: Anchors, distillation: float) -> None:
        self.anchor_features = anchors.features[:, self.columns].tocsr()
        self.anchor_logits = anchors.logits
        self.anchor_targets = anchors.probabilities
        self.distillation = distillation / anchors.features.shape[0]

    def unpack(self, parameters: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        split = len(self.columns) * self.label_count
        return parameters[:split].reshape(-1, self.label_count), parameters[split:]

    def value_and_gradient(
        self, parameters: np.ndarray, settings: RefitSettings
    ) -> tuple[float, np.ndarray]:
        delta, shift = self.unpack(parameters)
        value, gradient = _cross_entropy(
            self.base_logits + self.features @ delta + shift, self.targets, self.row_weights
        )
        delta_gradient = self.features.T @ gradient
        shift_gradient = gradient.sum(axis=0)
        if self.anchor_features is not None:
            anchor_value, anchor_gradient = _cross_entropy(
                self.anchor_logits + self.anchor_features @ delta + shift,
                self.anchor_targets,
                np.full(len(self.anchor_targets), self.distillation),
            )
            value += anchor_value
            delta_gradient += self.anchor_features.T @ anchor_gradient
            shift_gradient += anchor_gradient.sum(axis=0)
        value += settings.strength / 2 * float(np.sum(delta * delta))
        value += settings.prior_strength / 2 * float(np.sum(shift * shift))
        delta_gradient += settings.strength * delta
        shift_gradient += settings.prior_strength * shift
        return value, np.concatenate([np.asarray(delta_gradient).ravel(), shift_gradient])


def _cross_entropy(
    logits: np.ndarray, targets: np.ndarray, row_weights: np.ndarray
) -> tuple[float, np.ndarray]:
    """Sum of row-weighted cross-entropies of softmax(`logits`) against `targets` (rows
    summing to 1), and its gradient with respect to the logits."""
    top = logits.max(axis=1, keepdims=True)
    log_normaliser = np.log(np.exp(logits - top).sum(axis=1, keepdims=True)) + top
    value = float(np.sum(row_weights[:, None] * targets * (log_normaliser - logits)))
    probabilities = np.exp(logits - log_normaliser)
    return value, (probabilities - targets) * row_weights[:, None]


class GatedFits:
    """`base` refitted to sets of labeled rows, and gates telling each set, with the `domain`'s
    unlabeled rows if any, from the anchors: one set per fold of a cross-validation (`None`: all
    the rows), each refit and gate computed once, when first asked for, since gated candidates
    differ mostly in how the gate is set."""

    def __init__(
        self,
        base: LinearModel,
        features: sp.csr_matrix,
        gold: np.ndarray,
        anchors: sp.csr_matrix,
        domain: sp.csr_matrix | None = None,
    ) -> None:
        self.base = base
        self.features = features
        self.gold = gold
        self.anchors = anchors
        self.domain = domain
        self.refits: dict[tuple[RefitSettings, int | None], LinearModel] = {}
        self.gates: dict[int | None, Gate] = {}

    def model(
        self,
        fold: int | None,
        rows: np.ndarray,
        settings: RefitSettings,
        offset: float,
        temperature: float,
    ) -> GatedModel:
        """`base` gated towards its refit (no anchors) on `rows`, the gate's bias moved by
        `offset` (below 0: closed on more texts)."""
        if (settings, fold) not in self.refits:
            rows_features, rows_gold = self.features[rows], self.gold[rows]
            self.refits[settings, fold] = refit(self.base, rows_features, rows_gold, None, settings)
        if fold not in self.gates:
            known = self.features[rows]
            if self.domain is not None:
                known = sp.vstack([known, self.domain]).tocsr()
            self.gates[fold] = train_gate(known, self.anchors, 1.0)
        gate = self.gates[fold].adjusted(offset, temperature)
        return GatedModel.between(self.base, self.refits[settings, fold], gate)
